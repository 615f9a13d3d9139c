// The classes of the W3C API this package implements: the named exports of the package, and
// the members of its default (wrtc-compatible) export.
export { MediaStream, MediaStreamTrackEvent } from './MediaStream.js';
export { InputDeviceInfo, MediaDeviceInfo, MediaDevices, getUserMedia, mediaDevices } from './mediaDevices.js';
export { OverconstrainedError } from './constraints.js';
export { MediaStreamTrack } from './MediaStreamTrack.js';
export { RTCCertificate } from './RTCCertificate.js';
export { RTCDataChannel } from './RTCDataChannel.js';
export { RTCError } from './errors.js';
export {
  RTCDataChannelEvent,
  RTCErrorEvent,
  RTCPeerConnectionIceErrorEvent,
  RTCPeerConnectionIceEvent,
  RTCTrackEvent,
} from './events.js';
export { RTCIceCandidate } from './RTCIceCandidate.js';
export { RTCPeerConnection } from './RTCPeerConnection.js';
export { RTCRtpReceiver } from './RTCRtpReceiver.js';
export { RTCDTMFSender, RTCDTMFToneChangeEvent, RTCRtpSender } from './RTCRtpSender.js';
export { RTCRtpTransceiver } from './RTCRtpTransceiver.js';
export { RTCDtlsTransport, RTCIceTransport, RTCSctpTransport } from './RTCSctpTransport.js';
export { RTCSessionDescription } from './RTCSessionDescription.js';
export { RTCStatsReport } from './RTCStatsReport.js';
export { nonstandard } from './nonstandard/index.js';
