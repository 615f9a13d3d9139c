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
  /** Nonstandard: 'insecureNoCheck' leaves a turns: server's certificate unchecked. */
  tlsCertPolicy: 'secure' | 'insecureNoCheck';
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
      /** getStats(): the report, one record per stats object. */
      stats?: StatsRecord[];
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
  /** A remote track added or re-added by a remote description (ontrack). */
  | { type: 'track'; transceiver: RtpTransceiver; streamIds: string[] }
  /** The remote description stopped this transceiver's receiving (handle: the transceiver's). */
  | { type: 'removetrack'; handle: number }
  /** The receiver's first RTP packet arrived. */
  | { type: 'unmute'; handle: number }
  | { type: 'tonechange'; handle: number; tone: string; toneBuffer: string }
  /** The ICE transport under DTLS transport `handle` selected another candidate pair. */
  | { type: 'selectedcandidatepairchange'; handle: number }
  | { type: 'bufferedamountlow'; handle: number };

/** One stats object: id, type, timestamp (ms since the epoch) and its members. */
export interface StatsRecord {
  id: string;
  type: string;
  timestamp: number;
  [member: string]: unknown;
}

export interface RtpCodecRecord {
  mimeType: string;
  clockRate: number;
  channels?: number;
  sdpFmtpLine?: string;
  payloadType?: number;
}

export interface RtpCapabilitiesRecord {
  codecs: RtpCodecRecord[];
  headerExtensions: { uri: string }[];
}

export interface RtpEncodingRecord {
  rid?: string;
  active?: boolean;
  maxBitrate?: number;
  maxFramerate?: number;
  scaleResolutionDownBy?: number;
  priority?: 'very-low' | 'low' | 'medium' | 'high';
  networkPriority?: 'very-low' | 'low' | 'medium' | 'high';
}

export interface RtpParametersRecord {
  headerExtensions: { uri: string; id: number; encrypted: boolean }[];
  rtcp: { cname: string; reducedSize: boolean };
  codecs: RtpCodecRecord[];
}

export interface RtpSendParametersRecord extends RtpParametersRecord {
  transactionId: string;
  encodings: RtpEncodingRecord[];
  degradationPreference?: 'maintain-framerate' | 'maintain-resolution' | 'balanced';
}

export interface RtpSourceRecord {
  source: number;
  type: 'ssrc' | 'csrc';
  /** Milliseconds since the epoch. */
  timestamp: number;
  rtpTimestamp: number;
  audioLevel?: number;
}

export interface TransportInfoRecord {
  /** DER, one per certificate of the remote chain. */
  remoteCertificates: ArrayBuffer[];
  /** The media section the transport was made for (the BUNDLE tag). */
  mid: string;
  /** candidate-attribute strings. */
  localCandidates: string[];
  remoteCandidates: string[];
  selectedPair: { local: string; remote: string } | null;
}

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
  /** The transceiver whose sender now sends `track`. */
  addTrack(track: MediaStreamTrack, streamIds: string[]): RtpTransceiver | ErrorRecord;
  removeTrack(sender: RtpSender): ErrorRecord | null;
  addTransceiver(
    trackOrKind: MediaStreamTrack | 'audio' | 'video',
    init: { direction: TransceiverDirection; streamIds: string[]; sendEncodings: RtpEncodingRecord[] },
  ): RtpTransceiver | ErrorRecord;
  /** The same wrapper object for the same libwebrtc transceiver, every call. */
  getTransceivers(): RtpTransceiver[];
  /** Completes as an `operation` event carrying `stats`. */
  getStats(opId: number, selector: RtpSender | RtpReceiver | null): void;
  /** A DTLS transport and its ICE transport, now; null once closed or for an unknown handle. */
  transportInfo(handle: number): TransportInfoRecord | null;
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
  setCodecPreferences(codecs: RtpCodecRecord[]): ErrorRecord | null;
  /** The same object every call. */
  sender(): RtpSender;
  /** The same object every call. */
  receiver(): RtpReceiver;
}

export class RtpSender {
  private constructor();
  /** false when libwebrtc refused (e.g. an ended track). */
  setTrack(track: MediaStreamTrack | null): boolean;
  /** null once the connection is closed. */
  getParameters(): RtpSendParametersRecord | null;
  /** Writes the writable members into the parameters getParameters() last returned. */
  setParameters(parameters: RtpSendParametersRecord): ErrorRecord | null;
  setStreams(streamIds: string[]): void;
  /** The DTLS transport (its handle and state now), or null before negotiation. */
  transport(): DtlsTransportStateRecord | null;
  insertDtmf(tones: string, duration: number, interToneGap: number): boolean;
  toneBuffer(): string;
  canInsertDtmf(): boolean;
}

export class RtpReceiver {
  private constructor();
  /** The same object every call; null only if libwebrtc gave none. */
  track(): MediaStreamTrack | null;
  getParameters(): RtpParametersRecord | null;
  getSources(): RtpSourceRecord[];
  /** Milliseconds, or null for libwebrtc's default. */
  setJitterBufferTarget(milliseconds: number | null): void;
  transport(): DtlsTransportStateRecord | null;
  streamIds(): string[];
}

export interface TrackSettingsRecord {
  width?: number;
  height?: number;
  frameRate?: number;
  sampleRate?: number;
  channelCount?: number;
  sampleSize?: number;
}

