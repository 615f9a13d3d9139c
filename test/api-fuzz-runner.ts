// The JS-level fuzz of the public API (test/api-fuzz.test.ts), run inside a child process by
// test/fixtures/api-fuzz.js so that a native crash fails the test with its signal and stderr.
//
// Every constructor, method, setter, getter and static of the package's exports is found at run
// time (exports, then each class's prototype chain up to EventTarget / Event / DOMException), so
// new API is fuzzed without being listed here. Each call gets values from a seeded PRNG: garbage
// of every JS type, objects whose getters / valueOf / toString throw, Proxies, detached buffers,
// objects of the wrong class, and dictionaries of the API (hand-listed below) whose members are
// a mix of valid and garbage values. `this` is an object of the right class in one of several
// states (new, closed, negotiating, connected), or a wrong one.
//
// What must hold:
//   - a synchronous throw is a TypeError, RangeError, or a DOMException with a name the specs
//     use (RTCError and OverconstrainedError included) — or the very exception one of the
//     fuzz's own getters/callbacks threw (WebIDL: user code's exceptions propagate unchanged);
//   - a returned promise settles within SETTLE_MS (unless its connection was closed while it
//     was pending: the spec then leaves it pending forever) and rejects only with those types;
//   - errors handed to legacy failure callbacks are of those types too;
//   - no uncaught exception or unhandled rejection other than the fuzz's own;
//   - afterwards a fresh connected pair still exchanges a message.
import * as fs from 'node:fs';
import { types } from 'node:util';
import * as api from '../lib/index.js';

const SETTLE_MS = 20000;

// --- the PRNG ------------------------------------------------------------------------------

/** sfc32: small, fast, and the same sequence for the same seed on every platform. */
export function makeRandom(seed: number): () => number {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 ^ (seed * 31);
  let c = 0xb7e15162;
  let d = 1 ^ seed;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

// --- what is allowed to come out ------------------------------------------------------------

/** Thrown by the fuzz's own getters, valueOf, toString, Proxy traps and callbacks. */
export class FuzzSentinel extends Error {
  override name = 'FuzzSentinel';
}

/** DOMException names the WebRTC, Media Capture and WebIDL specs use. */
const SPEC_NAMES = new Set([
  'InvalidStateError',
  'InvalidAccessError',
  'OperationError',
  'NotSupportedError',
  'SyntaxError',
  'InvalidModificationError',
  'NotFoundError',
  'OverconstrainedError',
  'NotReadableError',
  'AbortError',
  'DataCloneError',
  'InvalidCharacterError',
  'NotAllowedError',
  'SecurityError',
  'TimeoutError',
  'QuotaExceededError',
  'DataError',
  'TypeMismatchError',
  'IndexSizeError',
  'UnknownError',
]);

/** Why `error` is not an allowed exception, or null when it is. */
export function badError(error: unknown): string | null {
  if (error instanceof FuzzSentinel) return null;
  if (error instanceof TypeError && error.constructor === TypeError) return null;
  if (error instanceof RangeError && error.constructor === RangeError) return null;
  if (error instanceof DOMException) {
    if (SPEC_NAMES.has(error.name)) return null;
    return `a DOMException named '${error.name}': ${error.message}`;
  }
  if (error instanceof Error)
    return `${error.constructor?.name ?? 'Error'} '${error.name}': ${error.message}\n${error.stack ?? ''}`;
  return `a non-error ${typeof error}: ${safeString(error)}`;
}

function safeString(value: unknown): string {
  try {
    if (typeof value === 'string')
      return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…(${value.length})` : value);
    if (typeof value === 'symbol') return value.toString();
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'function') return `function ${value.name}`;
    if (typeof value !== 'object' || value === null) return String(value);
    if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength})`;
    if (value instanceof ArrayBuffer) return `ArrayBuffer(${value.byteLength})`;
    if (Array.isArray(value)) return `Array(${value.length})`;
    const tag = Object.prototype.toString.call(value);
    if (tag !== '[object Object]') return tag;
    return `{${Object.keys(value).slice(0, 8).join(',')}}`;
  } catch {
    return '<unprintable>';
  }
}

// --- the world: objects of every class, in several states ------------------------------------

type AnyFn = (...args: any[]) => any;
interface Pool {
  /** Instances by class. */
  byClass: Map<Function, object[]>;
  /** The connection each object belongs to (its promises may stay pending once it is closed). */
  owner: WeakMap<object, api.RTCPeerConnection>;
  /** Everything to close / stop at the end of the epoch. */
  peers: api.RTCPeerConnection[];
  tracks: api.MediaStreamTrack[];
  sinks: { stop(): void }[];
  /** Real values to build dictionaries from. */
  offerSdp: string;
  answerSdp: string;
  candidate: string;
  codecs: object[];
  certificate: api.RTCCertificate | null;
  expiredCertificate: api.RTCCertificate | null;
}

function addInstance(pool: Pool, value: unknown, owner?: api.RTCPeerConnection): void {
  if (typeof value !== 'object' || value === null) return;
  let proto = Object.getPrototypeOf(value);
  while (proto && proto !== Object.prototype) {
    const ctor = proto.constructor as Function;
    if (!pool.byClass.has(ctor)) pool.byClass.set(ctor, []);
    const list = pool.byClass.get(ctor)!;
    if (!list.includes(value) && list.length < 40) list.push(value);
    proto = Object.getPrototypeOf(proto);
  }
  if (owner) pool.owner.set(value, owner);
}

function timeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function once(target: EventTarget, type: string): Promise<any> {
  return new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));
}

function wire(a: api.RTCPeerConnection, b: api.RTCPeerConnection): void {
  const forward = (to: api.RTCPeerConnection) => (event: any) => {
    if (event.candidate && to.signalingState !== 'closed') to.addIceCandidate(event.candidate).catch(() => {});
  };
  a.addEventListener('icecandidate', forward(b));
  b.addEventListener('icecandidate', forward(a));
}

async function negotiate(a: api.RTCPeerConnection, b: api.RTCPeerConnection): Promise<void> {
  await a.setLocalDescription(await a.createOffer());
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription(await b.createAnswer());
  await a.setRemoteDescription(b.localDescription!);
}

/** A connected pair with an open channel and an audio and a video transceiver each way. */
export async function connectedPair(pool?: Pool): Promise<{
  a: api.RTCPeerConnection;
  b: api.RTCPeerConnection;
  channelA: api.RTCDataChannel;
  channelB: api.RTCDataChannel;
}> {
  const a = new api.RTCPeerConnection();
  const b = new api.RTCPeerConnection();
  pool?.peers.push(a, b);
  wire(a, b);
  const channelA = a.createDataChannel('fuzz');
  const remote = once(b, 'datachannel');
  if (pool) {
    const audio = new api.nonstandard.RTCAudioSource().createTrack();
    const video = new api.nonstandard.RTCVideoSource().createTrack();
    pool.tracks.push(audio, video);
    a.addTrack(audio, new api.MediaStream([audio]));
    a.addTransceiver(video, { direction: 'sendrecv' });
    b.addEventListener('track', (event: any) => addInstance(pool, event, b));
  }
  const channelB = await timeout(
    (async () => {
      await negotiate(a, b);
      const channel = (await remote).channel as api.RTCDataChannel;
      if (channel.readyState !== 'open') await once(channel, 'open');
      if (channelA.readyState !== 'open') await once(channelA, 'open');
      return channel;
    })(),
    20000,
    'connecting a pair',
  );
  return { a, b, channelA, channelB };
}

