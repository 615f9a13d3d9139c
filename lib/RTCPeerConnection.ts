// RTCPeerConnection (W3C webrtc-pc §4) over native/peer/rtc_peer_connection.cc.
//
// This file owns the W3C semantics: WebIDL conversion, the operations chain, state checks done
// before libwebrtc is asked (so error names are the spec's), the mirrored state attributes and
// their events. The native half reports libwebrtc's events in order on one queue; an
// operation's completion arrives after the state events it caused, so when a promise settles
// its state changes are already visible and their events have fired (as in browsers).
import { binding, exitHooks, noteCall, type Binding } from './binding.js';
import { RTCCertificate, certificateNative, generateCertificate, type RTCDtlsFingerprint } from './RTCCertificate.js';
import {
  type RTCDataChannel,
  announceOpen,
  closeChannel,
  createDataChannelObject,
  deliverChannelEvent,
} from './RTCDataChannel.js';
import { domException, fromRecord } from './errors.js';
import { defineEventHandlers } from './event-target.js';
import {
  RTCDataChannelEvent,
  RTCPeerConnectionIceErrorEvent,
  RTCPeerConnectionIceEvent,
  RTCTrackEvent,
  type DataChannelEventView,
  type IceErrorEventView,
  type IceEventView,
} from './events.js';
import { RTCIceCandidate, type RTCIceCandidateInit } from './RTCIceCandidate.js';
import { MediaStream } from './MediaStream.js';
import { MediaStreamTrack, requireTrack } from './MediaStreamTrack.js';
import { RTCRtpReceiver } from './RTCRtpReceiver.js';
import { RTCRtpSender, type RTCRtpEncodingParameters } from './RTCRtpSender.js';
import {
  type RTCRtpTransceiver,
  createTransceiverObject,
  detachTransceiver,
  type TransceiverOwner,
} from './RTCRtpTransceiver.js';
import { type RTCStatsReport, createStatsReport } from './RTCStatsReport.js';
import {
  RTCDtlsTransport,
  RTCIceTransport,
  RTCSctpTransport,
  createDtlsTransport,
  createSctpTransport,
} from './RTCSctpTransport.js';
import { RTCSessionDescription, type RTCSdpType, type RTCSessionDescriptionInit } from './RTCSessionDescription.js';
import { mediaSections, supportsTrickle } from './sdp.js';
import {
  callable,
  dictionary,
  elementOf,
  enforceRange,
  enumValue,
  isObject,
  toDOMString,
  toSequence,
} from './webidl-values.js';

export type RTCIceTransportPolicy = 'all' | 'relay';
export type RTCBundlePolicy = 'balanced' | 'max-compat' | 'max-bundle';
/** lib.dom's type; 'negotiate' is accepted at run time too, as Chromium accepts it. */
export type RTCRtcpMuxPolicy = 'require';
export type RTCSignalingState = Binding.SignalingState;
export type RTCIceGatheringState = Binding.IceGatheringState;
export type RTCIceConnectionState = Binding.IceConnectionState;
export type RTCPeerConnectionState = Binding.PeerConnectionState;
export type RTCRtpTransceiverDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' | 'stopped';

export interface RTCIceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
  /**
   * Nonstandard, as in libwebrtc's native SDKs: 'insecureNoCheck' accepts any certificate from
   * this server's turns: URLs (a test server's self-signed one). Browsers have no such member;
   * leave it out for real servers.
   */
  tlsCertPolicy?: 'secure' | 'insecureNoCheck';
}

/**
 * A certificate as lib.dom types it; at run time only ones from generateCertificate() are
 * accepted (TypeError otherwise), but browser-typed configurations must compile.
 */
export interface RTCCertificateLike {
  readonly expires: number;
  getFingerprints(): RTCDtlsFingerprint[];
}

export interface RTCConfiguration {
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  bundlePolicy?: RTCBundlePolicy;
  rtcpMuxPolicy?: RTCRtcpMuxPolicy;
  iceCandidatePoolSize?: number;
  certificates?: RTCCertificateLike[];
}

// biome-ignore lint/suspicious/noEmptyInterface: lib.dom's shape, an empty dictionary the others extend
export interface RTCOfferAnswerOptions {}
export interface RTCOfferOptions extends RTCOfferAnswerOptions {
  iceRestart?: boolean;
  offerToReceiveAudio?: boolean;
  offerToReceiveVideo?: boolean;
}
export interface RTCAnswerOptions extends RTCOfferAnswerOptions {}
export interface RTCLocalSessionDescriptionInit {
  type?: RTCSdpType;
  sdp?: string;
}

export interface RTCDataChannelInit {
  ordered?: boolean;
  maxPacketLifeTime?: number;
  maxRetransmits?: number;
  protocol?: string;
  negotiated?: boolean;
  id?: number;
  priority?: 'very-low' | 'low' | 'medium' | 'high';
}

export interface RTCRtpTransceiverInit {
  direction?: RTCRtpTransceiverDirection;
  streams?: MediaStream[];
  sendEncodings?: RTCRtpEncodingParameters[];
}

export type RTCSessionDescriptionCallback = (description: RTCSessionDescriptionInit) => void;
export type RTCPeerConnectionErrorCallback = (error: DOMException) => void;

type EventHandler<E extends Event = Event> = ((this: any, ev: E) => any) | null;

interface Operation {
  resolve(event: Extract<Binding.PeerConnectionEvent, { type: 'operation' }>): void;
}

const ICE_TRANSPORT_POLICIES = ['all', 'relay'] as const;
const BUNDLE_POLICIES = ['balanced', 'max-compat', 'max-bundle'] as const;
// 'negotiate' is accepted as Chromium accepts it (node-webrtc code sets it); libwebrtc then
// offers RTCP on its own port too.
const RTCP_MUX_POLICIES = ['require', 'negotiate'] as const;
const TRANSCEIVER_DIRECTIONS = ['sendrecv', 'sendonly', 'recvonly', 'inactive'] as const;
const PRIORITIES = ['very-low', 'low', 'medium', 'high'] as const;
const SDP_TYPES = ['offer', 'pranswer', 'answer', 'rollback'] as const;