export class MediaStreamTrack {
  private constructor();
  kind(): 'audio' | 'video';
  id(): string;
  enabled(): boolean;
  /** Disabled: black video, silent audio. */
  setEnabled(enabled: boolean): void;
  settings(): TrackSettingsRecord;
  /** At most `fps` frames a second through this track (0: all); a local video track only. */
  setMaxFrameRate(fps: number): void;
  /** A new track fed by the same source. */
  clone(id: string): MediaStreamTrack;
  /** Ends the track: its libwebrtc references go; it can be used no more. Idempotent. */
  stop(): void;
}

export type VideoFrameFormat = 'i420' | 'nv12' | 'rgba' | 'bgra';

export class VideoSource {
  constructor(init: { isScreencast: boolean; needsDenoising?: boolean });
  createTrack(id: string): MediaStreamTrack;
  /** `timestamp`: microseconds; absent: now. lib/ has checked the sizes. */
  onFrame(frame: {
    width: number;
    height: number;
    data: Uint8Array | Uint8ClampedArray;
    format: VideoFrameFormat;
    rotation: 0 | 90 | 180 | 270;
    timestamp?: number;
  }): void;
}

export interface VideoFrameRecord {
  width: number;
  height: number;
  rotation: number;
  /** Microseconds. */
  timestamp: number;
  /** I420: width × height luma, then the two chroma planes. */
  data: Uint8Array;
}

export class VideoSink {
  constructor(track: MediaStreamTrack, onFrame: (frame: VideoFrameRecord) => void);
  stop(): void;
  /** Frames dropped because JS did not take them in time. */
  dropped(): number;
}

export class AudioSource {
  constructor();
  createTrack(id: string): MediaStreamTrack;
  /** Interleaved 16-bit samples, any length; cut into 10 ms frames inside. */
  onData(samples: Int16Array, sampleRate: number, channelCount: number): void;
}

export interface AudioDataRecord {
  samples: Int16Array;
  sampleRate: number;
  bitsPerSample: 16;
  channelCount: number;
  numberOfFrames: number;
}

export class AudioSink {
  constructor(track: MediaStreamTrack, onData: (data: AudioDataRecord) => void);
  stop(): void;
  dropped(): number;
}

export function getRtpCapabilities(kind: 'audio' | 'video', side: 'sender' | 'receiver'): RtpCapabilitiesRecord;

export interface ImageRecord {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}
export function i420ToRgba(i420: ImageRecord, rgba: ImageRecord): void;
export function rgbaToI420(rgba: ImageRecord, i420: ImageRecord): void;

// --- capture devices (native/devices/) -------------------------------------------------------

export interface CameraModeRecord {
  width: number;
  height: number;
  frameRate: number;
}
export interface CameraRecord {
  deviceId: string;
  label: string;
  groupId: string;
  modes: CameraModeRecord[];
}
/** libwebrtc's video capture module's devices (V4L2). */
export function listCameras(): CameraRecord[];

/** One camera opened in one mode; released when its last track ends. */
export class CameraCapture {
  /** Throws { name: 'NotFoundError' | 'NotReadableError' | 'OverconstrainedError' }. */
  constructor(deviceId: string, mode: CameraModeRecord, onEnded: (reason: string) => void);
  createTrack(id: string): MediaStreamTrack;
  /** Another mode, the same tracks. */
  reconfigure(mode: CameraModeRecord): void;
  stop(): void;
}

export interface DisplaySourceRecord {
  id: number;
  title: string;
}
/** Throws NotReadableError when no display answers. */
export function listDisplaySources(): { screens: DisplaySourceRecord[]; windows: DisplaySourceRecord[] };

export class ScreenCapture {
  /** `id` null: the first screen. Throws NotFoundError / NotReadableError. */
  constructor(
    options: { surface: 'monitor' | 'window'; id: number | null; frameRate: number; cursor: boolean; width?: number; height?: number },
    onEnded: (reason: string) => void,
  );
  createTrack(id: string): MediaStreamTrack;
  settings(): { displaySurface: 'monitor' | 'window'; cursor: 'always' | 'never'; frameRate: number; deviceId: string; width?: number; height?: number };
  configure(options: { frameRate?: number; width?: number; height?: number }): void;
  stop(): void;
}

export interface AudioDeviceRecord {
  deviceId: string;
  label: string;
  groupId: string;
  sampleRate: number;
  channelCount: number;
  /** A sink's monitor (what it plays), not a microphone. */
  monitor: boolean;
}
/** PulseAudio's sources and sinks. Throws NotReadableError (with why) when unreachable. */
export function listAudioDevices(): {
  inputs: AudioDeviceRecord[];
  outputs: AudioDeviceRecord[];
  defaultInput: string;
  defaultOutput: string;
};

export interface AudioProcessingRecord {
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
}
export class MicrophoneCapture {
  constructor(
    deviceId: string,
    settings: { sampleRate: number; channelCount: number } & AudioProcessingRecord,
    onEnded: (reason: string) => void,
  );
  createTrack(id: string): MediaStreamTrack;
  setProcessing(processing: AudioProcessingRecord): void;
  stop(): void;
}

/** Where received audio plays: a PulseAudio sink, or nowhere (null, the default). */
export function setAudioOutput(deviceId: string | null): void;

/** Calls back (maybe more than once per change) when devices may have come or gone. */
export class DeviceWatcher {
  constructor(onChange: () => void);
  stop(): void;
}

/** Releases every track, source and sink of this environment (process exit). */
export function releaseMedia(): void;

/** The audio device module's 10 ms playout pulls so far. */
export function audioDeviceInfo(): { playoutPulls: number };

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

/** Gives the heap pages freed since the last call back to the system (glibc; a no-op elsewhere). */
export function trimHeap(): void;

/** Bytes of C heap in use (glibc's mallinfo2), or null without glibc: for the benchmarks. */
export function heapInUse(): number | null;
