import './load-addon.js';
import wrtc, { RTCPeerConnection, runtimeInfo } from '../lib/index.js';
it('probe', async () => {
  console.log(Object.keys(wrtc), typeof RTCPeerConnection, runtimeInfo());
  const a = new RTCPeerConnection(); const b = new RTCPeerConnection();
  a.onicecandidate = (e) => { console.log('a cand', e.candidate && e.candidate.candidate); if (e.candidate) b.addIceCandidate(e.candidate); };
  b.onicecandidate = (e) => { if (e.candidate) a.addIceCandidate(e.candidate); };
  a.onconnectionstatechange = () => console.log('a', a.connectionState);
  const dc = a.createDataChannel('x');
  await a.setLocalDescription(); await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription(); await a.setRemoteDescription(b.localDescription!);
  await new Promise<void>(r => dc.onopen = () => r());
  console.log('open', runtimeInfo(), a.sctp?.maxMessageSize);
  a.close(); b.close();
  console.log(runtimeInfo());
});