/** What the spec's "validate the ICE servers" leaves: plain records for the native side. */
function normaliseIceServers(value: unknown): { servers: RTCIceServer[]; records: Binding.IceServerRecord[] } {
  if (value === undefined) return { servers: [], records: [] };
  const servers: RTCIceServer[] = [];
  const records: Binding.IceServerRecord[] = [];
  const list = toSequence(value, (raw) => dictionary(raw, 'RTCIceServer'), "Failed to read the 'iceServers' property");
  for (const server of list) {
    if (server.urls === undefined)
      throw new TypeError("Failed to read the 'urls' property from 'RTCIceServer': Required member is undefined.");
    const urls =
      typeof server.urls === 'string'
        ? [server.urls]
        : toSequence(server.urls, toDOMString, "Failed to read the 'urls' property from 'RTCIceServer'");
    if (urls.length === 0) throw domException('SyntaxError', 'ICE server urls is empty.');
    const username = server.username === undefined ? undefined : String(server.username);
    const credential = server.credential === undefined ? undefined : String(server.credential);
    for (const url of urls) {
      // RFC 7064/7065 URIs: scheme ':' host [':' port] ['?transport=' udp|tcp].
      const match = /^(stuns?|turns?):([^?]*)(\?transport=(udp|tcp))?$/i.exec(url);
      if (!match) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^(stuns?|turns?):/i.test(url)) {
          throw domException('SyntaxError', `'${url}' is not a STUN or TURN URL.`);
        }
        throw domException('SyntaxError', `'${url}' is not a valid URL.`);
      }
      const scheme = match[1]!.toLowerCase();
      const host = match[2]!;
      if (host.length === 0 || /[\s/@]/.test(host)) throw domException('SyntaxError', `'${url}' is not a valid URL.`);
      const port = /^(?:\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(host)?.[1];
      if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
        throw domException('SyntaxError', `'${url}' has an invalid port.`);
      }
      if ((scheme === 'stun' || scheme === 'stuns') && match[3]) {
        throw domException('SyntaxError', `'${url}': a STUN URL has no transport.`);
      }
      if ((scheme === 'turn' || scheme === 'turns') && (username === undefined || credential === undefined)) {
        throw domException('InvalidAccessError', `TURN server '${url}' needs a username and a credential.`);
      }
    }
    let tlsCertPolicy: 'secure' | 'insecureNoCheck' | undefined;
    if (server.tlsCertPolicy !== undefined) {
      const policy = String(server.tlsCertPolicy);
      if (policy !== 'secure' && policy !== 'insecureNoCheck') {
        throw new TypeError(
          `Failed to read the 'tlsCertPolicy' property from 'RTCIceServer': The provided value '${policy}' is not a valid enum value of type RTCTlsCertPolicy.`,
        );
      }
      tlsCertPolicy = policy;
    }
    const normalised: RTCIceServer = { urls: typeof server.urls === 'string' ? server.urls : urls };
    if (username !== undefined) normalised.username = username;
    if (credential !== undefined) normalised.credential = credential;
    if (tlsCertPolicy !== undefined) normalised.tlsCertPolicy = tlsCertPolicy;
    servers.push(normalised);
    // libwebrtc wants the scheme in lower case, as URL parsing gives it.
    const lowered = urls.map((url) => url.replace(/^[a-z]+:/i, (scheme) => scheme.toLowerCase()));
    records.push({
      urls: lowered,
      username: username ?? '',
      credential: credential ?? '',
      tlsCertPolicy: tlsCertPolicy ?? 'secure',
    });
  }
  return { servers, records };
}

interface NormalisedConfiguration {
  public: Required<Omit<RTCConfiguration, 'certificates'>> & { certificates: RTCCertificate[] };
  record: Binding.ConfigurationRecord;
  certificatesGiven: boolean;
}

function normaliseConfiguration(value: unknown): NormalisedConfiguration {
  const config = dictionary(value, 'RTCConfiguration');
  const { servers, records } = normaliseIceServers(config.iceServers);
  const iceTransportPolicy = enumValue(
    config.iceTransportPolicy,
    ICE_TRANSPORT_POLICIES,
    'all',
    'RTCIceTransportPolicy',
  );
  const bundlePolicy = enumValue(config.bundlePolicy, BUNDLE_POLICIES, 'balanced', 'RTCBundlePolicy');
  const rtcpMuxPolicy = enumValue(
    config.rtcpMuxPolicy,
    RTCP_MUX_POLICIES,
    'require',
    'RTCRtcpMuxPolicy',
  ) as RTCRtcpMuxPolicy;
  const iceCandidatePoolSize =
    config.iceCandidatePoolSize === undefined
      ? 0
      : enforceRange(config.iceCandidatePoolSize, 255, 'iceCandidatePoolSize');
  const certificates: RTCCertificate[] = [];
  if (config.certificates !== undefined) {
    const context = "Failed to read the 'certificates' property";
    const list = toSequence(
      config.certificates,
      elementOf(
        (c): c is RTCCertificate => c instanceof RTCCertificate,
        `${context}: parameter is not of type 'RTCCertificate'.`,
      ),
      context,
    );
    for (const certificate of list) {
      if (certificate.expires <= Date.now()) throw domException('InvalidAccessError', 'The certificate has expired.');
      certificates.push(certificate);
    }
  }
  return {
    public: {
      iceServers: servers,
      iceTransportPolicy,
      bundlePolicy,
      rtcpMuxPolicy,
      iceCandidatePoolSize,
      certificates,
    },
    record: {
      iceServers: records,
      iceTransportPolicy,
      bundlePolicy,
      rtcpMuxPolicy,
      iceCandidatePoolSize,
      certificates: certificates.map(certificateNative),
    },
    certificatesGiven: config.certificates !== undefined,
  };
}

function offerAnswerRecord(value: unknown): Binding.OfferAnswerOptionsRecord {
  const options = dictionary(value, 'RTCOfferOptions');
  const legacy = (v: unknown) => (v === undefined ? -1 : v ? 1 : 0);
  return {
    iceRestart: Boolean(options.iceRestart),
    voiceActivityDetection:
      options.voiceActivityDetection === undefined ? true : Boolean(options.voiceActivityDetection),
    offerToReceiveAudio: legacy(options.offerToReceiveAudio),
    offerToReceiveVideo: legacy(options.offerToReceiveVideo),
  };
}

/** A rid (RFC 8851): 1 to 16 alphanumerics, '-' or '_'. */
const RID = /^[A-Za-z0-9_-]{1,16}$/;

/** addTransceiver()'s sendEncodings, checked as the spec's "addTransceiver" steps do. */
function sendEncodingRecords(value: unknown, kind: 'audio' | 'video'): Binding.RtpEncodingRecord[] {
  if (value === undefined) return [];
  const encodings = toSequence(
    value,
    (e) => dictionary(e, 'RTCRtpEncodingParameters'),
    "Failed to read the 'sendEncodings' property",
  );
  const rids = new Set<string>();
  const records = encodings.map((e) => {
    const record: Binding.RtpEncodingRecord = { active: e.active === undefined ? true : Boolean(e.active) };
    if (e.rid !== undefined) {
      const rid = String(e.rid);
      if (!RID.test(rid)) throw new TypeError(`'${rid}' is not a valid rid.`);
      if (rids.has(rid)) throw new TypeError(`The rid '${rid}' appears twice.`);
      rids.add(rid);
      record.rid = rid;
    }
    if (e.maxBitrate !== undefined) record.maxBitrate = enforceRange(e.maxBitrate, 2 ** 32 - 1, 'maxBitrate');
    if (e.maxFramerate !== undefined) {
      const fps = Number(e.maxFramerate);
      if (!Number.isFinite(fps)) throw new TypeError('maxFramerate must be a finite number.');
      if (fps < 0) throw new RangeError('maxFramerate must not be negative.');
      record.maxFramerate = fps;
    }
    if (e.scaleResolutionDownBy !== undefined) {
      const scale = Number(e.scaleResolutionDownBy);
      if (!Number.isFinite(scale)) throw new TypeError('scaleResolutionDownBy must be a finite number.');
      if (kind === 'audio') throw new RangeError('scaleResolutionDownBy applies to video only.');
      if (scale < 1) throw new RangeError('scaleResolutionDownBy must be at least 1.');
      record.scaleResolutionDownBy = scale;
    }
    if (e.priority !== undefined) record.priority = enumValue(e.priority, PRIORITIES, 'low', 'RTCPriorityType');
    if (e.networkPriority !== undefined)
      record.networkPriority = enumValue(e.networkPriority, PRIORITIES, 'low', 'RTCPriorityType');
    return record;
  });
  if (records.length > 1 && records.some((r) => r.rid === undefined)) {
    throw new TypeError('With more than one encoding, each needs a rid.');
  }
  if (kind === 'video' && records.length > 0 && records.every((r) => r.scaleResolutionDownBy === undefined)) {
    // The spec's default: each lower layer at half the size of the one after it.
    records.forEach((r, i) => (r.scaleResolutionDownBy = 2 ** (records.length - 1 - i)));
  }
  return records;
}

