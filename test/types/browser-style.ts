// Browser-style code, typed with lib.dom's WebRTC declarations (globalThis.RTC*), running on
// this package's classes. It is only type-checked (test/types.test.ts): every assignment
// below is a place where code written for browsers hands our objects to lib.dom types, or
// lib.dom values to our methods. A compile error here means the public types drifted from
// lib.dom.
import wrtc, { RTCIceCandidate, RTCPeerConnection, RTCSessionDescription, mediaDevices } from '../../lib/index.js';

type Signal = (message: {
  description?: globalThis.RTCSessionDescriptionInit;
  candidate?: globalThis.RTCIceCandidateInit;
}) => void;

export async function offerer(signal: Signal, answerFromPeer: unknown): Promise<void> {
  const configuration: globalThis.RTCConfiguration = {
    iceServers: [
      { urls: 'stun:stun.example.org' },
      { urls: ['turn:turn.example.org'], username: 'u', credential: 'c' },
    ],
    iceTransportPolicy: 'all',
    bundlePolicy: 'max-bundle',
    rtcpMuxPolicy: 'require',
    iceCandidatePoolSize: 0,
  };
  const pc = new RTCPeerConnection(configuration);

  // Configuration back into lib.dom's type.
  const cfg: globalThis.RTCConfiguration = pc.getConfiguration();
  pc.setConfiguration(cfg);

  // Trickle ICE: the event's candidate serialised with toJSON() for the signalling channel.
  pc.onicecandidate = (e) => {
    const c: globalThis.RTCIceCandidateInit | undefined = e.candidate?.toJSON();
    if (c) signal({ candidate: c });
  };
  pc.addEventListener('icecandidate', (e) => {
    const candidate: globalThis.RTCIceCandidate | null = (e as globalThis.RTCPeerConnectionIceEvent).candidate;
    void candidate;
  });

  // States as lib.dom's enums.
  pc.onconnectionstatechange = () => {
    const state: globalThis.RTCPeerConnectionState = pc.connectionState;
    const ice: globalThis.RTCIceConnectionState = pc.iceConnectionState;
    const gathering: globalThis.RTCIceGatheringState = pc.iceGatheringState;
    const signaling: globalThis.RTCSignalingState = pc.signalingState;
    void [state, ice, gathering, signaling];
  };

  // Data channel, with the init typed by lib.dom.
  const init: globalThis.RTCDataChannelInit = { ordered: false, maxRetransmits: 3, protocol: 'chat' };
  const dc = pc.createDataChannel('chat', init);
  dc.binaryType = 'arraybuffer';
  dc.onopen = () => dc.send('hello');
  dc.onmessage = (e) => {
    const data: unknown = e.data;
    if (typeof e.data === 'string') console.log(e.data.toUpperCase());
    else if (e.data instanceof ArrayBuffer) console.log(new Uint8Array(e.data).length);
    void data;
  };
  dc.onclose = () => console.log(dc.readyState satisfies globalThis.RTCDataChannelState);
  const channelState: globalThis.RTCDataChannelState = dc.readyState;
  void channelState;

  pc.ondatachannel = (e) => {
    const channel = e.channel;
    channel.onmessage = (m) => console.log(m.data);
  };

  // Channels kept in lib.dom-typed variables, as browser code declares them.
  let channel: globalThis.RTCDataChannel = dc;
  pc.addEventListener('datachannel', (e) => {
    channel = (e as globalThis.RTCDataChannelEvent).channel;
  });
  channel.send(new Uint8Array([1, 2, 3]));

  // Offer: createOffer()'s result is lib.dom's RTCSessionDescriptionInit.
  const offer: globalThis.RTCSessionDescriptionInit = await pc.createOffer();
  const offerWithOptions: globalThis.RTCSessionDescriptionInit = await pc.createOffer({
    iceRestart: true,
  } satisfies globalThis.RTCOfferOptions);
  await pc.setLocalDescription(offer);
  await pc.setLocalDescription(offerWithOptions);
  await pc.setLocalDescription();

  // The local description, as lib.dom's RTCSessionDescription and as an init.
  const local: globalThis.RTCSessionDescription | null = pc.localDescription;
  if (local) signal({ description: local.toJSON() });
  if (pc.localDescription) signal({ description: pc.localDescription });

  // A description that came from the wire, typed loosely, cast to lib.dom's init.
  await pc.setRemoteDescription(answerFromPeer as globalThis.RTCSessionDescriptionInit);

  // lib.dom values into our methods.
  const domCandidate: globalThis.RTCIceCandidateInit = { candidate: '', sdpMid: '0', sdpMLineIndex: 0 };
  await pc.addIceCandidate(domCandidate);
  await pc.addIceCandidate(null);
  await pc.addIceCandidate();

  const ours = new RTCIceCandidate(domCandidate);
  const asDom: globalThis.RTCIceCandidate = ours;
  await pc.addIceCandidate(asDom);
  const description = new RTCSessionDescription({ type: 'offer', sdp: '' });
  const descriptionAsDom: globalThis.RTCSessionDescription = description;
  void descriptionAsDom;

  pc.restartIce();
  pc.close();
}

