// The one contract between lib/ (TypeScript, the W3C surface) and native/ (C++, libwebrtc).
//
// It declares exactly what the addon (build/Release/libwebrtc_node.node, or a prebuild) exports;
// test/binding.test.ts checks the loaded addon against it. Everything here is plain data or an
// opaque native handle: W3C semantics (WebIDL conversion, defaults, state checks, events,
// DOMExceptions) live in lib/, never here. The native side re-checks only what would crash it.

export type SdpType = 'offer' | 'pranswer' | 'answer' | 'rollback';

/** `{ name, message }` as libwebrtc reported it, its type already mapped to a DOMException name. */
export interface ErrorRecord {
  name: string;
  message: string;
  /** RTCErrorDetailType when the error is an RTCError (e.g. 'sdp-syntax-error'). */
  errorDetail?: string;
  sdpLineNumber?: number;
  sctpCauseCode?: number;
}

export interface SessionDescriptionRecord {
  type: SdpType;
  sdp: string;
}

/** The four descriptions as libwebrtc held them when the event was raised. */
export interface DescriptionsSnapshot {
  currentLocal: SessionDescriptionRecord | null;
  pendingLocal: SessionDescriptionRecord | null;
  currentRemote: SessionDescriptionRecord | null;
  pendingRemote: SessionDescriptionRecord | null;
}

export interface IceServerRecord {
  urls: string[];
  username: string;
  credential: string;
}

/** A normalised RTCConfiguration: every member present, every enum already validated. */
export interface ConfigurationRecord {
  iceServers: IceServerRecord[];
  iceTransportPolicy: 'all' | 'relay';
  bundlePolicy: 'balanced' | 'max-compat' | 'max-bundle';
  rtcpMuxPolicy: 'require' | 'negotiate';
  iceCandidatePoolSize: number;
  certificates: Certificate[];
}

export interface OfferAnswerOptionsRecord {
  iceRestart: boolean;
  voiceActivityDetection: boolean;
  /** -1 when absent (legacy offerToReceiveAudio/Video). */
  offerToReceiveAudio: number;
  offerToReceiveVideo: number;
}

export interface IceCandidateRecord {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
  usernameFragment: string | null;
}

export interface DataChannelInitRecord {
  ordered: boolean;
  /** -1 when absent. */
  maxPacketLifeTime: number;
  /** -1 when absent. */
  maxRetransmits: number;
  protocol: string;
  negotiated: boolean;
  /** -1 when absent. */
  id: number;
  priority: 'very-low' | 'low' | 'medium' | 'high';
}

export type DataChannelState = 'connecting' | 'open' | 'closing' | 'closed';

/** What a data channel is, read once when its wrapper is made. */
export interface DataChannelInfo {
  label: string;
  ordered: boolean;
  maxPacketLifeTime: number | null;
  maxRetransmits: number | null;
  protocol: string;
  negotiated: boolean;
  /** null until the SCTP stream id is assigned. */
  id: number | null;
  priority: 'very-low' | 'low' | 'medium' | 'high';
  state: DataChannelState;
}

export type SignalingState =
  | 'stable'
  | 'have-local-offer'
  | 'have-remote-offer'
  | 'have-local-pranswer'
  | 'have-remote-pranswer'
  | 'closed';
export type IceGatheringState = 'new' | 'gathering' | 'complete';
export type IceConnectionState =
  | 'new'
  | 'checking'
  | 'connected'
  | 'completed'
  | 'disconnected'
  | 'failed'
  | 'closed';
export type PeerConnectionState =
  | 'new'
  | 'connecting'
  | 'connected'
  | 'disconnected'
  | 'failed'
  | 'closed';
export type TransceiverDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' | 'stopped';

export type DtlsTransportState = 'new' | 'connecting' | 'connected' | 'closed' | 'failed';

/** One DTLS transport's state; `handle` names it for as long as the connection lives. */
export interface DtlsTransportStateRecord {
  handle: number;
  state: DtlsTransportState;
}

/** An SCTP transport: its state, limits once known, and its DTLS transport (first report only). */
export interface SctpRecord {
  state: 'connecting' | 'connected' | 'closed';
  maxMessageSize: number | null;
  maxChannels: number | null;
  dtlsHandle: number | null;
}

/**
 * Events of one connection and its data channels, in the order libwebrtc raised them. An
 * operation's completion (`operation`) comes after the state events it caused.
 */
