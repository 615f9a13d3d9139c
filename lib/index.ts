// libwebrtc-node: the W3C WebRTC API for Node.js over libwebrtc.
//
// Named exports for `import { RTCPeerConnection } from 'libwebrtc-node'`, and the same set as
// the default export, a wrtc-compatible object (`simple-peer({ wrtc })`, node-webrtc users).
import { binding } from './binding.js';
import { RTCCertificate } from './RTCCertificate.js';
import { RTCDataChannel } from './RTCDataChannel.js';
import { RTCError } from './errors.js';
import {
  RTCDataChannelEvent,
  RTCErrorEvent,
  RTCPeerConnectionIceErrorEvent,
  RTCPeerConnectionIceEvent,
} from './events.js';
import { RTCIceCandidate } from './RTCIceCandidate.js';
import { RTCPeerConnection } from './RTCPeerConnection.js';
import { RTCRtpTransceiver } from './RTCRtpTransceiver.js';
import { RTCDtlsTransport, RTCIceTransport, RTCSctpTransport } from './RTCSctpTransport.js';
import { RTCSessionDescription } from './RTCSessionDescription.js';

export {
  RTCCertificate,
  RTCDataChannel,
  RTCDataChannelEvent,
  RTCDtlsTransport,
  RTCError,
  RTCErrorEvent,
  RTCIceCandidate,
  RTCIceTransport,
  RTCPeerConnection,
  RTCPeerConnectionIceErrorEvent,
  RTCPeerConnectionIceEvent,
  RTCRtpTransceiver,
  RTCSctpTransport,
  RTCSessionDescription,
};
export type * from './RTCPeerConnection.js';
export type { RTCDataChannelState, RTCPriorityType, BinaryType } from './RTCDataChannel.js';
export type { RTCIceCandidateInit } from './RTCIceCandidate.js';
export type { RTCSdpType, RTCSessionDescriptionInit } from './RTCSessionDescription.js';
export type { RTCDtlsFingerprint } from './RTCCertificate.js';

/** Diagnostics: whether libwebrtc's threads run in this environment, and open connections. */
export function runtimeInfo(): { runtime: boolean; peerConnections: number } {
  return binding.runtimeInfo();
}

const wrtc = {
  RTCCertificate,
  RTCDataChannel,
  RTCDataChannelEvent,
  RTCDtlsTransport,
  RTCError,
  RTCErrorEvent,
  RTCIceCandidate,
  RTCIceTransport,
  RTCPeerConnection,
  RTCPeerConnectionIceErrorEvent,
  RTCPeerConnectionIceEvent,
  RTCRtpTransceiver,
  RTCSctpTransport,
  RTCSessionDescription,
};
export default wrtc;