export async function answerer(
  offerFromPeer: globalThis.RTCSessionDescriptionInit,
): Promise<globalThis.RTCSessionDescriptionInit | null> {
  const pc = new wrtc.RTCPeerConnection();
  await pc.setRemoteDescription(offerFromPeer);
  const answer: globalThis.RTCSessionDescriptionInit = await pc.createAnswer();
  await pc.setLocalDescription(answer);

  // The legacy callback form, with callbacks typed by lib.dom.
  const onSuccess: globalThis.RTCSessionDescriptionCallback = (description) => {
    const init: globalThis.RTCSessionDescriptionInit = description;
    void init;
  };
  const onFailure: globalThis.RTCPeerConnectionErrorCallback = (error: DOMException) => console.error(error.name);
  const done: Promise<void> = pc.createAnswer(onSuccess, onFailure);
  await done;
  await pc.createOffer(onSuccess, onFailure);

  // Transceivers.
  const transceiver = pc.addTransceiver('audio', { direction: 'recvonly' } satisfies globalThis.RTCRtpTransceiverInit);
  const direction: globalThis.RTCRtpTransceiverDirection = transceiver.direction;
  const current: globalThis.RTCRtpTransceiverDirection | null = transceiver.currentDirection;
  const mid: string | null = transceiver.mid;
  transceiver.direction = 'inactive';
  void [direction, current, mid];

  // Certificates.
  const certificate = await RTCPeerConnection.generateCertificate({
    name: 'ECDSA',
    namedCurve: 'P-256',
  } as EcKeyGenParams);
  const expires: number = certificate.expires;
  const fingerprints: globalThis.RTCDtlsFingerprint[] = certificate.getFingerprints();
  void [expires, fingerprints];
  const withCertificate = new RTCPeerConnection({ certificates: [certificate] });
  withCertificate.close();

  const result = pc.localDescription;
  pc.close();
  return result;
}

// Capture devices as browser code uses navigator.mediaDevices, with lib.dom's dictionaries.
export async function capture(pc: RTCPeerConnection): Promise<globalThis.MediaTrackSettings> {
  const constraints: globalThis.MediaStreamConstraints = {
    audio: { echoCancellation: true, deviceId: { exact: 'default' }, sampleRate: 48000 },
    video: { width: { ideal: 1280 }, height: { min: 360 }, frameRate: { max: 15 }, facingMode: 'user' },
  };
  const stream = await mediaDevices.getUserMedia(constraints);
  const devices = await mediaDevices.enumerateDevices();
  const kinds: globalThis.MediaDeviceKind[] = devices.map((d) => d.kind);
  const described: { deviceId: string; label: string } | undefined = devices[0]?.toJSON();
  const options: globalThis.DisplayMediaStreamOptions = {
    video: { frameRate: 30, width: { max: 1920 } },
    audio: false,
  };
  const screen = await mediaDevices.getDisplayMedia(options);
  for (const track of stream.getTracks()) pc.addTrack(track, stream);
  const [video] = screen.getVideoTracks();
  await video!.applyConstraints({ width: 640, frameRate: { ideal: 10 } } satisfies globalThis.MediaTrackConstraints);
  const capabilities: globalThis.MediaTrackCapabilities = video!.getCapabilities();
  const supported: globalThis.MediaTrackSupportedConstraints = mediaDevices.getSupportedConstraints();
  mediaDevices.ondevicechange = () => undefined;
  mediaDevices.addEventListener('devicechange', () => undefined);
  void [kinds, described, capabilities, supported];
  return video!.getSettings();
}