export type PeerConnectionEvent =
  | { type: 'signalingstatechange'; state: SignalingState; descriptions: DescriptionsSnapshot }
  | { type: 'icegatheringstatechange'; state: IceGatheringState }
  | {
      type: 'iceconnectionstatechange';
      state: IceConnectionState;
      /** Every DTLS transport's state just before: applied first (the spec's order). */
      transports: DtlsTransportStateRecord[];
    }
  | { type: 'connectionstatechange'; state: PeerConnectionState; transports: DtlsTransportStateRecord[] }
  | {
      type: 'icecandidate';
      candidate: IceCandidateRecord;
      descriptions: DescriptionsSnapshot;
    }
  | {
      type: 'icecandidateerror';
      address: string | null;
      port: number | null;
      url: string;
      errorCode: number;
      errorText: string;
    }
  | { type: 'negotiationneeded'; eventId: number }
  | { type: 'datachannel'; channel: DataChannel }
  | {
      type: 'operation';
      opId: number;
      error: ErrorRecord | null;
      /** createOffer / createAnswer: the description made. */
      description?: SessionDescriptionRecord;
      /** setLocal/RemoteDescription, addIceCandidate: the descriptions after it. */
      descriptions?: DescriptionsSnapshot;
      /** With descriptions: the DTLS transports' states. */
      transports?: DtlsTransportStateRecord[];
      /**
       * The first time SCTP is negotiated: its transport; from then on `sctpstatechange` events
       * report it.
       */
      sctp?: SctpRecord;
    }
  | { type: 'channelstate'; handle: number; state: DataChannelState; id: number | null; error: ErrorRecord | null }
  | { type: 'message'; handle: number; data: string | ArrayBuffer }
  | ({ type: 'sctpstatechange' } & SctpRecord)
  | { type: 'dtlsstatechange'; handle: number; state: DtlsTransportState }
  | { type: 'bufferedamountlow'; handle: number };

export class PeerConnection {
  /** Throws only for what the caller could not have checked (e.g. a libwebrtc refusal). */
  constructor(configuration: ConfigurationRecord, onEvent: (event: PeerConnectionEvent) => void);
  createOffer(opId: number, options: OfferAnswerOptionsRecord): void;
  createAnswer(opId: number, options: OfferAnswerOptionsRecord): void;
  /** `null` description: the parameterless form (libwebrtc picks offer or answer). */
  setLocalDescription(opId: number, description: SessionDescriptionRecord | null): void;
  setRemoteDescription(opId: number, description: SessionDescriptionRecord): void;
  addIceCandidate(opId: number, candidate: IceCandidateRecord): void;
  restartIce(): void;
  setConfiguration(configuration: ConfigurationRecord): ErrorRecord | null;
  shouldFireNegotiationNeeded(eventId: number): boolean;
  createDataChannel(label: string, init: DataChannelInitRecord): DataChannel | ErrorRecord;
  addTransceiver(
    kind: 'audio' | 'video',
    init: { direction: TransceiverDirection; streamIds: string[] },
  ): RtpTransceiver | ErrorRecord;
  /** The same wrapper object for the same libwebrtc transceiver, every call. */
  getTransceivers(): RtpTransceiver[];
  /** Synchronous and idempotent: libwebrtc's resources are gone when it returns. */
  close(): void;
}

export class DataChannel {
  private constructor();
  /** Key of this channel in `channelstate` / `message` / `bufferedamountlow` events. */
  readonly handle: number;
  info(): DataChannelInfo;
  /**
   * Queues the message for the signaling thread without waiting for it (the data plane pays
   * no thread round trip). Messages and close() keep their order.
   */
  send(data: string | ArrayBufferView, binary: boolean, aboveLowThreshold: boolean): boolean;
  /** Bytes queued here plus those libwebrtc has not yet handed to SCTP. No thread hop. */
  bufferedAmount(): number;
  /** `aboveThreshold`: bufferedAmount is above it now, so a bufferedamountlow is owed. */
  setBufferedAmountLowThreshold(threshold: number, aboveThreshold: boolean): void;
  close(): void;
}

export class RtpTransceiver {
  private constructor();
  readonly handle: number;
  kind(): 'audio' | 'video';
  mid(): string | null;
  direction(): TransceiverDirection;
  currentDirection(): TransceiverDirection | null;
  stopped(): boolean;
  setDirection(direction: TransceiverDirection): ErrorRecord | null;
  stop(): ErrorRecord | null;
}

export class Certificate {
  private constructor();
  /** Milliseconds since the epoch. */
  expires(): number;
  fingerprints(): { algorithm: string; value: string }[];
}

export type KeyParamsRecord =
  | { type: 'ecdsa' }
  | { type: 'rsa'; modulusLength: number; publicExponent: number };

/** Generates off the JS thread. Rejects with an ErrorRecord-shaped Error. */
export function generateCertificate(params: KeyParamsRecord, expiresMs: number): Promise<Certificate>;

/** libwebrtc's log level: 'none' (default), 'error', 'warning', 'info', 'verbose'. To stderr. */
export function setLogLevel(level: 'none' | 'error' | 'warning' | 'info' | 'verbose'): void;

/**
 * Records the JavaScript call going into the addon now (what, and its stack): printed for this
 * environment if one of libwebrtc's fatal checks ever stops the process.
 */
export function setCallSite(text: string): void;

/**
 * For the test of that report only: fails a libwebrtc check (RTC_CHECK) on the given thread,
 * which ends the process.
 */
export function failCheckForTest(thread: 'js' | 'signaling'): void;

/**
 * What libwebrtc's thread checks see: for each runtime thread (while a runtime exists), whether
 * it is rtc::Thread::IsCurrent() and TaskQueueBase::Current() on itself; and whether the JS
 * thread has a current task queue (it must not: 'none').
 */
export function threadsInfo(): {
  jsTaskQueue: 'none' | 'set';
  signaling?: boolean;
  network?: boolean;
  worker?: boolean;
  distinct?: boolean;
};

/** What this environment holds now, for lifecycle tests and diagnostics. */
export function runtimeInfo(): { runtime: boolean; peerConnections: number };