async function buildWorld(random: () => number): Promise<Pool> {
  const pool: Pool = {
    byClass: new Map(),
    owner: new WeakMap(),
    peers: [],
    tracks: [],
    sinks: [],
    offerSdp: '',
    answerSdp: '',
    candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host',
    codecs: [],
    certificate: null,
    expiredCertificate: null,
  };
  const add = (value: unknown, owner?: api.RTCPeerConnection) => addInstance(pool, value, owner);
  const { nonstandard } = api;

  // Tracks, streams, sources and sinks.
  const videoSource = new nonstandard.RTCVideoSource();
  const audioSource = new nonstandard.RTCAudioSource();
  add(videoSource);
  add(audioSource);
  add(new nonstandard.RTCVideoSource({ isScreencast: true }));
  const video = videoSource.createTrack();
  const audio = audioSource.createTrack();
  const ended = videoSource.createTrack();
  ended.stop();
  const endedAudio = audioSource.createTrack();
  endedAudio.stop();
  pool.tracks.push(video, audio, ended, endedAudio);
  for (const track of [video, audio, ended, endedAudio]) add(track);
  const videoSink = new nonstandard.RTCVideoSink(video);
  const audioSink = new nonstandard.RTCAudioSink(audio);
  pool.sinks.push(videoSink, audioSink);
  add(videoSink);
  add(audioSink);
  add(new api.MediaStream());
  add(new api.MediaStream([video, audio]));
  add(api.mediaDevices);

  // Values.
  add(new api.RTCIceCandidate({ candidate: pool.candidate, sdpMid: '0' }));
  add(new api.RTCSessionDescription({ type: 'rollback' }));
  add(new api.RTCError({ errorDetail: 'sctp-failure', sctpCauseCode: 12 }, 'fuzz'));
  add(new api.OverconstrainedError('width', 'fuzz'));
  add(new api.RTCPeerConnectionIceEvent('icecandidate', { candidate: null }));
  add(new api.RTCDTMFToneChangeEvent('tonechange', { tone: '1' }));
  add(new api.MediaStreamTrackEvent('addtrack', { track: video }));
  if (!pool.certificate) {
    pool.certificate = await api.RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' } as any);
    pool.expiredCertificate = await api.RTCPeerConnection.generateCertificate({
      name: 'ECDSA',
      namedCurve: 'P-256',
      expires: 0,
    } as any);
  }
  add(pool.certificate);
  pool.codecs = [
    ...(api.RTCRtpSender.getCapabilities('video')?.codecs ?? []),
    ...(api.RTCRtpReceiver.getCapabilities('audio')?.codecs ?? []),
  ];

  // Connections: new, closed, have-local-offer, have-remote-offer, and a connected pair.
  const fresh = new api.RTCPeerConnection();
  pool.peers.push(fresh);
  add(fresh);
  const closed = new api.RTCPeerConnection();
  pool.peers.push(closed);
  const closedChannel = closed.createDataChannel('closed');
  const closedTransceiver = closed.addTransceiver('video');
  closed.close();
  add(closed);
  add(closedChannel, closed);
  add(closedTransceiver, closed);
  add(closedTransceiver.sender, closed);
  add(closedTransceiver.receiver, closed);
  add(closedTransceiver.receiver.track, closed);

  const offering = new api.RTCPeerConnection({ bundlePolicy: 'max-bundle', iceCandidatePoolSize: 1 });
  pool.peers.push(offering);
  add(offering);
  add(offering.createDataChannel('offering', { ordered: false, maxRetransmits: 1 }), offering);
  const offeringAudio = offering.addTransceiver('audio', { direction: 'sendonly' });
  add(offeringAudio, offering);
  const stopped = offering.addTransceiver('video');
  stopped.stop();
  add(stopped, offering);
  const offer = await offering.createOffer();
  await offering.setLocalDescription(offer);
  pool.offerSdp = offer.sdp!;
  add(offering.localDescription, offering);

  const answering = new api.RTCPeerConnection();
  pool.peers.push(answering);
  await answering.setRemoteDescription(offer);
  add(answering);
  for (const t of answering.getTransceivers()) add(t, answering);
  pool.answerSdp = (await answering.createAnswer()).sdp!;

  const pair = await connectedPair(pool);
  for (const [pc, channel] of [
    [pair.a, pair.channelA],
    [pair.b, pair.channelB],
  ] as const) {
    add(pc);
    add(channel, pc);
    add(pc.sctp, pc);
    add(pc.sctp?.transport, pc);
    add(pc.sctp?.transport.iceTransport, pc);
    for (const t of pc.getTransceivers()) {
      add(t, pc);
      add(t.sender, pc);
      add(t.sender.dtmf, pc);
      add(t.receiver, pc);
      add(t.receiver.track, pc);
      add(t.sender.transport, pc);
    }
    add(await pc.getStats(), pc);
  }
  const stats = await pair.a.getStats();
  add(stats);
  // A channel that closed on a live connection.
  const closing = pair.a.createDataChannel('closing');
  add(closing, pair.a);
  closing.close();
  void random;
  return pool;
}

async function teardownWorld(pool: Pool): Promise<void> {
  for (const sink of pool.sinks) sink.stop();
  for (const pc of pool.peers) pc.close();
  for (const track of pool.tracks) track.stop();
  for (const list of pool.byClass.values()) {
    for (const value of list) {
      if (value instanceof api.RTCPeerConnection) value.close();
      else if (value instanceof api.MediaStreamTrack) value.stop();
      else if (value instanceof api.nonstandard.RTCVideoSink || value instanceof api.nonstandard.RTCAudioSink)
        value.stop();
    }
  }
}

// --- the API surface, found at run time ------------------------------------------------------

export interface Target {
  /** 'RTCPeerConnection.prototype.createOffer', 'new RTCPeerConnection', 'nonstandard.i420ToRgba', ... */
  name: string;
  kind: 'construct' | 'call-ctor' | 'method' | 'setter' | 'getter' | 'static' | 'function';
  owner?: Function;
  fn: AnyFn;
  /** The instance's class for methods / accessors. */
  cls?: Function;
  member: string;
}

/** Where prototype chains stop: members of these are the platform's, not the package's. */
const PLATFORM_PROTOS = new Set<object>([
  Object.prototype,
  EventTarget.prototype,
  Event.prototype,
  DOMException.prototype,
  Error.prototype,
  Function.prototype,
]);

/**
 * Static members that are the package's internal plumbing rather than API (lib/ calls them
 * across modules); listed so a new static is noticed (the test asserts the set), and not
 * fuzzed: they take the package's own objects by design.
 */
