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
export interface MediaStreamTrack extends Listenable {
  readonly kind: string;
  readonly id: string;
  readonly muted: boolean;
  readonly readyState: string;
  stop(): void;
}
export interface MediaStream {
  readonly id: string;
  getTracks(): MediaStreamTrack[];
}
export interface RTCTrackEvent {
  readonly track: MediaStreamTrack;
  readonly streams: readonly MediaStream[];
  readonly transceiver: RTCRtpTransceiver;
}

export interface RTCRtpCodec {
  mimeType: string;
  clockRate: number;
  channels?: number;
  sdpFmtpLine?: string;
}
export interface RTCRtpCapabilities {
  codecs: RTCRtpCodec[];
  headerExtensions: { uri: string }[];
}
export interface RTCDTMFToneChangeEvent {
  readonly tone: string;
}
export interface RTCDTMFSender extends Listenable {
  readonly canInsertDTMF: boolean;
  readonly toneBuffer: string;
  insertDTMF(tones: string, duration?: number, interToneGap?: number): void;
}
export interface RTCRtpSender {
  readonly track: MediaStreamTrack | null;
  readonly dtmf: RTCDTMFSender | null;
  replaceTrack(track: MediaStreamTrack | null): Promise<void>;
}
export interface RTCRtpReceiver {
  readonly track: MediaStreamTrack;
}
export interface RTCRtpTransceiver {
  readonly mid: string | null;
  readonly sender: RTCRtpSender;
  readonly receiver: RTCRtpReceiver;
  direction: string;
  readonly currentDirection: string | null;
  setCodecPreferences(codecs: RTCRtpCodec[]): void;
}

/** One stats object; the members are webrtc-stats' (only those the tests read are named). */
export interface RTCStats {
  id: string;
  type: string;
  timestamp: number;
  [member: string]: unknown;
}
export interface RTCStatsReport {
  get(id: string): RTCStats | undefined;
  forEach(callback: (stats: RTCStats) => void): void;
}

/** node-webrtc's raw media classes, as the package exports them under `nonstandard`. */
export interface I420Frame {
  width: number;
  height: number;
  data: Uint8Array;
}
export interface RTCVideoSource {
  createTrack(): MediaStreamTrack;
  onFrame(frame: I420Frame): void;
}
export interface RTCAudioSource {
  createTrack(): MediaStreamTrack;
  onData(data: {
    samples: Int16Array;
    sampleRate: number;
    bitsPerSample: number;
    channelCount: number;
    numberOfFrames: number;
  }): void;
}
export interface RTCVideoSink {
  onframe: ((event: { frame: I420Frame }) => void) | null;
  stop(): void;
}
export interface RTCAudioSink {
  ondata: ((data: { samples: Int16Array; sampleRate: number; channelCount: number }) => void) | null;
  stop(): void;
}
export interface Nonstandard {
  RTCVideoSource: new () => RTCVideoSource;
  RTCAudioSource: new () => RTCAudioSource;
  RTCVideoSink: new (track: MediaStreamTrack) => RTCVideoSink;
  RTCAudioSink: new (track: MediaStreamTrack) => RTCAudioSink;
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
  addTransceiver(
    trackOrKind: MediaStreamTrack | 'audio' | 'video',
    init?: { direction?: string; streams?: MediaStream[] },
  ): RTCRtpTransceiver;
  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RTCRtpSender;
  getTransceivers(): RTCRtpTransceiver[];
  getStats(): Promise<RTCStatsReport>;
  restartIce(): void;
  close(): void;
}

export interface WrtcModule {
  RTCPeerConnection: new (configuration?: { iceServers?: unknown[] }) => RTCPeerConnection;
  RTCSessionDescription: new (init: RTCSessionDescriptionInit) => RTCSessionDescription;
  RTCIceCandidate: new (init: RTCIceCandidateInit) => RTCIceCandidate;
  MediaStream?: new (tracks?: MediaStreamTrack[]) => MediaStream;
  RTCRtpSender?: { getCapabilities(kind: string): RTCRtpCapabilities | null };
  RTCRtpReceiver?: { getCapabilities(kind: string): RTCRtpCapabilities | null };
  nonstandard?: Nonstandard;
}