/** Whether two SDPs carry the same ICE credentials and DTLS fingerprints (the same origin). */
function sameIdentity(a: string, b: string): boolean {
  const identity = (sdp: string) =>
    sdp
      .split(/\r?\n/)
      .filter((line) => /^a=(ice-ufrag|ice-pwd|fingerprint):/.test(line))
      .map((line) => line.trim())
      .join('\n');
  return identity(a) === identity(b);
}

/** The numeric groups of an IP address as our candidates print it ("192.0.2.2", "[fd00::2]"). */
function addressGroups(address: string): { family: 4 | 6; groups: number[] } | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4) return { family: 4, groups: v4.slice(1).map(Number) };
  const v6 = /^\[?([0-9a-f:]+)\]?$/i.exec(address);
  if (!v6 || !v6[1]!.includes(':')) return null;
  const halves = v6[1]!.split('::');
  if (halves.length > 2) return null;
  const words = (half: string) => (half === '' ? [] : half.split(':').map((w) => parseInt(w, 16)));
  const head = words(halves[0]!);
  const tail = halves.length === 2 ? words(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0) || [...head, ...tail].some((w) => !(w >= 0 && w <= 0xffff)))
    return null;
  return { family: 6, groups: [...head, ...new Array<number>(missing).fill(0), ...tail] };
}

/**
 * Whether `candidateAddress` (a local candidate's) is the address libwebrtc reported for an
 * icecandidateerror: the same, or the same with its host part hidden the way libwebrtc hides it
 * (rtc::SocketAddress::HostAsSensitiveURIString: "192.0.2.x", "[fd00:0:0:x:x:x:x:x]").
 */
function sameLocalAddress(reported: string, candidateAddress: string): boolean {
  if (reported === candidateAddress) return true;
  const candidate = addressGroups(candidateAddress);
  if (candidate === null) return false;
  const masked4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.x$/.exec(reported);
  if (masked4) return candidate.family === 4 && masked4.slice(1).every((g, i) => Number(g) === candidate.groups[i]);
  const masked6 = /^\[([0-9a-f]{1,4}):([0-9a-f]{1,4}):([0-9a-f]{1,4})(?::x){5}\]$/i.exec(reported);
  if (masked6)
    return candidate.family === 6 && masked6.slice(1).every((g, i) => parseInt(g, 16) === candidate.groups[i]);
  const exact = addressGroups(reported);
  return exact !== null && exact.family === candidate.family && exact.groups.every((g, i) => g === candidate.groups[i]);
}

// The connections open in this environment (module state is per environment: a worker thread
// loads its own copy). process.exit() runs no environment cleanup, so libwebrtc's threads would
// still run while the process tears itself down; closing every connection on 'exit' stops them.
const openConnections = new Set<RTCPeerConnection>();

/**
 * Once every connection is closed, what their libwebrtc objects used goes back to the system:
 * glibc keeps freed pages in its arenas (bench/scale.js: 1,000 pairs closed left 277 MB of
 * their 602 MB resident; with this, 178 MB). A second after the last close, coalesced, on a
 * timer that never keeps the process alive; malloc_trim walks the whole heap on this thread (a
 * fifth of a second for a heap of 600 MB in small pieces), which is why it waits until nothing
 * is open rather than running after every close.
 */
let heapTrim: NodeJS.Timeout | undefined;
function scheduleHeapTrim(): void {
  if (heapTrim) return;
  heapTrim = setTimeout(() => {
    heapTrim = undefined;
    if (openConnections.size === 0) binding.trimHeap();
  }, 1000);
  heapTrim.unref();
}
exitHooks.add(() => {
  for (const pc of [...openConnections]) pc.close();
});

const EMPTY_DESCRIPTIONS: Binding.DescriptionsSnapshot = {
  currentLocal: null,
  pendingLocal: null,
  currentRemote: null,
  pendingRemote: null,
};

export class RTCPeerConnection extends EventTarget {
  readonly #native: Binding.PeerConnection;
  #configuration: NormalisedConfiguration;
  #closed = false;
  #signalingState: RTCSignalingState = 'stable';
  #iceGatheringState: RTCIceGatheringState = 'new';
  #iceConnectionState: RTCIceConnectionState = 'new';
  #connectionState: RTCPeerConnectionState = 'new';
  #descriptions: Binding.DescriptionsSnapshot = EMPTY_DESCRIPTIONS;
  readonly #operations = new Map<number, Operation>();
  #nextOperationId = 1;
  // The spec's [[Operations]]: one runs at a time; the first starts synchronously.
  readonly #chain: (() => void)[] = [];
  #chainBusy = false;
  #pendingNegotiationNeeded: number | null = null;
  readonly #channels = new Map<number, RTCDataChannel>();
  readonly #transceivers = new Map<number, RTCRtpTransceiver>();
  #sctp: RTCSctpTransport | null = null;
  // One RTCDtlsTransport per libwebrtc DTLS transport, by native handle.
  readonly #dtlsTransports = new Map<number, RTCDtlsTransport>();
  // The address and port of every local candidate gathered, to give icecandidateerror the
  // address the spec asks for (see the 'icecandidateerror' case).
  readonly #localCandidateAddresses: { address: string; port: number }[] = [];
  #lastCreatedOffer: string | null = null;
  #lastCreatedAnswer: string | null = null;
  // The description objects handed out, so that an attribute returns the same object until its
  // description changes (and remoteDescription === pendingRemoteDescription, as in Chromium).
  #descriptionObjects = new Map<string, RTCSessionDescription>();
  // Remote streams by id (the spec's msid stream ids), made as remote tracks name them, and
  // each receiver's [[AssociatedRemoteMediaStreams]].
  readonly #remoteStreams = new Map<string, MediaStream>();
  readonly #associatedStreams = new WeakMap<RTCRtpReceiver, MediaStream[]>();

  declare onnegotiationneeded: EventHandler;
  declare onicecandidate: EventHandler<IceEventView>;
  declare onicecandidateerror: EventHandler<IceErrorEventView>;
  declare onsignalingstatechange: EventHandler;
  declare oniceconnectionstatechange: EventHandler;
  declare onicegatheringstatechange: EventHandler;
  declare onconnectionstatechange: EventHandler;
  declare ondatachannel: EventHandler<DataChannelEventView>;
  declare ontrack: EventHandler<RTCTrackEvent>;

  static generateCertificate(keygenAlgorithm: unknown): Promise<RTCCertificate> {
    return generateCertificate(keygenAlgorithm);
  }

  constructor(configuration?: RTCConfiguration) {
    super();
    this.#configuration = normaliseConfiguration(configuration);
    try {
      noteCall('new RTCPeerConnection()');
      this.#native = new binding.PeerConnection(this.#configuration.record, (event) => this.#onEvent(event));
    } catch (error) {
      const e = error as { name?: string; message?: string };
      throw domException(e.name === 'Error' || !e.name ? 'OperationError' : e.name, String(e.message));
    }
    openConnections.add(this);
  }

  // --- attributes -----------------------------------------------------------------------------