export const INTERNAL_STATICS = [
  'MediaDevices.watch',
  'MediaStream.addRemoteTrack',
  'MediaStream.remote',
  'MediaStream.removeRemoteTrack',
  'MediaStreamTrack.end',
  'MediaStreamTrack.isRemote',
  'MediaStreamTrack.native',
  'MediaStreamTrack.setMuted',
  'RTCDTMFSender.toneChange',
  'RTCDataChannel.announceOpen',
  'RTCDataChannel.closeAbruptly',
  'RTCDataChannel.deliver',
  'RTCDtlsTransport.closeSilently',
  'RTCDtlsTransport.setState',
  'RTCIceTransport.closeSilently',
  'RTCIceTransport.set',
  'RTCPeerConnection.isClosed',
  'RTCRtpReceiver.native',
  'RTCRtpSender.dtmfToneChange',
  'RTCRtpSender.native',
  'RTCRtpSender.setTrack',
  'RTCRtpTransceiver.detach',
  'RTCRtpTransceiver.native',
  'RTCSctpTransport.closeSilently',
  'RTCSctpTransport.onEvent',
  'RTCSctpTransport.setState',
  'RTCSctpTransport.setTransport',
];

/** Not called with fuzzed values: would wait on the machine's devices or block for long. */
const SKIPPED = new Set<string>([]);

export function enumerateTargets(): { targets: Target[]; internalStatics: string[] } {
  const targets: Target[] = [];
  const internalStatics: string[] = [];
  const seen = new Set<Function>();
  const exportsList: [string, unknown][] = [
    ...Object.entries(api).filter(([k]) => k !== 'default' && k !== 'nonstandard'),
    ...Object.entries(api.nonstandard).map(([k, v]) => [`nonstandard.${k}`, v] as [string, unknown]),
  ];
  for (const [name, value] of exportsList) {
    if (typeof value === 'object' && value !== null) {
      // mediaDevices: its class is enumerated through MediaDevices.
      continue;
    }
    if (typeof value !== 'function') continue;
    const fn = value as AnyFn;
    const isClass = /^class\b/.test(Function.prototype.toString.call(fn));
    if (!isClass) {
      targets.push({ name, kind: 'function', fn, member: name });
      continue;
    }
    if (seen.has(fn)) continue;
    seen.add(fn);
    const short = name.replace(/^nonstandard\./, '');
    targets.push({ name: `new ${short}`, kind: 'construct', fn, cls: fn, member: 'constructor' });
    targets.push({ name: `${short}()`, kind: 'call-ctor', fn, cls: fn, member: 'constructor' });
    for (const key of Object.getOwnPropertyNames(fn)) {
      if (key === 'length' || key === 'name' || key === 'prototype') continue;
      const desc = Object.getOwnPropertyDescriptor(fn, key)!;
      if (typeof desc.value !== 'function') continue;
      if (INTERNAL_STATICS.includes(`${short}.${key}`) || !/^(generateCertificate|getCapabilities)$/.test(key)) {
        internalStatics.push(`${short}.${key}`);
        continue;
      }
      targets.push({ name: `${short}.${key}`, kind: 'static', fn: desc.value, owner: fn, member: key });
    }
    const members = new Set<string>();
    for (let proto = fn.prototype; proto && !PLATFORM_PROTOS.has(proto); proto = Object.getPrototypeOf(proto)) {
      for (const key of Object.getOwnPropertyNames(proto)) {
        if (key === 'constructor' || members.has(key)) continue;
        members.add(key);
        const desc = Object.getOwnPropertyDescriptor(proto, key)!;
        const base = `${short}.prototype.${key}`;
        if (SKIPPED.has(base)) continue;
        if (typeof desc.value === 'function')
          targets.push({ name: base, kind: 'method', fn: desc.value, cls: fn, member: key });
        if (desc.set) targets.push({ name: `${base}=`, kind: 'setter', fn: desc.set, cls: fn, member: key });
        if (desc.get) targets.push({ name: `${base} (get)`, kind: 'getter', fn: desc.get, cls: fn, member: key });
      }
    }
  }
  return { targets, internalStatics: internalStatics.sort() };
}

// --- values ------------------------------------------------------------------------------------

const HUGE_STRING = 'x'.repeat(1 << 20);
const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1.5,
  2,
  3,
  7,
  16,
  40,
  90,
  100,
  255,
  256,
  1023,
  1024,
  65535,
  65536,
  16384,
  16385,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e21,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  Number.EPSILON,
  NaN,
  Infinity,
  -Infinity,
  48000,
  44100,
  8000,
  384000,
  262144,
];
const ENUM_STRINGS = [
  'audio',
  'video',
  'offer',
  'answer',
  'pranswer',
  'rollback',
  'sendrecv',
  'sendonly',
  'recvonly',
  'inactive',
  'stopped',
  'very-low',
  'low',
  'medium',
  'high',
  'blob',
  'arraybuffer',
  'all',
  'relay',
  'balanced',
  'max-compat',
  'max-bundle',
  'require',
  'negotiate',
  'ECDSA',
  'P-256',
  'RSASSA-PKCS1-v1_5',
  'SHA-256',
  'i420',
  'nv12',
  'rgba',
  'bgra',
  'motion',
  'detail',
  'text',
  'speech',
  'music',
  '0',
  '1',
  'data',
  'maintain-framerate',
  'sctp-failure',
  'dtls-failure',
  'stun:127.0.0.1:3478',
  'turn:127.0.0.1?transport=udp',
  'stuns:[::1]:65536',
  'http://x',
  'user',
  'environment',
  'screen:0',
  'window:1',
  'default',
  'icecandidate',
  'track',
  'message',
  'datachannel',
  '123ABC#*,',
  'video/VP8',
  'audio/opus',
];
const SDP_GARBAGE = [
  'v=0\r\n',
  'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n',
  'v=0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n',
  'a=candidate:\r\n'.repeat(1000),
  '\r\n\r\n\0\0',
  'v=0\nm=video 0 RTP/SAVPF 96\na=rtpmap:96 VP8/90000\na=fmtp:96 x=' + '9'.repeat(400) + '\n',
  'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host',
  'candidate:1 1 tcp 1 ::1 1 typ srflx raddr 0.0.0.0 rport 0 tcptype passive generation 0 ufrag x network-id 4294967295',
  'candidate:' + '1'.repeat(5000),
  'a=fingerprint:sha-256 ' + 'AB:'.repeat(31) + 'AB\r\n',
];

export class Values {
  /** Buffers handed out in the current call: a detaching getter detaches them. */
  buffers: ArrayBuffer[] = [];
  /** Functions the fuzz handed out that were called back, with their arguments. */
  readonly callbackErrors: string[] = [];
  constructor(
    readonly random: () => number,
    readonly pool: Pool,
  ) {}

