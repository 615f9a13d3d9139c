// The subset of the W3C WebRTC API (as lib.dom types it) that the interop tests use on the Node
// side. The tests compile without the DOM lib, so these few shapes stand in for it; the
// implementation under test (impl.ts) is cast to them once, in the harness.

export type RTCSdpType = 'offer' | 'answer' | 'pranswer' | 'rollback';
export type RTCPeerConnectionState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';
export type RTCIceConnectionState =
  | 'new'
  | 'checking'
  | 'connected'
  | 'completed'
  | 'disconnected'
  | 'failed'
  | 'closed';
export type RTCSignalingState =
  | 'stable'
  | 'have-local-offer'
  | 'have-remote-offer'
  | 'have-local-pranswer'
  | 'have-remote-pranswer'
  | 'closed';
export type RTCDataChannelState = 'connecting' | 'open' | 'closing' | 'closed';

export interface RTCSessionDescriptionInit {
  type: RTCSdpType;
  sdp?: string;
}

export interface RTCIceCandidateInit {
  candidate?: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

export interface Listenable {
  addEventListener(type: string, listener: (event: never) => void): void;
  removeEventListener(type: string, listener: (event: never) => void): void;
}

export interface RTCSessionDescription {
  readonly type: RTCSdpType;
  readonly sdp: string;
  toJSON(): RTCSessionDescriptionInit;
}

export interface RTCIceCandidate {
  readonly candidate: string;
  readonly sdpMid: string | null;
  readonly sdpMLineIndex: number | null;
  readonly usernameFragment: string | null;
  toJSON(): RTCIceCandidateInit;
}

export interface RTCDataChannel extends Listenable {
  readonly label: string;
  readonly readyState: RTCDataChannelState;
  binaryType: string;
  send(data: string | ArrayBuffer | ArrayBufferView): void;
  close(): void;
}

export interface RTCPeerConnectionIceEvent {
  readonly candidate: RTCIceCandidate | null;
}
export interface RTCDataChannelEvent {
  readonly channel: RTCDataChannel;
}
export interface MessageEvent {
  readonly data: unknown;
}
export interface MediaStreamTrack {
  readonly kind: string;
  readonly id: string;
  stop(): void;
}
export interface RTCTrackEvent {
  readonly track: MediaStreamTrack;
}

export interface RTCPeerConnection extends Listenable {
  readonly connectionState: RTCPeerConnectionState;
  readonly iceConnectionState: RTCIceConnectionState;
  readonly signalingState: RTCSignalingState;
  readonly localDescription: RTCSessionDescription | null;
  readonly remoteDescription: RTCSessionDescription | null;
  createOffer(): Promise<RTCSessionDescriptionInit>;
  createAnswer(): Promise<RTCSessionDescriptionInit>;
  /** The legacy overload: resolves with undefined, the description goes to the callback. */
  createAnswer(
    successCallback: (description: RTCSessionDescriptionInit) => void,
    failureCallback: (error: Error) => void,
  ): Promise<void>;
  setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void>;
  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
  addIceCandidate(candidate?: RTCIceCandidateInit | RTCIceCandidate): Promise<void>;
  createDataChannel(label: string, init?: { ordered?: boolean }): RTCDataChannel;
  addTransceiver(kind: 'audio' | 'video', init?: { direction?: string }): unknown;
  addTrack(track: MediaStreamTrack, ...streams: unknown[]): unknown;
  restartIce(): void;
  close(): void;
}

export interface WrtcModule {
  RTCPeerConnection: new (configuration?: { iceServers?: unknown[] }) => RTCPeerConnection;
  RTCSessionDescription: new (init: RTCSessionDescriptionInit) => RTCSessionDescription;
  RTCIceCandidate: new (init: RTCIceCandidateInit) => RTCIceCandidate;
  MediaStream?: new (tracks?: MediaStreamTrack[]) => unknown;
  nonstandard?: Record<string, unknown>;
}