  get localDescription(): RTCSessionDescription | null {
    return this.#description(this.#descriptions.pendingLocal ?? this.#descriptions.currentLocal);
  }
  get currentLocalDescription(): RTCSessionDescription | null {
    return this.#description(this.#descriptions.currentLocal);
  }
  get pendingLocalDescription(): RTCSessionDescription | null {
    return this.#description(this.#descriptions.pendingLocal);
  }
  get remoteDescription(): RTCSessionDescription | null {
    return this.#description(this.#descriptions.pendingRemote ?? this.#descriptions.currentRemote);
  }
  get currentRemoteDescription(): RTCSessionDescription | null {
    return this.#description(this.#descriptions.currentRemote);
  }
  get pendingRemoteDescription(): RTCSessionDescription | null {
    return this.#description(this.#descriptions.pendingRemote);
  }
  get signalingState(): RTCSignalingState {
    return this.#signalingState;
  }
  get iceGatheringState(): RTCIceGatheringState {
    return this.#iceGatheringState;
  }
  get iceConnectionState(): RTCIceConnectionState {
    return this.#iceConnectionState;
  }
  get connectionState(): RTCPeerConnectionState {
    return this.#connectionState;
  }
  get canTrickleIceCandidates(): boolean | null {
    const remote = this.#descriptions.pendingRemote ?? this.#descriptions.currentRemote;
    return remote ? supportsTrickle(remote.sdp) : null;
  }
  get sctp(): RTCSctpTransport | null {
    return this.#sctp;
  }

  // --- configuration --------------------------------------------------------------------------

  getConfiguration(): RTCConfiguration {
    const c = this.#configuration.public;
    return {
      iceServers: c.iceServers.map((s) => ({ ...s, urls: Array.isArray(s.urls) ? [...s.urls] : s.urls })),
      iceTransportPolicy: c.iceTransportPolicy,
      bundlePolicy: c.bundlePolicy,
      rtcpMuxPolicy: c.rtcpMuxPolicy,
      iceCandidatePoolSize: c.iceCandidatePoolSize,
      certificates: [...c.certificates],
    };
  }