  int(n: number): number {
    return Math.floor(this.random() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
  chance(p: number): boolean {
    return this.random() < p;
  }

  number(): number {
    const r = this.random();
    if (r < 0.7) return this.pick(NUMBERS);
    if (r < 0.85) return this.int(70000) - 1000;
    return (this.random() - 0.5) * 10 ** this.int(20);
  }

  string(): string {
    switch (this.int(12)) {
      case 0:
        return '';
      case 1:
        return HUGE_STRING;
      case 2:
        return '\u{1F600}é中\u200B';
      case 3:
        return '\uD800\uDFFF\uDC00';
      case 4:
        return 'a\0b';
      case 5:
      case 6:
        return this.sdp();
      case 7:
        return String(this.number());
      default:
        return this.pick(ENUM_STRINGS);
    }
  }

  /** A real SDP with lines dropped, duplicated, swapped or mangled, or plain garbage. */
  sdp(): string {
    const base = this.pick([this.pool.offerSdp, this.pool.answerSdp, ...SDP_GARBAGE]);
    if (!base || this.chance(0.2)) return this.pick(SDP_GARBAGE);
    const lines = base.split('\r\n');
    const edits = 1 + this.int(4);
    for (let i = 0; i < edits; i++) {
      if (lines.length === 0) lines.push('');
      const at = this.int(lines.length);
      switch (this.int(7)) {
        case 0:
          lines.splice(at, 1);
          break;
        case 1:
          lines.splice(at, 0, lines[this.int(lines.length)]!);
          break;
        case 2:
          lines[at] = lines[at]!.replace(/\d+/, String(this.pick(NUMBERS)));
          break;
        case 3:
          lines[at] = lines[at]!.slice(0, this.int(lines[at]!.length + 1));
          break;
        case 4:
          lines[at] = `${lines[at]}${this.pick(['\0', ' ', ':', '\u00e9', 'x'.repeat(3000), '\n'])}`;
          break;
        case 5:
          lines.splice(
            at,
            0,
            this.pick([
              'a=max-message-size:0',
              'a=sctp-port:0',
              'a=rtpmap:96 VP8/0',
              'm=video 9 RTP/AVP 96',
              'a=ssrc:0 cname:',
              'a=mid:',
              'a=group:BUNDLE 9 9 9',
              'a=extmap:15 urn:x',
              'a=setup:holdconn',
              'a=simulcast:send 1;2;3',
              'a=rid:1 send',
            ]),
          );
          break;
        default:
          lines.sort(() => this.random() - 0.5);
      }
    }
    return lines.join(this.chance(0.8) ? '\r\n' : '\n');
  }

  buffer(): ArrayBuffer | ArrayBufferView | SharedArrayBuffer | Blob {
    const length = this.pick([0, 1, 3, 16, 480, 960, 1920, 6, 15, 24, 4096, 65536, 65537]);
    switch (this.int(12)) {
      case 0: {
        const ab = new ArrayBuffer(length);
        this.buffers.push(ab);
        return ab;
      }
      case 1: {
        // Detached: transferred away by structuredClone.
        const ab = new ArrayBuffer(length);
        const view = new Uint8Array(ab);
        structuredClone(ab, { transfer: [ab] });
        return this.chance(0.5) ? ab : view;
      }
      case 2:
        return new Int16Array(length);
      case 3:
        return new Uint8ClampedArray(length);
      case 4:
        return new Float64Array(length);
      case 5:
        return new DataView(new ArrayBuffer(length + 8), 3, length);
      case 6:
        return new SharedArrayBuffer(length);
      case 7:
        return new Blob([new Uint8Array(length)]);
      case 8:
        return Buffer.alloc(length);
      case 9:
        return new BigInt64Array(this.int(4));
      default: {
        const ab = new ArrayBuffer(length + 4);
        this.buffers.push(ab);
        return new Uint8Array(ab, this.int(4), length);
      }
    }
  }

  /** A getter that detaches every buffer handed out in this call, then returns a value. */
  detaching(value: unknown): PropertyDescriptor {
    return {
      enumerable: true,
      get: () => {
        for (const ab of this.buffers) {
          try {
            if (ab.byteLength > 0) structuredClone(ab, { transfer: [ab] });
          } catch {
            /* already detached */
          }
        }
        return value;
      },
    };
  }

  callback(): AnyFn {
    const errors = this.callbackErrors;
    const throws = this.chance(0.3);
    return function fuzzCallback(...args: unknown[]) {
      for (const arg of args) {
        if (arg instanceof Error || arg instanceof DOMException) {
          const bad = badError(arg);
          if (bad) errors.push(`legacy failure callback got ${bad}`);
        }
      }
      if (throws) throw new FuzzSentinel('callback');
    };
  }

  /** Some object of the package, of any class. */
  instance(): object | undefined {
    const lists = [...this.pool.byClass.values()];
    const list = lists.length ? this.pick(lists) : [];
    return list.length ? this.pick(list) : undefined;
  }

  instanceOf(cls: Function): object | undefined {
    const list = this.pool.byClass.get(cls);
    return list?.length ? this.pick(list) : undefined;
  }

  /** Anything: the garbage of every type. */
  any(depth = 0): unknown {
    switch (this.int(depth > 2 ? 10 : 24)) {
      case 0:
        return undefined;
      case 1:
        return null;
      case 2:
        return this.chance(0.5);
      case 3:
      case 4:
        return this.number();
      case 5:
      case 6:
      case 7:
        return this.string();
      case 8:
        return this.pick([Symbol('fuzz'), Symbol.iterator, 0n, -1n, 2n ** 64n, 10n ** 30n]);
      case 9:
        return this.instance();
      case 10:
        return this.buffer();
      case 11:
        return this.hostile();
      case 12:
        return this.array(depth);
      case 13:
        return this.callback();
      case 14:
        return this.pick([
          {},
          Object.create(null),
          new Date(NaN),
          /x/g,
          new Map(),
          new Set(),
          Promise.resolve(1),
          new Error('e'),
          new WeakRef({}),
        ]);
      case 15:
        // (Not Function: as an event handler it would compile the event's string, and its
        // SyntaxError is the handler's own, like any handler's exception.)
        return this.pick([Object, Array, async () => {}, function* () {}, Math.max]);
      default: {
        // A plain object with random members, some of them named like the API's.
        const o: Record<string, unknown> = {};
        const n = this.int(5);
        for (let i = 0; i < n; i++) {
          o[
            this.pick([
              'type',
              'sdp',
              'candidate',
              'id',
              'urls',
              'kind',
              'width',
              'data',
              'track',
              'name',
              'encodings',
              'length',
              '0',
              'then',
              'toJSON',
              'valueOf',
              'toString',
            ])
          ] = this.any(depth + 1);
        }
        return o;
      }
    }
  }

  array(depth: number): unknown[] {
    switch (this.int(6)) {
      case 0:
        return [];
      case 1: {
        const sparse: unknown[] = [];
        sparse[this.pick([3, 100, 100000])] = this.any(depth + 1);
        return sparse;
      }
      case 2: {
        // Long: 1e6 holes (2**32 - 1 would exhaust V8's heap in any array spread).
        const long: unknown[] = [];
        long.length = 1e6;
        return long;
      }
      case 3:
        return [[[[[]]]]];
      default:
        return Array.from({ length: 1 + this.int(4) }, () => this.any(depth + 1));
    }
  }

  /** Objects that fight back: throwing getters, valueOf, toString, Proxies, revoked Proxies. */
  hostile(): unknown {
    const sentinel = () => {
      throw new FuzzSentinel('getter');
    };
    switch (this.int(9)) {
      case 0:
        return { valueOf: sentinel, toString: sentinel };
      case 1:
        return { [Symbol.toPrimitive]: sentinel };
      case 2:
        return { [Symbol.toPrimitive]: () => ({}) }; // TypeError from ToPrimitive
      case 3:
        return new Proxy(
          {},
          {
            get: sentinel,
            has: sentinel,
            ownKeys: sentinel,
            getOwnPropertyDescriptor: sentinel,
            getPrototypeOf: sentinel,
          },
        );
      case 4: {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        return proxy;
      }
      case 5:
        // An array that claims 1e5 elements (2**32 - 1 hangs any ToString or spread of it, in
        // any JS code: the engine's matter, not the API's).
        return new Proxy([1, 2], { get: (target, key) => (key === 'length' ? 1e5 : Reflect.get(target, key)) });
      case 6:
        return { [Symbol.iterator]: sentinel };
      case 7: {
        // A getter whose value changes on every read.
        let n = 0;
        return Object.defineProperty({}, 'type', { enumerable: true, get: () => (n++ % 2 ? 'offer' : 'bogus') });
      }
      default:
        // biome-ignore lint/suspicious/noThenProperty: a thenable with a throwing then is the point
        return Object.defineProperties({}, { then: { get: sentinel }, length: { get: sentinel } });
    }
  }

  /** A dictionary with `members`: each present or not, valid-ish or garbage, or hostile. */
  dict(members: Record<string, () => unknown>): unknown {
    if (this.chance(0.05)) return this.any();
    const o: Record<string, unknown> = {};
    for (const [key, valid] of Object.entries(members)) {
      const r = this.random();
      if (r < 0.35) continue;
      if (r < 0.8) o[key] = valid();
      else if (r < 0.95) o[key] = this.any(1);
      else
        Object.defineProperty(
          o,
          key,
          this.chance(0.5)
            ? this.detaching(valid())
            : {
                enumerable: true,
                get: () => {
                  throw new FuzzSentinel(key);
                },
              },
        );
    }
    return o;
  }

  // --- the API's dictionaries -------------------------------------------------------------------

  /** One of: a valid value, then the rest of `choices`, or garbage. */
  of(...choices: unknown[]): () => unknown {
    return () => (this.chance(0.85) ? this.pick(choices) : this.any(1));
  }

  list(item: () => unknown, max = 3): () => unknown {
    return () => Array.from({ length: this.int(max + 1) }, item);
  }

  configuration(): unknown {
    const pool = this.pool;
    return this.dict({
      iceServers: this.list(() =>
        this.dict({
          urls: this.of(
            'stun:127.0.0.1:3478',
            ['stun:127.0.0.1', 'turn:127.0.0.1?transport=tcp'],
            'turns:[::1]:443',
            'stun:',
            'stun:a:0',
            'STUN:x',
            'turn:x?transport=sctp',
            [],
            'http://x',
          ),
          username: this.of('u', '', HUGE_STRING),
          credential: this.of('p', '', '\0'),
          credentialType: this.of('password', 'oauth'),
        }),
      ),
      iceTransportPolicy: this.of('all', 'relay', 'none', ''),
      bundlePolicy: this.of('balanced', 'max-compat', 'max-bundle', 'MAX-BUNDLE'),
      rtcpMuxPolicy: this.of('require', 'negotiate'),
      iceCandidatePoolSize: this.of(0, 1, 255, 256, -1, 1.5, NaN, 2 ** 32),
      certificates: this.of(
        [pool.certificate],
        [pool.expiredCertificate],
        [pool.certificate, pool.certificate],
        [{}],
        [],
        [null],
      ),
      peerIdentity: this.of('x'),
      sdpSemantics: this.of('unified-plan', 'plan-b'),
      encodedInsertableStreams: this.of(true),
    });
  }

  offerOptions(): unknown {
    return this.dict({
      iceRestart: this.of(true, false),
      offerToReceiveAudio: this.of(true, false, 0, 1, 2),
      offerToReceiveVideo: this.of(true, false, 0, 1, 2),
      voiceActivityDetection: this.of(true, false),
    });
  }

  dataChannelInit(): unknown {
    return this.dict({
      ordered: this.of(true, false),
      maxPacketLifeTime: this.of(0, 1, 65535, 65536, -1, 3000),
      maxRetransmits: this.of(0, 1, 65535, 65536, -1),
      protocol: this.of('', 'chat', 'x'.repeat(65536)),
      negotiated: this.of(true, false),
      id: this.of(0, 1, 1022, 1023, 1024, 65534, 65535, 65536, -1),
      priority: this.of('very-low', 'low', 'medium', 'high', 'urgent'),
    });
  }

  encoding(): unknown {
    return this.dict({
      rid: this.of('q', 'h', 'f', '', 'a b', 'x'.repeat(17), '0123456789abcdef'),
      active: this.of(true, false),
      maxBitrate: this.of(0, 1000, 2 ** 32 - 1, 2 ** 32, -1, NaN),
      maxFramerate: this.of(0, 30, 0.5, -1, Infinity),
      scaleResolutionDownBy: this.of(1, 2, 4, 0.5, 0, -1, 1e9),
      priority: this.of('very-low', 'low', 'medium', 'high', 'x'),
      networkPriority: this.of('very-low', 'low', 'medium', 'high', 'x'),
      scalabilityMode: this.of('L1T1', 'L3T3', 'x'),
      codec: this.of(this.pick(this.pool.codecs.length ? this.pool.codecs : [{}])),
    });
  }

  transceiverInit(): unknown {
    return this.dict({
      direction: this.of('sendrecv', 'sendonly', 'recvonly', 'inactive', 'stopped'),
      streams: () => [
        this.instanceOf(api.MediaStream) ?? new api.MediaStream(),
        ...(this.chance(0.2) ? [this.any()] : []),
      ],
      sendEncodings: this.list(() => this.encoding(), 4),
    });
  }

  /** RTCRtpSendParameters: what the sender's getParameters() gave, with members changed. */
  sendParameters(sender: unknown): unknown {
    let base: any;
    try {
      base =
        sender instanceof api.RTCRtpSender
          ? sender.getParameters()
          : { transactionId: '', encodings: [], codecs: [], headerExtensions: [], rtcp: {} };
    } catch {
      base = {};
    }
    if (this.chance(0.1)) return this.any();
    const r = this.int(8);
    if (r === 0) base.transactionId = this.any();
    if (r === 1) base.codecs = this.any();
    if (r === 2) base.encodings = this.list(() => this.encoding(), 3)();
    if (r === 3) base.degradationPreference = this.of('balanced', 'maintain-framerate', 'maintain-resolution', 'x')();
    if (Array.isArray(base.encodings)) {
      base.encodings = base.encodings.map((e: any) => {
        if (!this.chance(0.7)) return e;
        const changed = this.encoding() as any;
        return typeof changed === 'object' && changed !== null
          ? Object.assign(Object.create(null), e, changed)
          : changed;
      });
    }
    return base;
  }

  iceCandidateInit(): unknown {
    return this.dict({
      candidate: () =>
        this.chance(0.6)
          ? this.pick([
              this.pool.candidate,
              '',
              this.pool.candidate.replace('udp', 'xyz'),
              this.pool.candidate + ' generation 0 ufrag abc',
            ])
          : this.string(),
      sdpMid: this.of('0', '1', '', null, 'none'),
      sdpMLineIndex: this.of(0, 1, 65535, 65536, null, -1),
      usernameFragment: this.of(null, 'abc', ''),
    });
  }

  descriptionInit(): unknown {
    return this.dict({
      type: this.of('offer', 'answer', 'pranswer', 'rollback', 'Offer', ''),
      sdp: () => (this.chance(0.3) ? this.pick([this.pool.offerSdp, this.pool.answerSdp, '']) : this.sdp()),
    });
  }

  constraintValue(): unknown {
    return this.pick([
      this.any(1),
      this.number(),
      this.dict({
        exact: () => this.number(),
        ideal: () => this.number(),
        min: () => this.number(),
        max: () => this.number(),
      }),
      this.dict({ exact: () => this.string(), ideal: () => [this.string(), this.string()] }),
      this.pick([true, false, 'user', ['a', 'b'], { exact: true }]),
    ]);
  }

  trackConstraints(): unknown {
    const members: Record<string, () => unknown> = {};
    // Every constraint the package says it supports, plus one it does not know.
    for (const key of [...Object.keys(api.mediaDevices.getSupportedConstraints()), 'cursor', 'bogus']) {
      members[key] = () => this.constraintValue();
    }
    const set = this.dict(members) as any;
    if (typeof set === 'object' && set !== null && this.chance(0.3))
      set.advanced = this.list(() => this.dict(members), 3)();
    return set;
  }

  /**
   * Capture constraints that name no real device: a random request would otherwise open this
   * machine's camera or microphone (the device tests cover those); here the point is the
   * checks and errors before any device is touched.
   */
  streamConstraints(): unknown {
    const noDevice = () => {
      const c = this.trackConstraints() as any;
      try {
        if (typeof c === 'object' && c !== null) c.deviceId = { exact: 'fuzz-no-such-device' };
      } catch {
        /* a hostile value: passed as it is */
      }
      return c;
    };
    return this.dict({
      audio: this.of(false, noDevice(), noDevice()),
      video: this.of(false, noDevice(), noDevice()),
      preferCurrentTab: this.of(true),
    });
  }

  displayOptions(): unknown {
    return this.dict({
      video: this.of(false, this.trackConstraints()),
      audio: this.of(false),
      source: this.of('screen:999999', 'window:999999', 'x', ''),
    });
  }

  videoFrame(): unknown {
    const width = this.pick([1, 2, 3, 16, 0, -1, 16385, 1.5, NaN]);
    const height = this.pick([1, 2, 3, 16, 0, -1, 16385]);
    const format = this.pick(['i420', 'nv12', 'rgba', 'bgra', undefined, 'yuv']);
    const w = Number(width) > 0 ? Math.floor(Number(width)) : 1;
    const h = Number(height) > 0 && Number(height) <= 16 ? Math.floor(Number(height)) : 1;
    const size = format === 'rgba' || format === 'bgra' ? w * h * 4 : w * h + 2 * Math.ceil(w / 2) * Math.ceil(h / 2);
    const ab = new ArrayBuffer(size + this.int(2));
    this.buffers.push(ab);
    return this.dict({
      width: () => width,
      height: () => height,
      data: () => (this.chance(0.8) ? new Uint8Array(ab, 0, size) : this.buffer()),
      format: () => format,
      rotation: this.of(0, 90, 180, 270, 45, -90),
      timestamp: this.of(0, 1e6, -1, NaN, 2 ** 53),
    });
  }

  audioData(): unknown {
    const rate = this.pick([8000, 16000, 44100, 48000, 384000, 7999, 100, 0, -48000, 44101]);
    const channels = this.pick([1, 2, 3, 0]);
    const frames = this.pick([0, 1, 80, 441, 480, 960, 4800]);
    const ab = new ArrayBuffer(frames * Math.max(1, channels) * 2);
    this.buffers.push(ab);
    return this.dict({
      samples: () => (this.chance(0.8) ? new Int16Array(ab) : this.buffer()),
      sampleRate: () => rate,
      channelCount: () => channels,
      bitsPerSample: this.of(16, 8, 32),
      numberOfFrames: () => (this.chance(0.8) ? frames : this.number()),
    });
  }

  image(format: 'i420' | 'rgba'): unknown {
    const w = this.pick([1, 2, 4, 3]);
    const h = this.pick([1, 2, 4]);
    const size = format === 'rgba' ? w * h * 4 : w * h + 2 * Math.ceil(w / 2) * Math.ceil(h / 2);
    const ab = new ArrayBuffer(size);
    this.buffers.push(ab);
    return this.dict({
      width: () => w,
      height: () => h,
      data: () => (this.chance(0.85) ? new Uint8Array(ab) : this.buffer()),
    });
  }

  keyAlgorithm(): unknown {
    return this.pick([
      this.dict({
        name: this.of('ECDSA', 'ecdsa', 'RSA'),
        namedCurve: this.of('P-256', 'P-384'),
        expires: this.of(0, 1, 1000, -1, NaN, 2 ** 53, 1e20),
      }),
      this.dict({
        name: this.of('RSASSA-PKCS1-v1_5'),
        hash: this.of('SHA-256', { name: 'SHA-256' }, 'SHA-1'),
        modulusLength: this.of(1024, 2048, 512, 8193, 1024.5),
        publicExponent: this.of(new Uint8Array([1, 0, 1]), new Uint8Array([3]), new Uint8Array([2]), [1, 0, 1]),
        expires: this.of(0, 1000),
      }),
      this.string(),
    ]);
  }

  eventInit(): unknown {
    return this.dict({
      candidate: () => this.pick([null, this.instanceOf(api.RTCIceCandidate), this.any(1)]),
      url: this.of('stun:x', null),
      channel: () => this.instanceOf(api.RTCDataChannel),
      error: () => this.instanceOf(api.RTCError),
      receiver: () => this.instanceOf(api.RTCRtpReceiver),
      track: () => this.instanceOf(api.MediaStreamTrack),
      transceiver: () => this.instanceOf(api.RTCRtpTransceiver),
      streams: () => [this.instanceOf(api.MediaStream)],
      tone: this.of('1', '', ','),
      address: this.of('127.0.0.1', null),
      port: this.of(0, 65535, null),
      errorCode: this.of(701, 300, 699, 800),
      errorText: this.of('x'),
      bubbles: this.of(true),
    });
  }

  rtcErrorInit(): unknown {
    return this.dict({
      errorDetail: this.of('sctp-failure', 'dtls-failure', 'sdp-syntax-error', 'bogus'),
      sdpLineNumber: this.of(1, -1, 2 ** 31),
      sctpCauseCode: this.of(12, -1),
      receivedAlert: this.of(40, -1),
      sentAlert: this.of(40),
      httpRequestStatusCode: this.of(404),
    });
  }

  /** The arguments for a call of `target` on `self`: dictionaries where the API takes them. */
  args(target: Target, self: unknown): unknown[] {
    try {
      return this.argsFor(target, self);
    } catch {
      // Building the value touched a hostile object of the fuzz's own: plain garbage instead.
      return [this.any()];
    }
  }

  argsFor(target: Target, self: unknown): unknown[] {
    const count = this.int(4);
    const garbage = () => Array.from({ length: count }, () => this.any());
    if (this.chance(0.3)) return garbage();
    const cls = target.cls?.name ?? target.owner?.name ?? '';
    const m = target.member;
    const track = () =>
      this.pick([this.instanceOf(api.MediaStreamTrack), this.instanceOf(api.MediaStreamTrack), null, this.any()]);
    const t = `${cls}.${m}`;
    switch (t) {
      case 'RTCPeerConnection.constructor':
      case 'RTCPeerConnection.setConfiguration':
        return [this.configuration()];
      case 'RTCPeerConnection.createOffer':
      case 'RTCPeerConnection.createAnswer':
        return this.chance(0.8) ? [this.offerOptions()] : [this.callback(), this.callback(), this.offerOptions()];
      case 'RTCPeerConnection.setLocalDescription':
      case 'RTCPeerConnection.setRemoteDescription':
        return this.chance(0.85)
          ? [this.descriptionInit()]
          : [this.descriptionInit(), this.callback(), this.callback()];
      case 'RTCPeerConnection.addIceCandidate':
        return this.chance(0.85)
          ? [this.pick([this.iceCandidateInit(), this.instanceOf(api.RTCIceCandidate)])]
          : [this.iceCandidateInit(), this.callback(), this.callback()];
      case 'RTCPeerConnection.createDataChannel':
        return [this.pick(['', 'label', HUGE_STRING, 'x'.repeat(65536), this.any()]), this.dataChannelInit()];
      case 'RTCPeerConnection.addTransceiver':
        return [this.pick(['audio', 'video', track(), 'data']), this.transceiverInit()];
      case 'RTCPeerConnection.addTrack':
        return [
          track(),
          ...Array.from({ length: this.int(3) }, () =>
            this.chance(0.8) ? this.instanceOf(api.MediaStream) : this.any(),
          ),
        ];
      case 'RTCPeerConnection.removeTrack':
        return [this.pick([this.instanceOf(api.RTCRtpSender), this.any()])];
      case 'RTCPeerConnection.getStats':
        return [track()];
      case 'RTCPeerConnection.generateCertificate':
        return [this.keyAlgorithm()];
      case 'RTCRtpSender.setParameters':
        return [this.sendParameters(self), this.any()];
      case 'RTCRtpSender.replaceTrack':
        return [track()];
      case 'RTCRtpSender.setStreams':
        return Array.from({ length: this.int(3) }, () =>
          this.chance(0.8) ? this.instanceOf(api.MediaStream) : this.any(),
        );
      case 'RTCRtpSender.getCapabilities':
      case 'RTCRtpReceiver.getCapabilities':
        return [this.pick(['audio', 'video', 'data', '', this.any()])];
      case 'RTCRtpTransceiver.setCodecPreferences':
        return [
          this.list(
            () =>
              this.chance(0.7)
                ? {
                    ...(this.pick(this.pool.codecs.length ? this.pool.codecs : [{}]) as object),
                    ...(this.chance(0.3)
                      ? (this.dict({
                          mimeType: this.of('video/VP8', 'video/rtx', 'x'),
                          clockRate: this.of(90000, 0, -1),
                          channels: this.of(2, 0),
                          sdpFmtpLine: this.of('', 'x'),
                        }) as object)
                      : {}),
                  }
                : this.any(1),
            5,
          )(),
        ];
      case 'RTCRtpTransceiver.direction':
        return [this.pick(['sendrecv', 'sendonly', 'recvonly', 'inactive', 'stopped', 'x'])];
      case 'RTCRtpReceiver.jitterBufferTarget':
        return [this.pick([null, 0, 4000, 4001, -1, NaN, 100.5])];
      case 'RTCDTMFSender.insertDTMF':
        return [
          this.pick(['1', '123ABC#*,', 'abc', '', 'Z', HUGE_STRING]),
          this.pick([undefined, 40, 39, 6001, NaN]),
          this.pick([undefined, 30, 29, -1]),
        ];
      case 'RTCDataChannel.send':
        return [this.pick([this.string(), this.buffer(), this.buffer(), 'x'.repeat(65537), this.any()])];
      case 'RTCDataChannel.binaryType':
        return [this.pick(['blob', 'arraybuffer', 'x', this.any()])];
      case 'RTCDataChannel.bufferedAmountLowThreshold':
        return [this.number()];
      case 'RTCIceCandidate.constructor':
        return [this.iceCandidateInit()];
      case 'RTCSessionDescription.constructor':
        return [this.descriptionInit()];
      case 'RTCError.constructor':
        return [this.rtcErrorInit(), this.pick(['m', undefined, this.any()])];
      case 'MediaStream.constructor':
        return [this.pick([this.instanceOf(api.MediaStream), [track(), track()], [], this.any()])];
      case 'MediaStream.addTrack':
      case 'MediaStream.removeTrack':
        return [track()];
      case 'MediaStreamTrack.applyConstraints':
        return [this.trackConstraints()];
      case 'MediaStreamTrack.enabled':
        return [this.any()];
      case 'MediaStreamTrack.contentHint':
        return [this.pick(['motion', 'detail', 'text', 'speech', 'music', 'x', this.any()])];
      case 'MediaDevices.getUserMedia':
        return [this.streamConstraints()];
      case 'MediaDevices.getDisplayMedia':
        return [this.displayOptions()];
      case 'RTCVideoSource.constructor':
        return [this.dict({ isScreencast: this.of(true, false), needsDenoising: this.of(true, false) })];
      case 'RTCVideoSource.onFrame':
        return [this.videoFrame()];
      case 'RTCAudioSource.onData':
        return [this.audioData()];
      case 'RTCVideoSink.constructor':
      case 'RTCAudioSink.constructor':
        return [track()];
      default:
        break;
    }
    switch (target.name) {
      case 'getUserMedia':
        return [this.streamConstraints()];
      case 'nonstandard.i420ToRgba':
        return [this.image('i420'), this.image('rgba')];
      case 'nonstandard.rgbaToI420':
        return [this.image('rgba'), this.image('i420')];
      case 'nonstandard.setAudioOutputDevice':
        return [this.pick([null, 'fuzz-no-such-device', '', this.any()])];
    }
    if (target.kind === 'construct' && /Event$/.test(cls))
      return [this.pick(['x', 'track', 'icecandidate', this.any()]), this.eventInit()];
    if (target.kind === 'setter' && m.startsWith('on')) return [this.pick([null, this.callback(), this.any()])];
    return garbage();
  }
}

// --- the fuzz loop -------------------------------------------------------------------------

export interface FuzzReport {
  seed: number;
  iterations: number;
  calls: number;
  /** Calls that returned (or resolved) / threw (or rejected), by error name. */
  outcomes: Record<string, number>;
  /** A few targets that had each outcome. */
  examples: Record<string, string[]>;
  /** Calls per target kind. */
  byKind: Record<string, number>;
  targets: number;
  targetsCalled: number;
  internalStatics: string[];
  promises: { settled: number; abandonedAfterClose: number };
  violations: string[];
  healthy: boolean | string;
  ms: number;
}

interface PendingPromise {
  promise: Promise<unknown>;
  settled: boolean;
  started: number;
  owner: api.RTCPeerConnection | undefined;
  what: string;
}

function describeCall(target: Target, self: unknown, args: unknown[]): string {
  return `${target.name} on ${safeString(self)} with (${args.map(safeString).join(', ')})`;
}

export async function runFuzz(options: {
  seed: number;
  iterations: number;
  epoch?: number;
  trace?: string;
}): Promise<FuzzReport> {
  const started = Date.now();
  const random = makeRandom(options.seed);
  const epochSize = options.epoch ?? 300;
  const { targets, internalStatics } = enumerateTargets();
  const report: FuzzReport = {
    seed: options.seed,
    iterations: options.iterations,
    calls: 0,
    outcomes: {},
    examples: {},
    byKind: {},
    targets: targets.length,
    targetsCalled: 0,
    internalStatics,
    promises: { settled: 0, abandonedAfterClose: 0 },
    violations: [],
    healthy: false,
    ms: 0,
  };
  const weighted = targets.flatMap((t) => (t.kind === 'getter' ? [t] : [t, t, t]));
  const called = new Set<string>();
  const traceFd = options.trace ? fs.openSync(options.trace, 'w') : null;
  const violation = (text: string) => {
    if (report.violations.length < 50) report.violations.push(text);
  };
  const count = (outcome: string, target: Target) => {
    report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
    const seen = (report.examples[outcome] ??= []);
    if (!seen.includes(target.name) && seen.length < 6) seen.push(target.name);
  };
  const outcomeName = (error: unknown) =>
    error instanceof FuzzSentinel
      ? 'FuzzSentinel (propagated)'
      : error instanceof Error || error instanceof DOMException
        ? (error as Error).name
        : typeof error;

  // Exceptions the fuzz's callbacks and handlers throw reach here (Node reports them so);
  // anything else reaching here is a finding.
  const onUncaught = (error: unknown) => {
    if (error instanceof FuzzSentinel) return;
    const e = error as Error;
    violation(`uncaught exception: ${badError(error) ?? `${e?.name}: ${e?.message}\n${e?.stack ?? ''}`}`);
  };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);

  try {
    let done = 0;
    while (done < options.iterations) {
      const pool = await buildWorld(random);
      const values = new Values(random, pool);
      const pending: PendingPromise[] = [];
      const n = Math.min(epochSize, options.iterations - done);
      for (let i = 0; i < n; i++, done++) {
        values.buffers = [];
        // Getters are many and simple: methods, setters and constructors are drawn more often.
        const target = weighted[values.int(weighted.length)]!;
        let self: unknown;
        if (target.kind === 'method' || target.kind === 'setter' || target.kind === 'getter') {
          self = values.chance(0.85) ? (values.instanceOf(target.cls!) ?? values.any()) : values.any();
        }

        const args = values.args(target, self);
        const what = `#${done} ${describeCall(target, self, args)}`;
        if (traceFd !== null) fs.writeSync(traceFd, `${what}\n`);
        report.calls++;
        report.byKind[target.kind] = (report.byKind[target.kind] ?? 0) + 1;
        called.add(target.name);
        let result: unknown;
        try {
          switch (target.kind) {
            case 'construct':
              result = Reflect.construct(target.fn, args);
              break;
            case 'call-ctor':
              result = Reflect.apply(target.fn, undefined, args);
              break;
            case 'method':
            case 'getter':
              result = Reflect.apply(target.fn, self, args);
              break;
            case 'setter':
              result = Reflect.apply(target.fn, self, [args[0]]);
              break;
            case 'static':
              result = Reflect.apply(target.fn, target.owner, args);
              break;
            case 'function':
              result = Reflect.apply(target.fn, undefined, args);
              break;
          }
        } catch (error) {
          count(outcomeName(error), target);
          const bad = badError(error);
          if (bad) violation(`${what} threw ${bad}`);
          continue;
        }
        // What the call made joins the world (new connections, channels, tracks...). A getter
        // may hand back one of the fuzz's own hostile values: those stay out.
        let owner: api.RTCPeerConnection | undefined;
        const isPromise = types.isPromise(result); // no Proxy trap runs here
        try {
          owner =
            self instanceof api.RTCPeerConnection
              ? self
              : typeof self === 'object' && self !== null
                ? pool.owner.get(self)
                : undefined;
          if (result instanceof api.RTCPeerConnection) pool.peers.push(result);
          if (result instanceof api.MediaStreamTrack) pool.tracks.push(result);
          if (result instanceof api.nonstandard.RTCVideoSink || result instanceof api.nonstandard.RTCAudioSink)
            pool.sinks.push(result);
          if (typeof result === 'object' && result !== null && !isPromise) addInstance(pool, result, owner);
        } catch {
          /* a hostile value */
        }
        if (isPromise && result instanceof Promise) {
          const entry: PendingPromise = { promise: result, settled: false, started: Date.now(), owner, what };
          pending.push(entry);
          result.then(
            (value) => {
              entry.settled = true;
              count('resolved', target);
              if (value instanceof api.RTCPeerConnection) pool.peers.push(value);
              if (value instanceof api.MediaStream) for (const t of value.getTracks()) pool.tracks.push(t);
              if (typeof value === 'object' && value !== null) addInstance(pool, value, owner);
            },
            (error: unknown) => {
              entry.settled = true;
              count(`rejected ${outcomeName(error)}`, target);
              const bad = badError(error);
              if (bad) violation(`${what} rejected with ${bad}`);
            },
          );
        } else {
          count('returned', target);
        }
        // Let events and completions run now and then, as an application's would.
        if (values.chance(0.05)) await new Promise((resolve) => setImmediate(resolve));
      }
      // Every promise of the epoch settles in time, or belongs to a connection closed since.
      const deadline = Math.max(...pending.map((p) => p.started + SETTLE_MS), Date.now());
      const waiting = (p: PendingPromise) => !p.settled && !(p.owner && p.owner.signalingState === 'closed');
      while (pending.some(waiting) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      for (const p of pending) {
        if (p.settled) report.promises.settled++;
        else if (p.owner && p.owner.signalingState === 'closed') report.promises.abandonedAfterClose++;
        else violation(`${p.what}: its promise did not settle within ${SETTLE_MS} ms`);
      }
      for (const message of values.callbackErrors.splice(0)) violation(message);
      await teardownWorld(pool);
    }
    report.targetsCalled = called.size;

    // Still healthy: a new pair connects and carries a message both ways.
    try {
      const pair = await connectedPair();
      const got = new Promise<unknown>((resolve) =>
        pair.channelB.addEventListener('message', (e: any) => resolve(e.data), { once: true }),
      );
      pair.channelA.send('after the fuzz');
      const data = await timeout(got, 15000, 'a message after the fuzz');
      report.healthy = data === 'after the fuzz' ? true : `received ${safeString(data)}`;
      pair.a.close();
      pair.b.close();
    } catch (error) {
      report.healthy = `a pair after the fuzz failed: ${(error as Error).stack ?? error}`;
    }
    // Give late uncaught exceptions a moment to surface.
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    if (traceFd !== null) fs.closeSync(traceFd);
  }
  report.ms = Date.now() - started;
  return report;
}
