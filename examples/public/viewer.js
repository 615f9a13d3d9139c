// Viewer of examples/desktop-capture.js: offers to receive video and audio over the demo's
// signaling (MDN's "Signaling and video calling" messages) and plays what the Node peer sends.
// Plain JS, no bundler. `window.remoteStream` is the received stream (for tests and the console).
'use strict';

const $ = (id) => document.getElementById(id);
const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`);
const sendToServer = (msg) => ws.send(JSON.stringify(msg));
const pc = new RTCPeerConnection();
const remoteStream = new MediaStream();
window.remoteStream = remoteStream;
$('remote').srcObject = remoteStream;

pc.onconnectionstatechange = () => ($('connectionState').textContent = pc.connectionState);
pc.onicecandidate = (event) => {
  if (event.candidate) sendToServer({ type: 'new-ice-candidate', candidate: event.candidate });
};
pc.ontrack = (event) => {
  remoteStream.addTrack(event.track);
  if (event.track.kind === 'audio') $('sound').disabled = false;
};
pc.addTransceiver('video', { direction: 'recvonly' });
pc.addTransceiver('audio', { direction: 'recvonly' });

$('sound').onclick = () => {
  $('remote').muted = !$('remote').muted;
  $('sound').textContent = $('remote').muted ? 'Sound on' : 'Sound off';
};

let incoming = Promise.resolve();
ws.onmessage = (event) => {
  const msg = JSON.parse(event.data);
  incoming = incoming
    .then(async () => {
      if (msg.type === 'video-answer') await pc.setRemoteDescription({ type: 'answer', sdp: msg.sdp });
      else if (msg.type === 'new-ice-candidate') await pc.addIceCandidate(msg.candidate);
      else if (msg.type === 'error') $('error').textContent = `server: ${msg.message}`;
    })
    .catch((err) => ($('error').textContent = `${msg.type}: ${err}`));
};
ws.onclose = () => ($('connectionState').textContent += ' (signaling closed)');

// What arrives: the video's size, frame rate and codec; whether audio comes, and its codec.
setInterval(async () => {
  const report = await pc.getStats();
  report.forEach((s) => {
    if (s.type !== 'inbound-rtp') return;
    const codec = s.codecId && report.get(s.codecId) ? report.get(s.codecId).mimeType : '?';
    if (s.kind === 'video' && s.frameWidth) {
      $('video').textContent = `${s.frameWidth}x${s.frameHeight}, ${s.framesPerSecond ?? 0} fps, ${codec}`;
    } else if (s.kind === 'audio') {
      $('audio').textContent = `${s.packetsReceived} packets, ${codec}`;
    }
  });
}, 1000);

ws.onopen = async () => {
  try {
    await pc.setLocalDescription(await pc.createOffer());
    sendToServer({ type: 'video-offer', sdp: pc.localDescription.sdp });
  } catch (err) {
    $('error').textContent = String(err);
  }
};
