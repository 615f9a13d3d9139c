// libwebrtc-node: the W3C WebRTC API for Node.js over libwebrtc.
//
// Named exports for `import { RTCPeerConnection } from 'libwebrtc-node'`, and the same set as
// the default export, a wrtc-compatible object (`simple-peer({ wrtc })`, node-webrtc users).
import * as api from './api.js';
import { binding } from './binding.js';

export * from './api.js';
export type * from './RTCPeerConnection.js';
export type { RTCDataChannelState, RTCPriorityType, BinaryType } from './RTCDataChannel.js';
export type { RTCIceCandidateInit } from './RTCIceCandidate.js';
export type { RTCSdpType, RTCSessionDescriptionInit } from './RTCSessionDescription.js';
export type { RTCDtlsFingerprint } from './RTCCertificate.js';
export type {
  MediaStreamTrackState,
  MediaTrackSettings,
  MediaTrackConstraints,
  MediaTrackCapabilities,
} from './MediaStreamTrack.js';
export type {
  RTCRtpCapabilities,
  RTCRtpCodec,
  RTCRtpCodecParameters,
  RTCRtpEncodingParameters,
  RTCRtpParameters,
  RTCRtpSendParameters,
} from './RTCRtpSender.js';
export type { RTCRtpContributingSource, RTCRtpSynchronizationSource } from './RTCRtpReceiver.js';
export type { RTCStats } from './RTCStatsReport.js';
export type {
  MediaDeviceKind,
  MediaStreamConstraints,
  DisplayMediaStreamOptions,
  DisplaySource,
} from './mediaDevices.js';
export type {
  RTCVideoSourceInit,
  RTCVideoFrame,
  RTCVideoSinkFrame,
  RTCAudioData,
} from './nonstandard/index.js';

/** Diagnostics: whether libwebrtc's threads run in this environment, and open connections. */
export function runtimeInfo(): { runtime: boolean; peerConnections: number } {
  return binding.runtimeInfo();
}

const wrtc = { ...api };
export default wrtc;