  setConfiguration(configuration?: RTCConfiguration): void {
    if (this.#closed) throw domException('InvalidStateError', 'The RTCPeerConnection is closed.');
    const next = normaliseConfiguration(configuration);
    const current = this.#configuration;
    if (next.certificatesGiven) {
      const a = next.public.certificates;
      const b = current.public.certificates;
      if (a.length !== b.length || a.some((c, i) => c !== b[i])) {
        throw domException('InvalidModificationError', 'Attempted to modify the certificates.');
      }
    }
    if (next.public.bundlePolicy !== current.public.bundlePolicy) {
      throw domException('InvalidModificationError', 'Attempted to modify the bundlePolicy.');
    }
    if (next.public.rtcpMuxPolicy !== current.public.rtcpMuxPolicy) {
      throw domException('InvalidModificationError', 'Attempted to modify the rtcpMuxPolicy.');
    }
    if (
      next.public.iceCandidatePoolSize !== current.public.iceCandidatePoolSize &&
      (this.#descriptions.currentLocal || this.#descriptions.pendingLocal)
    ) {
      throw domException(
        'InvalidModificationError',
        'Attempted to modify iceCandidatePoolSize after setLocalDescription.',
      );
    }
    next.public.certificates = current.public.certificates;
    next.record.certificates = current.record.certificates;
    noteCall('RTCPeerConnection.setConfiguration()');
    const error = this.#native.setConfiguration(next.record);
    if (error) throw fromRecord(error);
    this.#configuration = next;
  }

  // --- offer/answer ---------------------------------------------------------------------------

  createOffer(options?: RTCOfferOptions): Promise<RTCSessionDescriptionInit>;
  createOffer(
    successCallback: RTCSessionDescriptionCallback,
    failureCallback: RTCPeerConnectionErrorCallback,
    options?: RTCOfferOptions,
  ): Promise<void>;
  // biome-ignore lint/suspicious/noConfusingVoidType: the implementation of both overloads, one Promise<void>
  createOffer(...args: unknown[]): Promise<RTCSessionDescriptionInit | void> {
    // WebIDL picks the overload by argument count: two or more is the legacy form.
    if (args.length >= 2) return this.#legacy(args[0], args[1], () => this.#createDescription('offer', args[2]));
    return this.#createDescription('offer', args[0]);
  }

  createAnswer(options?: RTCAnswerOptions): Promise<RTCSessionDescriptionInit>;
  createAnswer(
    successCallback: RTCSessionDescriptionCallback,
    failureCallback: RTCPeerConnectionErrorCallback,
  ): Promise<void>;
  // biome-ignore lint/suspicious/noConfusingVoidType: the implementation of both overloads, one Promise<void>
  createAnswer(...args: unknown[]): Promise<RTCSessionDescriptionInit | void> {
    if (args.length >= 2) return this.#legacy(args[0], args[1], () => this.#createDescription('answer', undefined));
    return this.#createDescription('answer', args[0]);
  }

  setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void>;
  setLocalDescription(
    description: RTCLocalSessionDescriptionInit,
    successCallback: () => void,
    failureCallback: RTCPeerConnectionErrorCallback,
  ): Promise<void>;
  setLocalDescription(...args: unknown[]): Promise<void> {
    if (args.length >= 3) return this.#legacy(args[1], args[2], () => this.#setDescription('local', args[0]));
    return this.#setDescription('local', args[0]);
  }

  setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void>;
  setRemoteDescription(
    description: RTCSessionDescriptionInit,
    successCallback: () => void,
    failureCallback: RTCPeerConnectionErrorCallback,
  ): Promise<void>;
  setRemoteDescription(...args: unknown[]): Promise<void> {
    if (args.length >= 3) return this.#legacy(args[1], args[2], () => this.#setDescription('remote', args[0]));
    return this.#setDescription('remote', args[0]);
  }

  addIceCandidate(candidate?: RTCIceCandidateInit | RTCIceCandidate | null): Promise<void>;
  addIceCandidate(
    candidate: RTCIceCandidateInit | RTCIceCandidate | null,
    successCallback: () => void,
    failureCallback: RTCPeerConnectionErrorCallback,
  ): Promise<void>;
  addIceCandidate(...args: unknown[]): Promise<void> {
    if (args.length >= 3) return this.#legacy(args[1], args[2], () => this.#addIceCandidate(args[0]));
    return this.#addIceCandidate(args[0]);
  }

  restartIce(): void {
    if (this.#closed) return;
    noteCall('RTCPeerConnection.restartIce()');
    this.#native.restartIce();
  }

  // --- data channels and transceivers ---------------------------------------------------------

  createDataChannel(label: string, dataChannelDict?: RTCDataChannelInit): RTCDataChannel {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'createDataChannel': 1 argument required.");
    const name = String(label);
    const init = dictionary(dataChannelDict, 'RTCDataChannelInit');
    if (this.#closed) throw domException('InvalidStateError', 'The RTCPeerConnection is closed.');
    const protocol = init.protocol === undefined ? '' : String(init.protocol);
    if (Buffer.byteLength(name) > 65535) throw new TypeError('The label is longer than 65535 bytes.');
    if (Buffer.byteLength(protocol) > 65535) throw new TypeError('The protocol is longer than 65535 bytes.');
    const maxPacketLifeTime =
      init.maxPacketLifeTime === undefined ? -1 : enforceRange(init.maxPacketLifeTime, 65535, 'maxPacketLifeTime');
    const maxRetransmits =
      init.maxRetransmits === undefined ? -1 : enforceRange(init.maxRetransmits, 65535, 'maxRetransmits');
    if (maxPacketLifeTime >= 0 && maxRetransmits >= 0) {
      throw new TypeError('maxPacketLifeTime and maxRetransmits cannot both be set.');
    }
    const negotiated = Boolean(init.negotiated);
    const id = init.id === undefined ? -1 : enforceRange(init.id, 65535, 'id');
    if (negotiated && id < 0) throw new TypeError('A negotiated channel needs an id.');
    if (id === 65535) throw new TypeError('id 65535 is reserved.');
    const record: Binding.DataChannelInitRecord = {
      ordered: init.ordered === undefined ? true : Boolean(init.ordered),
      maxPacketLifeTime,
      maxRetransmits,
      protocol,
      negotiated,
      id: negotiated ? id : -1,
      priority: enumValue(init.priority, PRIORITIES, 'low', 'RTCPriorityType'),
    };
    noteCall('RTCPeerConnection.createDataChannel()');
    const result = this.#native.createDataChannel(name, record);
    if (!(result instanceof binding.DataChannel)) {
      const error = result as Binding.ErrorRecord;
      // libwebrtc: RESOURCE_EXHAUSTED / INVALID_RANGE when no stream id is left or the id is used.
      throw fromRecord(error.name === 'InvalidStateError' ? error : { ...error, name: 'OperationError' });
    }
    const channel = createDataChannelObject(result, this, false);
    this.#channels.set(result.handle, channel);
    return channel;
  }

  addTransceiver(trackOrKind: MediaStreamTrack | 'audio' | 'video', init?: RTCRtpTransceiverInit): RTCRtpTransceiver {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'addTransceiver': 1 argument required.");
    const options = dictionary(init, 'RTCRtpTransceiverInit');
    let kind: 'audio' | 'video';
    let track: MediaStreamTrack | null = null;
    if (trackOrKind instanceof MediaStreamTrack) {
      track = trackOrKind;
      kind = track.kind;
    } else if (typeof trackOrKind === 'string') {
      if (trackOrKind !== 'audio' && trackOrKind !== 'video') {
        throw new TypeError(`The provided value '${trackOrKind}' is not a valid kind ('audio' or 'video').`);
      }
      kind = trackOrKind;
    } else {
      throw new TypeError(
        "Failed to execute 'addTransceiver': parameter 1 is not of type 'MediaStreamTrack' or a kind.",
      );
    }
    const direction = enumValue(options.direction, TRANSCEIVER_DIRECTIONS, 'sendrecv', 'RTCRtpTransceiverDirection');
    const context = "Failed to read the 'streams' property";
    const streamIds =
      options.streams === undefined
        ? []
        : toSequence(
            options.streams,
            elementOf((s): s is MediaStream => s instanceof MediaStream, `${context}: not a MediaStream.`),
            context,
          ).map((stream) => stream.id);
    const sendEncodings = sendEncodingRecords(options.sendEncodings, kind);
    if (this.#closed) throw domException('InvalidStateError', 'The RTCPeerConnection is closed.');
    if (track && track.readyState === 'ended') throw domException('InvalidStateError', 'The track has ended.');
    noteCall('RTCPeerConnection.addTransceiver()');
    const result = this.#native.addTransceiver(track ? MediaStreamTrack.native(track) : kind, {
      direction,
      streamIds,
      sendEncodings,
    });
    if (!(result instanceof binding.RtpTransceiver)) throw fromRecord(result as Binding.ErrorRecord);
    const transceiver = this.#transceiver(result);
    if (track) RTCRtpSender.setTrack(transceiver.sender, track);
    return transceiver;
  }

  getTransceivers(): RTCRtpTransceiver[] {
    if (this.#closed) return [...this.#transceivers.values()];
    return this.#native.getTransceivers().map((native) => this.#transceiver(native));
  }

  /** The senders of the transceivers that are not stopped (spec). */
  getSenders(): RTCRtpSender[] {
    return this.getTransceivers()
      .filter((t) => !t.stopped)
      .map((t) => t.sender);
  }

  /** The receivers of the transceivers that are not stopped (spec). */
  getReceivers(): RTCRtpReceiver[] {
    return this.getTransceivers()
      .filter((t) => !t.stopped)
      .map((t) => t.receiver);
  }

  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RTCRtpSender {
    if (arguments.length < 1)
      throw new TypeError("Failed to execute 'addTrack' on 'RTCPeerConnection': 1 argument required.");
    requireTrack(track, "Failed to execute 'addTrack' on 'RTCPeerConnection'");
    for (const stream of streams) {
      if (!(stream instanceof MediaStream)) {
        throw new TypeError(
          "Failed to execute 'addTrack' on 'RTCPeerConnection': parameter is not of type 'MediaStream'.",
        );
      }
    }
    if (this.#closed) throw domException('InvalidStateError', 'The RTCPeerConnection is closed.');
    if (track.readyState === 'ended') throw domException('InvalidStateError', 'The track has ended.');
    if (this.getSenders().some((sender) => sender.track === track)) {
      throw domException('InvalidAccessError', 'A sender already exists for the track.');
    }
    noteCall('RTCPeerConnection.addTrack()');
    const result = this.#native.addTrack(
      MediaStreamTrack.native(track),
      streams.map((s) => s.id),
    );
    if (!(result instanceof binding.RtpTransceiver)) throw fromRecord(result as Binding.ErrorRecord);
    const sender = this.#transceiver(result).sender;
    RTCRtpSender.setTrack(sender, track);
    return sender;
  }

  removeTrack(sender: RTCRtpSender): void {
    if (arguments.length < 1)
      throw new TypeError("Failed to execute 'removeTrack' on 'RTCPeerConnection': 1 argument required.");
    if (!(sender instanceof RTCRtpSender)) {
      throw new TypeError(
        "Failed to execute 'removeTrack' on 'RTCPeerConnection': parameter 1 is not of type 'RTCRtpSender'.",
      );
    }
    if (this.#closed) throw domException('InvalidStateError', 'The RTCPeerConnection is closed.');
    const transceiver = [...this.#transceivers.values()].find((t) => t.sender === sender);
    if (!transceiver) throw domException('InvalidAccessError', 'The sender was not created by this connection.');
    if (transceiver.stopped || sender.track === null) return;
    noteCall('RTCPeerConnection.removeTrack()');
    const error = this.#native.removeTrack(RTCRtpSender.native(sender));
    if (error) throw fromRecord(error);
    RTCRtpSender.setTrack(sender, null);
  }

  // --- statistics -----------------------------------------------------------------------------

  /**
   * The connection's statistics, or those the spec's selection algorithm gives for a track
   * (which must be the track of exactly one sender or receiver: InvalidAccessError otherwise).
   */
  getStats(selector?: MediaStreamTrack | null): Promise<RTCStatsReport>;
  getStats(...args: unknown[]): Promise<RTCStatsReport> {
    // getStats.length is 0, as in browsers: simple-peer tells the promise form by it.
    const selector = args[0];
    const site = new Error();
    let target: Binding.RtpSender | Binding.RtpReceiver | null = null;
    if (selector !== undefined && selector !== null) {
      if (!(selector instanceof MediaStreamTrack)) {
        return Promise.reject(
          new TypeError(
            "Failed to execute 'getStats' on 'RTCPeerConnection': parameter 1 is not of type 'MediaStreamTrack'.",
          ),
        );
      }
      const senders = this.getSenders().filter((s) => s.track === selector);
      const receivers = this.getReceivers().filter((r) => r.track === selector);
      if (senders.length + receivers.length !== 1) {
        return Promise.reject(
          domException(
            'InvalidAccessError',
            'The track is not the track of exactly one sender or receiver.',
            site.stack,
          ),
        );
      }
      target = senders[0] ? RTCRtpSender.native(senders[0]) : RTCRtpReceiver.native(receivers[0]!);
    }
    return this.#stats(target, site);
  }

  #stats(target: Binding.RtpSender | Binding.RtpReceiver | null, site: Error = new Error()): Promise<RTCStatsReport> {
    if (this.#closed)
      return Promise.reject(domException('InvalidStateError', 'The RTCPeerConnection is closed.', site.stack));
    return this.#native_operation((opId) => this.#native.getStats(opId, target)).then((done) => {
      if (done.error) throw fromRecord(done.error, site.stack);
      return createStatsReport(done.stats ?? []);
    });
  }

  // --- close ----------------------------------------------------------------------------------

  close(): void {
    if (this.#closed) return;
    // The spec's "close the connection": states change without events; channels close
    // abruptly; nothing queued from libwebrtc fires afterwards.
    this.#closed = true;
    this.#signalingState = 'closed';
    this.#iceConnectionState = 'closed';
    this.#connectionState = 'closed';
    for (const transceiver of this.#transceivers.values()) {
      detachTransceiver(transceiver);
      // Stopping the receivers ends their tracks, without an event (spec).
      MediaStreamTrack.end(transceiver.receiver.track, false);
    }
    for (const channel of this.#channels.values()) closeChannel(channel);
    if (this.#sctp) RTCSctpTransport.closeSilently(this.#sctp);
    for (const transport of this.#dtlsTransports.values()) RTCDtlsTransport.closeSilently(transport);
    noteCall('RTCPeerConnection.close()');
    this.#native.close();
    openConnections.delete(this);
    if (openConnections.size === 0) scheduleHeapTrim();
    this.#operations.clear();
    this.#chain.length = 0;
  }

  // --- internals ------------------------------------------------------------------------------

  /** Whether close() was called (RTCDataChannel asks, for its own checks). */
  static isClosed(pc: RTCPeerConnection): boolean {
    return pc.#closed;
  }

  /**
   * The legacy callback forms: the operation runs as the promise form does, its outcome goes to
   * the callbacks, and the returned promise resolves with undefined at once (spec §4.4.3.1).
   */
  #legacy<T>(success: unknown, failure: unknown, run: () => Promise<T>): Promise<void> {
    if (!callable(success) || !callable(failure)) {
      return Promise.reject(new TypeError('The success and failure callbacks must be functions.'));
    }
    run().then(
      (value) => (success as (value: T) => void)(value),
      (error: DOMException) => (failure as RTCPeerConnectionErrorCallback)(error),
    );
    return Promise.resolve();
  }

  /** Chains `operation` (spec §4.4.1.2): it starts at once when nothing runs, else in turn. */
  #chainOperation<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(domException('InvalidStateError', 'The RTCPeerConnection is closed.'));
    return new Promise<T>((resolve, reject) => {
      const run = () => {
        let p: Promise<T>;
        try {
          p = operation();
        } catch (error) {
          p = Promise.reject(error);
        }
        p.then(resolve, reject).finally(() => this.#nextInChain());
      };
      if (this.#chainBusy) {
        this.#chain.push(run);
      } else {
        this.#chainBusy = true;
        run();
      }
    });
  }

  #nextInChain(): void {
    if (this.#closed) return;
    const next = this.#chain.shift();
    if (next) {
      next();
      return;
    }
    this.#chainBusy = false;
    // A negotiationneeded held back while the chain ran gets its chance now.
    const pending = this.#pendingNegotiationNeeded;
    this.#pendingNegotiationNeeded = null;
    if (pending !== null) this.#fireNegotiationNeeded(pending);
  }

  /** Runs a native operation; resolves with its completion event (which may carry an error). */
  #native_operation(
    start: (opId: number) => void,
  ): Promise<Extract<Binding.PeerConnectionEvent, { type: 'operation' }>> {
    return new Promise((resolve) => {
      const opId = this.#nextOperationId++;
      this.#operations.set(opId, { resolve });
      start(opId);
    });
  }

  #createDescription(kind: 'offer' | 'answer', options: unknown): Promise<RTCSessionDescriptionInit> {
    // The caller's stack, formatted only if the operation fails.
    const site = new Error();
    let record: Binding.OfferAnswerOptionsRecord;
    try {
      record = offerAnswerRecord(options);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#chainOperation(() => this.#create(kind, record, site));
  }

  /** "Create an offer/answer" (spec §4.4.1.4-5), inside the operations chain. */
  async #create(
    kind: 'offer' | 'answer',
    record: Binding.OfferAnswerOptionsRecord,
    site: Error,
  ): Promise<RTCSessionDescriptionInit> {
    const state = this.#signalingState;
    if (kind === 'offer' && state !== 'stable' && state !== 'have-local-offer') {
      throw domException(
        'InvalidStateError',
        `createOffer() is not possible in signalingState '${state}'.`,
        site.stack,
      );
    }
    if (kind === 'answer' && state !== 'have-remote-offer' && state !== 'have-local-pranswer') {
      throw domException(
        'InvalidStateError',
        `createAnswer() needs a remote offer; signalingState is '${state}'.`,
        site.stack,
      );
    }
    noteCall(`RTCPeerConnection.create${kind === 'offer' ? 'Offer' : 'Answer'}()`, site);
    const done = await this.#native_operation((opId) =>
      kind === 'offer' ? this.#native.createOffer(opId, record) : this.#native.createAnswer(opId, record),
    );
    if (done.error) {
      throw fromRecord(
        done.error.name === 'OperationError' ? done.error : { ...done.error, name: 'OperationError' },
        site.stack,
      );
    }
    const made = done.description!;
    if (kind === 'offer') this.#lastCreatedOffer = made.sdp;
    else this.#lastCreatedAnswer = made.sdp;
    return { type: made.type, sdp: made.sdp };
  }

  #setDescription(side: 'local' | 'remote', value: unknown): Promise<void> {
    // The caller's stack, formatted only if the operation fails.
    const site = new Error();
    let type: RTCSdpType | undefined;
    let sdp: string;
    try {
      if (side === 'remote' && !isObject(value)) {
        throw new TypeError(
          "Failed to execute 'setRemoteDescription': parameter 1 is not of type 'RTCSessionDescriptionInit'.",
        );
      }
      const init = dictionary(value, 'RTCSessionDescriptionInit');
      // Read the members once, as WebIDL does (getters on an RTCSessionDescription included).
      type = init.type === undefined ? undefined : enumValue(init.type, SDP_TYPES, 'offer', 'RTCSdpType');
      sdp = init.sdp === undefined ? '' : String(init.sdp);
      if (side === 'remote' && type === undefined) {
        throw new TypeError(
          "Failed to read the 'type' property from 'RTCSessionDescriptionInit': Required member is undefined.",
        );
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#chainOperation(async () => {
      let record: Binding.SessionDescriptionRecord | null = { type: type!, sdp };
      const state = this.#signalingState;
      if (type === 'rollback' && state === 'stable') {
        throw domException('InvalidStateError', 'There is nothing to roll back in signalingState stable.', site.stack);
      }
      if (side === 'local' && type !== 'rollback') {
        // Spec §4.4.1.6: no type means the one the state calls for; no SDP means "create one".
        const implicit = state === 'have-remote-offer' || state === 'have-local-pranswer' ? 'answer' : 'offer';
        const t = type ?? implicit;
        if (sdp === '') {
          const offering = t === 'offer';
          if (offering ? state !== 'stable' && state !== 'have-local-offer' : implicit !== 'answer') {
            throw domException(
              'InvalidStateError',
              `A local '${t}' cannot be made in signalingState '${state}'.`,
              site.stack,
            );
          }
          // libwebrtc makes and applies an offer or answer itself; a pranswer we make here.
          record =
            t === 'pranswer'
              ? { type: 'pranswer', sdp: (await this.#create('answer', offerAnswerRecord(undefined), site)).sdp ?? '' }
              : null;
        } else {
          // The SDP must be one this connection made. Edits that keep its identity (ICE
          // credentials, DTLS fingerprints) pass, as Chromium lets SDP munging through.
          const made = t === 'offer' ? this.#lastCreatedOffer : this.#lastCreatedAnswer;
          if (sdp !== made && (made === null || !sameIdentity(sdp, made))) {
            throw domException(
              'InvalidModificationError',
              `The ${t} SDP was not created by this RTCPeerConnection.`,
              site.stack,
            );
          }
          record = { type: t, sdp };
        }
      }
      noteCall(`RTCPeerConnection.set${side === 'local' ? 'Local' : 'Remote'}Description()`, site);
      const done = await this.#native_operation((opId) =>
        side === 'local'
          ? this.#native.setLocalDescription(opId, record)
          : this.#native.setRemoteDescription(opId, record!),
      );
      if (done.descriptions) this.#setDescriptions(done.descriptions);
      if (done.transports) this.#applyTransports(done.transports);
      if (done.sctp) this.#sctpNegotiated(done.sctp);
      if (done.error) throw fromRecord(done.error, site.stack);
      if (side === 'remote') this.#syncRemoteStreams();
    });
  }

  #addIceCandidate(value: unknown): Promise<void> {
    // The caller's stack, formatted only if the operation fails.
    const site = new Error();
    let init: Record<string, unknown>;
    let record: Binding.IceCandidateRecord;
    try {
      init = dictionary(value, 'RTCIceCandidateInit');
      record = {
        candidate: init.candidate === undefined || init.candidate === null ? '' : String(init.candidate),
        sdpMid: init.sdpMid === undefined || init.sdpMid === null ? null : String(init.sdpMid),
        sdpMLineIndex:
          init.sdpMLineIndex === undefined || init.sdpMLineIndex === null
            ? null
            : enforceRange(init.sdpMLineIndex, 65535, 'sdpMLineIndex'),
        usernameFragment:
          init.usernameFragment === undefined || init.usernameFragment === null ? null : String(init.usernameFragment),
      };
      if (record.candidate !== '' && record.sdpMid === null && record.sdpMLineIndex === null) {
        throw new TypeError('Candidate missing values for both sdpMid and sdpMLineIndex.');
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#chainOperation(async () => {
      const remote = this.#descriptions.pendingRemote ?? this.#descriptions.currentRemote;
      if (!remote) throw domException('InvalidStateError', 'addIceCandidate() needs a remote description.', site.stack);
      const sections = mediaSections(remote.sdp);
      let section: (typeof sections)[number] | undefined;
      if (record.sdpMid !== null) {
        section = sections.find((s) => s.mid === record.sdpMid);
        if (!section && record.candidate !== '') {
          throw domException('OperationError', `No media section with mid '${record.sdpMid}'.`, site.stack);
        }
      } else if (record.sdpMLineIndex !== null) {
        section = sections[record.sdpMLineIndex];
        if (!section)
          throw domException('OperationError', `sdpMLineIndex ${record.sdpMLineIndex} is out of range.`, site.stack);
      }
      if (record.usernameFragment !== null) {
        const candidates = section ? [section] : sections;
        if (!candidates.some((s) => s.ufrag === record.usernameFragment)) {
          throw domException(
            'OperationError',
            `usernameFragment '${record.usernameFragment}' matches no remote ICE ufrag.`,
            site.stack,
          );
        }
      }
      // An empty candidate is end-of-candidates: nothing for libwebrtc to add.
      if (record.candidate === '') return;
      noteCall('RTCPeerConnection.addIceCandidate()', site);
      const done = await this.#native_operation((opId) => this.#native.addIceCandidate(opId, record));
      if (done.descriptions) this.#setDescriptions(done.descriptions);
      if (done.error) throw fromRecord({ ...done.error, name: 'OperationError' }, site.stack);
    });
  }

  #transceiver(native: Binding.RtpTransceiver): RTCRtpTransceiver {
    let transceiver = this.#transceivers.get(native.handle);
    if (!transceiver) {
      transceiver = createTransceiverObject(native, this.#transceiverOwner);
      this.#transceivers.set(native.handle, transceiver);
    }
    return transceiver;
  }

  /** What transceivers, senders and receivers reach of their connection. */
  readonly #transceiverOwner: TransceiverOwner = (() => {
    const pc = this;
    return {
      get signalingState() {
        return pc.#signalingState;
      },
      get connectionState() {
        return pc.#connectionState;
      },
      chain: <T>(operation: () => Promise<T>) => pc.#chainOperation(operation),
      dtlsTransport: (record: Binding.DtlsTransportStateRecord | null) =>
        record === null ? null : pc.#dtlsTransport(record.handle, record.state),
      getStats: (selector: Binding.RtpSender | Binding.RtpReceiver) => pc.#stats(selector),
    };
  })();

  /** The same RTCSessionDescription object for the same description, until it changes. */
  #description(record: Binding.SessionDescriptionRecord | null): RTCSessionDescription | null {
    if (!record) return null;
    const key = `${record.type}\n${record.sdp}`;
    let object = this.#descriptionObjects.get(key);
    if (!object) {
      object = new RTCSessionDescription(record);
      this.#descriptionObjects.set(key, object);
    }
    return object;
  }

  #setDescriptions(descriptions: Binding.DescriptionsSnapshot): void {
    this.#descriptions = descriptions;
    const keep = new Set(
      [descriptions.currentLocal, descriptions.pendingLocal, descriptions.currentRemote, descriptions.pendingRemote]
        .filter((d): d is Binding.SessionDescriptionRecord => d !== null)
        .map((d) => `${d.type}\n${d.sdp}`),
    );
    for (const key of this.#descriptionObjects.keys()) if (!keep.has(key)) this.#descriptionObjects.delete(key);
  }

  /** A remote track added (or re-added) by a remote description: streams updated, then 'track'. */
  #remoteTrack(native: Binding.RtpTransceiver, streamIds: string[]): void {
    const transceiver = this.#transceiver(native);
    const receiver = transceiver.receiver;
    const track = receiver.track;
    const streams = streamIds.map((id) => this.#remoteStream(id));
    this.#setRemoteStreams(receiver, streams);
    this.dispatchEvent(new RTCTrackEvent('track', { receiver, track, streams, transceiver }));
  }

  #remoteStream(id: string): MediaStream {
    let stream = this.#remoteStreams.get(id);
    if (!stream) {
      stream = MediaStream.remote(id);
      this.#remoteStreams.set(id, stream);
    }
    return stream;
  }

  /** The spec's "set the associated remote streams": removetrack, then addtrack, on the streams that change. */
  #setRemoteStreams(receiver: RTCRtpReceiver, streams: MediaStream[]): void {
    const track = receiver.track;
    for (const old of this.#associatedStreams.get(receiver) ?? []) {
      if (!streams.includes(old)) MediaStream.removeRemoteTrack(old, track);
    }
    this.#associatedStreams.set(receiver, streams);
    for (const stream of streams) MediaStream.addRemoteTrack(stream, track);
  }

  /**
   * After a remote description: the remote streams of every receiving transceiver as that
   * description names them (libwebrtc fires its track event only when a track starts being
   * received, not when its streams change, e.g. after the remote side's setStreams()).
   */
  #syncRemoteStreams(): void {
    for (const transceiver of this.#transceivers.values()) {
      const direction = transceiver.currentDirection;
      if (transceiver.stopped || (direction !== 'sendrecv' && direction !== 'recvonly')) continue;
      const ids = RTCRtpReceiver.native(transceiver.receiver).streamIds();
      const current = (this.#associatedStreams.get(transceiver.receiver) ?? []).map((s) => s.id);
      if (ids.length === current.length && ids.every((id, i) => id === current[i])) continue;
      this.#setRemoteStreams(
        transceiver.receiver,
        ids.map((id) => this.#remoteStream(id)),
      );
    }
  }

  /** The remote description no longer sends on this transceiver: the track leaves its streams and mutes. */
  #remoteTrackRemoved(handle: number): void {
    const transceiver = this.#transceivers.get(handle);
    if (!transceiver) return;
    const { receiver } = transceiver;
    const streams = this.#associatedStreams.get(receiver) ?? [];
    this.#associatedStreams.set(receiver, []);
    for (const stream of streams) MediaStream.removeRemoteTrack(stream, receiver.track);
    MediaStreamTrack.setMuted(receiver.track, true);
  }

  /** The RTCDtlsTransport for a native handle, made the first time it is named (in `state`). */
  #dtlsTransport(handle: number, state?: Binding.DtlsTransportState): RTCDtlsTransport {
    let transport = this.#dtlsTransports.get(handle);
    if (!transport) {
      const pc = this;
      transport = createDtlsTransport(handle, {
        info: () => (pc.#closed ? null : pc.#native.transportInfo(handle)),
        get localDescription() {
          return pc.localDescription;
        },
        get remoteDescription() {
          return pc.remoteDescription;
        },
      });
      this.#dtlsTransports.set(handle, transport);
      if (state) RTCDtlsTransport.setState(transport, state, false);
      RTCIceTransport.set(transport.iceTransport, {
        state: this.#iceConnectionState,
        gatheringState: this.#iceGatheringState,
      });
    }
    return transport;
  }

  /** DTLS transports' states from native, before the connection state they may change. */
  #applyTransports(transports: Binding.DtlsTransportStateRecord[]): void {
    for (const { handle, state } of transports) RTCDtlsTransport.setState(this.#dtlsTransport(handle), state);
  }

  /** The ICE transports mirror the connection's ICE states. */
  #setIceTransports(change: { state?: RTCIceConnectionState; gatheringState?: RTCIceGatheringState }): void {
    for (const transport of this.#dtlsTransports.values()) {
      // A transport whose DTLS is connected has a connected ICE transport (see setState there).
      const behind = transport.state === 'connected' && (change.state === 'new' || change.state === 'checking');
      RTCIceTransport.set(transport.iceTransport, behind ? { gatheringState: change.gatheringState } : change);
    }
  }

  /** After a description is applied: the SCTP transport appears once SCTP is negotiated. */
  #sctpNegotiated(record: Binding.SctpRecord): void {
    if (record.dtlsHandle === null) return;
    const transport = this.#dtlsTransport(record.dtlsHandle);
    if (!this.#sctp) this.#sctp = createSctpTransport(this, transport);
    else RTCSctpTransport.setTransport(this.#sctp, transport); // moved by BUNDLE
    RTCSctpTransport.onEvent(this.#sctp, record);
  }

  #fireNegotiationNeeded(eventId: number): void {
    if (this.#closed) return;
    if (this.#chainBusy) {
      this.#pendingNegotiationNeeded = eventId;
      return;
    }
    if (!this.#native.shouldFireNegotiationNeeded(eventId)) return;
    this.dispatchEvent(new Event('negotiationneeded'));
  }

  #onEvent(event: Binding.PeerConnectionEvent): void {
    if (this.#closed) return; // queued before close(), delivered after: dropped (spec)
    switch (event.type) {
      case 'signalingstatechange':
        this.#setDescriptions(event.descriptions);
        this.#signalingState = event.state;
        this.dispatchEvent(new Event('signalingstatechange'));
        break;
      case 'icegatheringstatechange':
        this.#iceGatheringState = event.state;
        this.#setIceTransports({ gatheringState: event.state });
        this.dispatchEvent(new Event('icegatheringstatechange'));
        if (event.state === 'complete' && !this.#closed) {
          this.dispatchEvent(new RTCPeerConnectionIceEvent('icecandidate', { candidate: null }));
        }
        break;
      case 'iceconnectionstatechange':
        this.#applyTransports(event.transports);
        if (this.#closed) break;
        this.#iceConnectionState = event.state;
        this.#setIceTransports({ state: event.state });
        this.dispatchEvent(new Event('iceconnectionstatechange'));
        break;
      case 'connectionstatechange':
        this.#applyTransports(event.transports);
        if (this.#closed) break;
        this.#connectionState = event.state;
        this.dispatchEvent(new Event('connectionstatechange'));
        break;
      case 'icecandidate': {
        this.#setDescriptions(event.descriptions);
        const candidate = new RTCIceCandidate(event.candidate);
        if (candidate.address !== null && candidate.port !== null) {
          this.#localCandidateAddresses.push({ address: candidate.address, port: candidate.port });
        }
        this.dispatchEvent(new RTCPeerConnectionIceEvent('icecandidate', { candidate }));
        break;
      }
      case 'icecandidateerror': {
        // The spec: address is the local address used to reach the server, null when no local
        // candidate exposed it, and port is null when address is. libwebrtc (and so Chromium)
        // reports the socket's address with its host part hidden ("192.0.2.x"), also for a
        // socket no candidate was gathered on (a relay-only policy, a TCP or TLS connection to
        // the server): the address of the local candidate on that socket, or null.
        const exposed =
          event.address === null || event.port === null
            ? undefined
            : this.#localCandidateAddresses.find(
                (c) => c.port === event.port && sameLocalAddress(event.address!, c.address),
              );
        this.dispatchEvent(
          new RTCPeerConnectionIceErrorEvent('icecandidateerror', {
            address: exposed?.address ?? null,
            port: exposed?.port ?? null,
            url: event.url,
            errorCode: event.errorCode,
            errorText: event.errorText,
          }),
        );
        break;
      }
      case 'negotiationneeded':
        this.#fireNegotiationNeeded(event.eventId);
        break;
      case 'datachannel': {
        const channel = createDataChannelObject(event.channel, this, true);
        this.#channels.set(event.channel.handle, channel);
        this.dispatchEvent(new RTCDataChannelEvent('datachannel', { channel }));
        if (!this.#closed) announceOpen(channel);
        break;
      }
      case 'operation': {
        const operation = this.#operations.get(event.opId);
        this.#operations.delete(event.opId);
        operation?.resolve(event);
        break;
      }
      case 'sctpstatechange':
        if (this.#sctp) RTCSctpTransport.onEvent(this.#sctp, event);
        break;
      case 'dtlsstatechange':
        RTCDtlsTransport.setState(this.#dtlsTransport(event.handle), event.state);
        break;
      case 'track':
        this.#remoteTrack(event.transceiver, event.streamIds);
        break;
      case 'selectedcandidatepairchange':
        this.#dtlsTransport(event.handle).iceTransport.dispatchEvent(new Event('selectedcandidatepairchange'));
        break;
      case 'removetrack':
        this.#remoteTrackRemoved(event.handle);
        break;
      case 'unmute': {
        const transceiver = this.#transceivers.get(event.handle);
        if (transceiver) MediaStreamTrack.setMuted(transceiver.receiver.track, false);
        break;
      }
      case 'tonechange': {
        const transceiver = this.#transceivers.get(event.handle);
        if (transceiver) RTCRtpSender.dtmfToneChange(transceiver.sender, event.tone);
        break;
      }
      case 'channelstate':
      case 'message':
      case 'bufferedamountlow': {
        const channel = this.#channels.get(event.handle);
        if (!channel) break;
        deliverChannelEvent(channel, event);
        if (event.type === 'channelstate' && event.state === 'closed') this.#channels.delete(event.handle);
        break;
      }
    }
  }
}

defineEventHandlers(RTCPeerConnection, [
  'negotiationneeded',
  'icecandidate',
  'icecandidateerror',
  'signalingstatechange',
  'iceconnectionstatechange',
  'icegatheringstatechange',
  'connectionstatechange',
  'datachannel',
  'track',
]);
