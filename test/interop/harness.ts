// Interop harness: a real Chromium on one side, the Node implementation under test (impl.ts) on
// the other, talking MDN's "Signaling and video calling" messages.
//
//   useInterop()  mocha hooks: one Chromium and one static HTTP server per describe block, one
//                 page and one Node peer per test, all closed after each test / block even when
//                 the test failed.
//   Session       the two peers as two `Side`s with the same actions and the same `PeerView` of
//                 what happened on them, so a test can run "from each side" with one body.
//   waitFor       the only way tests wait: an event-driven predicate check with a timeout.
//
// Media: each side reports the frames it decodes and (Node) the audio its sinks get, or (page)
// the strongest frequency of what it hears; `Side.stats()` gives both ends' RTP streams in one
// shape. media-io.ts makes Node's media and checks what comes back.
//
// Signaling never touches the network: the page posts JSON text through an exposed function
// (with a sequence number, so Node handles it in the page's order) and Node calls the page's
// T.fromNode() one message at a time. Each receiver handles its messages one after another.
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { loadImpl, packageRoot } from './impl.js';
import { codecsOf, peak, rtpStreams, type RtpStreamStats, type TestPattern } from './media-io.js';
import type {
  MediaStreamTrack,
  MessageEvent,
  Nonstandard,
  RTCAudioSink,
  RTCDataChannel,
  RTCDataChannelEvent,
  RTCIceConnectionState,
  RTCPeerConnection,
  RTCPeerConnectionIceEvent,
  RTCPeerConnectionState,
  RTCSessionDescriptionInit,
  RTCSignalingState,
  RTCTrackEvent,
  RTCVideoSink,
  Listenable,
  WrtcModule,
} from './types.js';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Playwright refuses `--user-data-dir` in `args` (it wants launchPersistentContext), so the
// fresh profile directory is passed that way; the rest are exactly these.
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

const debug = process.env.INTEROP_DEBUG ? (...a: unknown[]) => console.log('[interop]', ...a) : () => {};

// ---------------------------------------------------------------------------------------------
// Waiting

/** Resolves with the first truthy value of `check()`, evaluated now and on every `event` of
 *  `emitter`; rejects after `timeoutMs` (with `describe()` in the message), or as soon as
 *  `check()` throws. */
export function waitFor<T>(
  emitter: EventEmitter,
  check: () => T | undefined | null | false,
  timeoutMs: number,
  what: string,
  describe: () => string = () => '',
  event = 'change',
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      emitter.off(event, onChange);
    };
    const onChange = (): void => {
      let value: T | undefined | null | false;
      try {
        value = check();
      } catch (err) {
        done();
        reject(err);
        return;
      }
      if (value) {
        done();
        resolve(value);
      }
    };
    const timer = setTimeout(() => {
      done();
      const extra = describe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}${extra ? `\n${extra}` : ''}`));
    }, timeoutMs);
    emitter.on(event, onChange);
    onChange();
  });
}

/** The next `type` event of a W3C EventTarget-like object (addEventListener without options,
 *  which every wrtc-compatible implementation has). */
export function waitForEvent<E>(target: Listenable, type: string, timeoutMs: number): Promise<E> {
  return new Promise<E>((resolve, reject) => {
    const listener = (event: E): void => {
      clearTimeout(timer);
      target.removeEventListener(type, listener as (e: never) => void);
      resolve(event);
    };
    const timer = setTimeout(() => {
      target.removeEventListener(type, listener as (e: never) => void);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for a '${type}' event`));
    }, timeoutMs);
    target.addEventListener(type, listener as (e: never) => void);
  });
}

// ---------------------------------------------------------------------------------------------
// What happened on a peer

/** A data channel message as the tests compare it: text, or the exact bytes of an ArrayBuffer. */
export type Data = string | Buffer;

/** How a message crosses between Node and the page (JSON). `other` = not a string nor an
 *  ArrayBuffer (e.g. a Blob or a Node Buffer where the spec says ArrayBuffer). */
export type WireData = { s: string } | { b64: string } | { other: string };

export function toWire(data: Data): WireData {
  return typeof data === 'string' ? { s: data } : { b64: data.toString('base64') };
}

function fromWire(w: WireData): Data {
  if ('s' in w) return w.s;
  if ('b64' in w) return Buffer.from(w.b64, 'base64');
  return `<not a string nor an ArrayBuffer: ${w.other}>`;
}

/** MDN's signaling messages. `sdp` carries the description object, as in MDN's sample
 *  (`sdp: myPeerConnection.localDescription`). */
export type SignalMessage =
  | { type: 'video-offer' | 'video-answer'; sdp: RTCSessionDescriptionInit }
  | {
      type: 'new-ice-candidate';
      candidate: { candidate?: string; sdpMid?: string | null; sdpMLineIndex?: number | null };
    };

/** What each side reports; both sides report the same shapes. */
export type PeerEvent =
  | {
      type: 'state';
      which: 'connection' | 'ice' | 'signaling';
      connectionState: RTCPeerConnectionState;
      iceConnectionState: RTCIceConnectionState;
      signalingState: RTCSignalingState;
    }
  | { type: 'negotiationneeded' }
  | { type: 'channel'; label: string; created: 'local' | 'remote'; readyState: string }
  | { type: 'open' | 'close'; label: string }
  | { type: 'channel-error'; label: string; message: string }
  | { type: 'message'; label: string; data: WireData }
  | { type: 'track'; kind: string; muted?: boolean }
  | { type: 'unmute'; kind: string }
  /** A decoded frame: in the page, one a <video> element presented (requestVideoFrameCallback);
   *  in Node, one an RTCVideoSink delivered, with what the pattern check found (null: the
   *  pattern; absent: not checked). */
  | { type: 'video-frame'; width: number; height: number; patternError?: string | null }
  /** 10 ms or so of audio an RTCAudioSink delivered (Node). */
  | { type: 'audio-data'; samples: number; sampleRate: number; peak: number }
  /** The page's AnalyserNode on a received audio track: the strongest frequency and its level. */
  | { type: 'audio-tone'; frequency: number; level: number };

export interface ChannelView {
  label: string;
  created: 'local' | 'remote';
  /** readyState when createDataChannel() returned, or when the datachannel event fired. */
  initialReadyState: string;
  opened: boolean;
  closed: boolean;
  received: Data[];
  errors: string[];
}

export class PeerView {
  connectionState: RTCPeerConnectionState = 'new';
  iceConnectionState: RTCIceConnectionState = 'new';
  signalingState: RTCSignalingState = 'stable';
  /** Every value seen in the corresponding state-change event, in order. */
  readonly connectionStates: RTCPeerConnectionState[] = [];
  readonly iceConnectionStates: RTCIceConnectionState[] = [];
  readonly signalingStates: RTCSignalingState[] = [];
  negotiationNeeded = 0;
  readonly channels = new Map<string, ChannelView>();
  readonly tracks: { kind: string; unmuted: boolean }[] = [];
  readonly videoFrames: { width: number; height: number; patternError?: string | null }[] = [];
  audioSamples = 0;
  /** The largest absolute sample received so far. */
  audioPeak = 0;
  readonly tones: { frequency: number; level: number }[] = [];
  /** Signaling messages this side sent, in order. */
  readonly sent: SignalMessage[] = [];

  channel(label: string): ChannelView {
    const c = this.channels.get(label);
    if (!c) throw new Error(`no data channel '${label}' (have: ${[...this.channels.keys()].join(', ') || 'none'})`);
    return c;
  }

  /** The SDP of the offers (or answers) this side sent, in order. */
  sentSdp(type: 'video-offer' | 'video-answer'): string[] {
    const out: string[] = [];
    for (const m of this.sent) if (m.type === type) out.push(m.sdp.sdp ?? '');
    return out;
  }

  /** The candidate lines this side trickled, in order. */
  sentCandidates(): string[] {
    const out: string[] = [];
    for (const m of this.sent) if (m.type === 'new-ice-candidate') out.push(m.candidate.candidate ?? '');
    return out;
  }

  /** The ICE ufrags of the descriptions this side sent, in order. */
  sentUfrags(): string[] {
    const out: string[] = [];
    for (const m of this.sent) if (m.type !== 'new-ice-candidate') out.push(iceUfrag(m.sdp.sdp ?? ''));
    return out;
  }

  apply(ev: PeerEvent): void {
    switch (ev.type) {
      case 'state':
        this.connectionState = ev.connectionState;
        this.iceConnectionState = ev.iceConnectionState;
        this.signalingState = ev.signalingState;
        if (ev.which === 'connection') this.connectionStates.push(ev.connectionState);
        if (ev.which === 'ice') this.iceConnectionStates.push(ev.iceConnectionState);
        if (ev.which === 'signaling') this.signalingStates.push(ev.signalingState);
        break;
      case 'negotiationneeded':
        this.negotiationNeeded++;
        break;
      case 'channel':
        this.channels.set(ev.label, {
          label: ev.label,
          created: ev.created,
          initialReadyState: ev.readyState,
          opened: false,
          closed: false,
          received: [],
          errors: [],
        });
        break;
      case 'open':
        this.channel(ev.label).opened = true;
        break;
      case 'close':
        this.channel(ev.label).closed = true;
        break;
      case 'channel-error':
        this.channel(ev.label).errors.push(ev.message);
        break;
      case 'message':
        this.channel(ev.label).received.push(fromWire(ev.data));
        break;
      case 'track':
        this.tracks.push({ kind: ev.kind, unmuted: false });
        break;
      case 'unmute':
        for (const t of this.tracks) if (t.kind === ev.kind) t.unmuted = true;
        break;
      case 'video-frame': {
        const frame: { width: number; height: number; patternError?: string | null } = {
          width: ev.width,
          height: ev.height,
        };
        if (ev.patternError !== undefined) frame.patternError = ev.patternError;
        this.videoFrames.push(frame);
        break;
      }
      case 'audio-data':
        this.audioSamples += ev.samples;
        this.audioPeak = Math.max(this.audioPeak, ev.peak);
        break;
      case 'audio-tone':
        this.tones.push({ frequency: ev.frequency, level: ev.level });
        break;
    }
  }

  summary(): string {
    const ch = [...this.channels.values()]
      .map(
        (c) =>
          `${c.label}(${c.created}${c.opened ? ',opened' : ''}${c.closed ? ',closed' : ''},rx=${c.received.length})`,
      )
      .join(' ');
    return (
      `connection=${this.connectionState} [${this.connectionStates.join('>')}] ` +
      `ice=${this.iceConnectionState} [${this.iceConnectionStates.join('>')}] ` +
      `signaling=${this.signalingState} negotiationneeded=${this.negotiationNeeded} ` +
      `sent=${this.sent.map((m) => m.type).join(',')} channels: ${ch || 'none'}` +
      (this.tracks.length
        ? ` tracks: ${this.tracks.map((t) => `${t.kind}${t.unmuted ? '(unmuted)' : ''}`).join(',')}`
        : '') +
      (this.videoFrames.length
        ? ` video frames: ${this.videoFrames.length}, last ${JSON.stringify(this.videoFrames[this.videoFrames.length - 1])}`
        : '') +
      (this.audioSamples ? ` audio: ${this.audioSamples} samples, peak ${this.audioPeak}` : '') +
      (this.tones.length ? ` tones: last ${JSON.stringify(this.tones.slice(-3))}` : '')
    );
  }
}

export function iceUfrag(sdp: string): string {
  const m = /^a=ice-ufrag:(\S+)/m.exec(sdp);
  if (!m) throw new Error(`no a=ice-ufrag in SDP:\n${sdp}`);
  return m[1]!;
}

// ---------------------------------------------------------------------------------------------
// The two sides

export type SideName = 'browser' | 'node';

/** What a test can make either peer do. Every action returns once it has been started; its
 *  effects are waited for through the views. */
export interface Side {
  readonly name: SideName;
  readonly view: PeerView;
  /** createDataChannel(label): negotiationneeded follows if the connection needs it. */
  createChannel(label: string): Promise<void>;
  send(label: string, data: readonly Data[]): Promise<void>;
  /** restartIce(): negotiationneeded follows, and the MDN handler offers with new ICE credentials. */
  restartIce(): Promise<void>;
  /** addTransceiver(kind, { direction }); with `codecs` (mimeTypes), the transceiver's
   *  setCodecPreferences() gets those codecs' entries of RTCRtpReceiver.getCapabilities(kind),
   *  in the order of `codecs`. */
  addTransceiver(
    kind: 'audio' | 'video',
    direction: 'sendrecv' | 'sendonly' | 'recvonly',
    codecs?: readonly string[],
  ): Promise<void>;
  /** getStats(): the inbound-rtp and outbound-rtp streams, each with its codec's mimeType. */
  stats(): Promise<RtpStreamStats[]>;
  close(): Promise<void>;
}

export type AnswerStyle = 'promise' | 'callback';

/** What the legacy `createAnswer(success, failure)` calls saw. */
export interface LegacyCalls {
  returned: unknown[];
  resolvedWith: unknown[];
  successArgs: unknown[];
  failureArgs: unknown[];
}

class NodeSide implements Side {
  readonly name = 'node' as const;
  readonly view = new PeerView();
  readonly pc: RTCPeerConnection;
  readonly legacy: LegacyCalls = { returned: [], resolvedWith: [], successArgs: [], failureArgs: [] };
  private readonly dcs = new Map<string, RTCDataChannel>();
  private readonly sinks: (RTCVideoSink | RTCAudioSink)[] = [];
  private incoming: Promise<void> = Promise.resolve();

  constructor(
    private readonly wrtc: WrtcModule,
    private readonly answerStyle: AnswerStyle,
    private readonly onRemoteOffer: ((pc: RTCPeerConnection) => void) | undefined,
    private readonly sendToServer: (m: SignalMessage) => void,
    private readonly report: (ev: PeerEvent) => void,
    private readonly fail: (where: string, err: unknown) => void,
  ) {
    const pc = (this.pc = new wrtc.RTCPeerConnection({ iceServers: [] }));
    pc.addEventListener('icecandidate', (event: RTCPeerConnectionIceEvent) => {
      if (event.candidate) this.sendToServer({ type: 'new-ice-candidate', candidate: event.candidate.toJSON() });
    });
    pc.addEventListener('negotiationneeded', () => void this.handleNegotiationNeededEvent());
    const state = (which: 'connection' | 'ice' | 'signaling') => () =>
      this.report({
        type: 'state',
        which,
        connectionState: pc.connectionState,
        iceConnectionState: pc.iceConnectionState,
        signalingState: pc.signalingState,
      });
    pc.addEventListener('connectionstatechange', state('connection'));
    pc.addEventListener('iceconnectionstatechange', state('ice'));
    pc.addEventListener('signalingstatechange', state('signaling'));
    pc.addEventListener('datachannel', (event: RTCDataChannelEvent) => this.wireChannel(event.channel, 'remote'));
    pc.addEventListener('track', (event: RTCTrackEvent) => this.report({ type: 'track', kind: event.track.kind }));
  }

  // As in the page: the side that receives a channel echoes everything on it.
  private wireChannel(dc: RTCDataChannel, created: 'local' | 'remote'): void {
    const label = dc.label;
    dc.binaryType = 'arraybuffer';
    this.dcs.set(label, dc);
    this.report({ type: 'channel', label, created, readyState: dc.readyState });
    dc.addEventListener('open', () => this.report({ type: 'open', label }));
    dc.addEventListener('close', () => this.report({ type: 'close', label }));
    dc.addEventListener('error', (e: { error?: unknown }) =>
      this.report({ type: 'channel-error', label, message: String(e.error) }),
    );
    dc.addEventListener('message', (event: MessageEvent) => {
      const data = event.data;
      let wire: WireData;
      if (typeof data === 'string') wire = { s: data };
      else if (data instanceof ArrayBuffer) wire = { b64: Buffer.from(data).toString('base64') };
      else wire = { other: Object.prototype.toString.call(data) };
      this.report({ type: 'message', label, data: wire });
      if (created === 'remote') dc.send(data as string | ArrayBuffer);
    });
  }

  // MDN's handleNegotiationNeededEvent.
  private async handleNegotiationNeededEvent(): Promise<void> {
    this.report({ type: 'negotiationneeded' });
    try {
      const offer = await this.pc.createOffer();
      await this.pc.setLocalDescription(offer);
      this.sendToServer({ type: 'video-offer', sdp: this.pc.localDescription!.toJSON() });
    } catch (err) {
      this.fail('node negotiationneeded', err);
    }
  }

  // MDN's handleVideoOfferMsg, with createAnswer in either form; where MDN adds its camera's
  // tracks, the test's onRemoteOffer may add some.
  private async handleVideoOfferMsg(sdp: RTCSessionDescriptionInit): Promise<void> {
    const desc = new this.wrtc.RTCSessionDescription(sdp);
    await this.pc.setRemoteDescription(desc);
    this.onRemoteOffer?.(this.pc);
    const answer = this.answerStyle === 'promise' ? await this.pc.createAnswer() : await this.createAnswerLegacy();
    await this.pc.setLocalDescription(answer);
    this.sendToServer({ type: 'video-answer', sdp: this.pc.localDescription!.toJSON() });
  }

  private createAnswerLegacy(): Promise<RTCSessionDescriptionInit> {
    return new Promise<RTCSessionDescriptionInit>((resolve, reject) => {
      const returned: unknown = this.pc.createAnswer(
        (description: RTCSessionDescriptionInit) => {
          this.legacy.successArgs.push(description);
          resolve(description);
        },
        (error: Error) => {
          this.legacy.failureArgs.push(error);
          reject(error);
        },
      );
      this.legacy.returned.push(returned);
      if (returned instanceof Promise) {
        returned.then(
          (value) => this.legacy.resolvedWith.push(value),
          (err) => this.legacy.resolvedWith.push(err),
        );
      }
    });
  }

  /** A signaling message from the browser; handled in order, one at a time. */
  handle(msg: SignalMessage): void {
    this.incoming = this.incoming
      .then(async () => {
        switch (msg.type) {
          case 'video-offer':
            return this.handleVideoOfferMsg(msg.sdp);
          case 'video-answer':
            return this.pc.setRemoteDescription(new this.wrtc.RTCSessionDescription(msg.sdp));
          case 'new-ice-candidate':
            return this.pc.addIceCandidate(new this.wrtc.RTCIceCandidate(msg.candidate));
        }
      })
      .catch((err: unknown) => this.fail(`node handling ${msg.type}`, err));
  }

  async createChannel(label: string): Promise<void> {
    this.wireChannel(this.pc.createDataChannel(label), 'local');
  }

  async send(label: string, data: readonly Data[]): Promise<void> {
    const dc = this.dcs.get(label);
    if (!dc) throw new Error(`node has no channel '${label}'`);
    for (const d of data) {
      // Binary goes out as an exact ArrayBuffer (not a Buffer view of a larger pool).
      dc.send(typeof d === 'string' ? d : (d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength) as ArrayBuffer));
    }
  }

  async restartIce(): Promise<void> {
    this.pc.restartIce();
  }

  async addTransceiver(
    kind: 'audio' | 'video',
    direction: 'sendrecv' | 'sendonly' | 'recvonly',
    codecs?: readonly string[],
  ): Promise<void> {
    const transceiver = this.pc.addTransceiver(kind, { direction });
    if (codecs) {
      const capabilities = this.wrtc.RTCRtpReceiver!.getCapabilities(kind)!.codecs;
      transceiver.setCodecPreferences(codecs.flatMap((codec) => codecsOf(capabilities, codec)));
    }
  }

  async stats(): Promise<RtpStreamStats[]> {
    return rtpStreams(await this.pc.getStats());
  }

  /**
   * From now on every remote track gets a nonstandard sink (RTCVideoSink / RTCAudioSink) that
   * reports what it receives to this side's view; video frames are checked against `pattern`
   * when one is given. The sinks stop when the session closes.
   */
  sinkRemoteTracks(pattern?: TestPattern): void {
    const ns = this.wrtc.nonstandard;
    if (!ns) throw new Error('the implementation has no nonstandard sinks');
    this.pc.addEventListener('track', (event: RTCTrackEvent) => this.sink(ns, event.track, pattern));
  }

  private sink(ns: Nonstandard, track: MediaStreamTrack, pattern: TestPattern | undefined): void {
    if (track.kind === 'video') {
      const sink = new ns.RTCVideoSink(track);
      sink.onframe = ({ frame }) => {
        const ev: PeerEvent = { type: 'video-frame', width: frame.width, height: frame.height };
        if (pattern) ev.patternError = pattern.check(frame);
        this.report(ev);
      };
      this.sinks.push(sink);
    } else {
      const sink = new ns.RTCAudioSink(track);
      sink.ondata = (data) =>
        this.report({
          type: 'audio-data',
          samples: data.samples.length,
          sampleRate: data.sampleRate,
          peak: peak(data.samples),
        });
      this.sinks.push(sink);
    }
  }

  async close(): Promise<void> {
    this.stopSinks();
    this.pc.close();
  }

  stopSinks(): void {
    for (const sink of this.sinks.splice(0)) sink.stop();
  }
}

class BrowserSide implements Side {
  readonly name = 'browser' as const;
  readonly view = new PeerView();
  private outgoing: Promise<unknown> = Promise.resolve();
  closed = false;

  constructor(readonly page: Page) {}

  /** Calls `T[method](...args)` in the page. */
  call<R = void>(method: string, ...args: unknown[]): Promise<R> {
    return this.page.evaluate(
      ([m, a]) => (globalThis as unknown as { T: Record<string, (...x: unknown[]) => unknown> }).T[m]!(...a),
      [method, args] as [string, unknown[]],
    ) as Promise<R>;
  }

  /** A signaling message from Node; delivered in order, one page call at a time. Once the
   *  page is gone (`closed`), messages are dropped. */
  deliver(msg: SignalMessage): Promise<void> {
    const text = JSON.stringify(msg);
    const done = this.outgoing.then(() => (this.closed ? undefined : this.call('fromNode', text)));
    this.outgoing = done.catch(() => {}); // one failed call does not stop the next ones
    return done.catch((err: unknown) => {
      if (!this.closed) throw err;
    });
  }

  createChannel(label: string): Promise<void> {
    return this.call('createChannel', label);
  }
  send(label: string, data: readonly Data[]): Promise<void> {
    return this.call('send', label, data.map(toWire));
  }
  restartIce(): Promise<void> {
    return this.call('restartIce');
  }
  addTransceiver(
    kind: 'audio' | 'video',
    direction: 'sendrecv' | 'sendonly' | 'recvonly',
    codecs?: readonly string[],
  ): Promise<void> {
    return this.call('addTransceiver', kind, direction, codecs ?? null);
  }
  stats(): Promise<RtpStreamStats[]> {
    return this.call<RtpStreamStats[]>('stats');
  }
  /** What the page does with the tracks it receives, from now on (see T.media in page/peer.js). */
  media(options: PageMediaOptions): Promise<void> {
    return this.call('media', options);
  }
  /** getUserMedia(constraints) (the fake devices), every track added with addTrack(); returns
   *  the tracks' kinds and settings. */
  addUserMedia(constraints?: {
    audio?: boolean | Record<string, unknown>;
    video?: boolean | Record<string, unknown>;
  }): Promise<{ kind: string; settings: Record<string, unknown> }[]> {
    return this.call('addUserMedia', constraints ?? null);
  }
  close(): Promise<void> {
    return this.call('close');
  }
}

export interface PageMediaOptions {
  /** Send each received video track back on its own transceiver (sendrecv, replaceTrack). */
  loopback?: boolean;
  /** Report the strongest frequency of each received audio track ('audio-tone' events). */
  analyseAudio?: boolean;
}

// ---------------------------------------------------------------------------------------------
// A session: one page, one Node peer

export interface SessionOptions {
  /** How the Node peer calls createAnswer: `createAnswer()` or `createAnswer(success, failure)`. */
  answerStyle?: AnswerStyle;
  /** Called in the Node peer's offer handler after setRemoteDescription(), before createAnswer()
   *  (where MDN's answerer adds its camera's tracks). */
  onRemoteOffer?: (pc: RTCPeerConnection) => void;
}

export class Session {
  /** Emits 'change' after anything happened on either side. */
  readonly changes = new EventEmitter();
  readonly errors: string[] = [];
  readonly node: NodeSide;
  readonly browser: BrowserSide;
  readonly wrtc: WrtcModule;
  private closed = false;
  private nextSeq = 0;
  private readonly early = new Map<number, { kind: string; [k: string]: unknown }>();

  constructor(
    readonly page: Page,
    opts: SessionOptions,
  ) {
    this.changes.setMaxListeners(100);
    this.wrtc = loadImpl() as WrtcModule;
    this.browser = new BrowserSide(page);
    this.node = new NodeSide(
      this.wrtc,
      opts.answerStyle ?? 'promise',
      opts.onRemoteOffer,
      (m) => {
        debug('node sends', JSON.stringify(m).slice(0, 160));
        this.node.view.sent.push(m);
        this.changed();
        this.browser.deliver(m).catch((err: unknown) => this.fail('delivering to the page', err));
      },
      (ev) => this.event(this.node.view, ev),
      (where, err) => this.fail(where, err),
    );
  }

  /** Everything the page posts, in the page's order. */
  fromPage(text: string): void {
    const body = JSON.parse(text) as { seq: number; kind: string; [k: string]: unknown };
    this.early.set(body.seq, body);
    for (let b = this.early.get(this.nextSeq); b; b = this.early.get(this.nextSeq)) {
      this.early.delete(this.nextSeq++);
      if (b.kind === 'signal') {
        const m = b['m'] as SignalMessage;
        debug('browser sends', JSON.stringify(m).slice(0, 160));
        this.browser.view.sent.push(m);
        this.changed();
        if (!this.closed) this.node.handle(m);
      } else if (b.kind === 'event') {
        this.event(this.browser.view, b['ev'] as PeerEvent);
      } else if (b.kind === 'error') {
        this.fail(`page: ${String(b['where'])}`, String(b['message']));
      }
    }
  }

  private event(view: PeerView, ev: PeerEvent): void {
    debug(view === this.node.view ? 'node' : 'browser', JSON.stringify(ev).slice(0, 200));
    try {
      view.apply(ev);
    } catch (err) {
      this.fail('recording an event', err);
    }
    this.changed();
  }

  fail(where: string, err: unknown): void {
    if (this.closed) return;
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    debug('error', where, text);
    this.errors.push(`${where}: ${text}`);
    this.changed();
  }

  private changed(): void {
    this.changes.emit('change');
  }

  side(name: SideName): Side {
    return name === 'node' ? this.node : this.browser;
  }
  other(name: SideName): Side {
    return name === 'node' ? this.browser : this.node;
  }

  describe(): string {
    return [
      `  node:    ${this.node.view.summary()}`,
      `  browser: ${this.browser.view.summary()}`,
      ...(this.errors.length ? [`  errors: ${this.errors.join('\n          ')}`] : []),
    ].join('\n');
  }

  /** Waits until `check()` holds; fails at once if either side reported an error. */
  until<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 10000): Promise<T> {
    return waitFor(
      this.changes,
      () => {
        if (this.errors.length) throw new Error(`while waiting for ${what}:\n${this.describe()}`);
        return check();
      },
      timeoutMs,
      what,
      () => this.describe(),
    );
  }

  /** Both connectionStates 'connected'. */
  bothConnected(timeoutMs = 10000): Promise<true> {
    return this.until(
      () => this.node.view.connectionState === 'connected' && this.browser.view.connectionState === 'connected',
      'both peers connected',
      timeoutMs,
    );
  }

  /** Messages each side sent with `echo()`, per channel label. */
  private readonly echoed = new Map<string, number>();

  /** Sends `data` from `from` on its channel `label`, which the other side echoes (the side that
   *  receives a channel echoes it; only its creator sends on it), and waits until the other side
   *  has reported all of it and `from` has all of it back. Returns the messages each side
   *  received: reports from the page and from Node arrive separately, so both are counted. */
  async echo(
    from: SideName,
    label: string,
    data: readonly Data[],
    timeoutMs = 10000,
  ): Promise<{ there: Data[]; back: Data[] }> {
    const there = this.other(from).view.channel(label).received;
    const back = this.side(from).view.channel(label).received;
    const start = this.echoed.get(label) ?? 0;
    const end = start + data.length;
    this.echoed.set(label, end);
    await this.side(from).send(label, data);
    await this.until(
      () => there.length >= end && back.length >= end,
      `${data.length} message(s) on '${label}' from the ${from} and back`,
      timeoutMs,
    );
    return { there: there.slice(start), back: back.slice(start) };
  }

  /** Both signalingStates 'stable' (as last reported). */
  bothStable(timeoutMs = 10000): Promise<true> {
    return this.until(
      () => this.node.view.signalingState === 'stable' && this.browser.view.signalingState === 'stable',
      'both peers stable',
      timeoutMs,
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.browser.closed = true;
    try {
      this.node.stopSinks();
      this.node.pc.close();
    } catch (err) {
      console.error('[interop] closing the node peer:', err);
    }
    if (!this.page.isClosed()) await this.page.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// Browser, server, mocha hooks

/** A static file server for `dir` on 127.0.0.1, on a free port; `files` adds files from
 *  elsewhere (URL path without the leading slash → absolute file path). */
export async function serveStatic(
  dir: string,
  files: Readonly<Record<string, string>> = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
  };
  const server = http.createServer((req, res) => {
    let rel: string;
    try {
      rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = Object.hasOwn(files, rel) ? files[rel]! : path.join(dir, path.normalize(rel));
    if (!Object.hasOwn(files, rel) && !file.startsWith(dir + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with a fresh profile directory removed on close (or, if mocha
 *  is interrupted, when the process exits: Playwright kills the browser then). */
export async function launchChromium(): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'interop-chromium-'));
  const removeProfile = (): void => fs.rmSync(profile, { recursive: true, force: true });
  process.once('exit', removeProfile);
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS],
      timeout: 30000,
    });
  } catch (err) {
    removeProfile();
    process.off('exit', removeProfile);
    throw err;
  }
  return {
    context,
    async close() {
      await context.close().catch((err: unknown) => console.error('[interop] closing chromium:', err));
      removeProfile();
      process.off('exit', removeProfile);
    },
  };
}

/** Opens a page on `url` with the `__toNode` binding already installed, feeding `sink`. */
export async function openPage(
  browser: Browser,
  url: string,
  sink: (text: string) => void,
  onError: (e: string) => void,
): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (err) => onError(`page error: ${err.message}`));
  if (process.env.INTEROP_DEBUG) page.on('console', (m) => debug('console', m.type(), m.text()));
  await page.exposeFunction('__toNode', sink);
  await page.goto(url);
  return page;
}

export interface Interop {
  /** A page with the test peer (page/peer.js) and a Node peer, both started, not yet negotiating. */
  open(opts?: SessionOptions): Promise<Session>;
  /** The browser and the test page server of this describe block. */
  readonly browser: Browser;
  readonly pageUrl: string;
  /** Registers something to close after the current test (runs before the sessions close). */
  defer(fn: () => Promise<void> | void): void;
}

export interface InteropOptions {
  /** Files served next to page/: URL path (no leading slash) → absolute path. */
  files?: Readonly<Record<string, string>>;
}

/** Mocha hooks for one describe block; call it inside `describe`. */
export function useInterop(options: InteropOptions = {}): Interop {
  let browser: Browser | undefined;
  let server: { url: string; close(): Promise<void> } | undefined;
  let deferred: (() => Promise<void> | void)[] = [];

  before(async function () {
    this.timeout(60000);
    loadImpl(); // fail here, clearly, if the implementation does not load
    server = await serveStatic(path.join(packageRoot, 'test', 'interop', 'page'), options.files);
    browser = await launchChromium();
  });

  afterEach(async function () {
    this.timeout(30000);
    const fns = deferred.reverse();
    deferred = [];
    for (const fn of fns) {
      try {
        await fn();
      } catch (err) {
        console.error('[interop] teardown:', err);
      }
    }
  });

  after(async function () {
    this.timeout(30000);
    await browser?.close();
    await server?.close();
  });

  const api: Interop = {
    get browser(): Browser {
      if (!browser) throw new Error('the browser is not up (before hook failed?)');
      return browser;
    },
    get pageUrl(): string {
      if (!server) throw new Error('the page server is not up (before hook failed?)');
      return server.url;
    },
    defer(fn) {
      deferred.push(fn);
    },
    async open(opts: SessionOptions = {}): Promise<Session> {
      let session: Session | undefined;
      const pending: string[] = [];
      const page = await openPage(
        api.browser,
        api.pageUrl,
        (text) => (session ? session.fromPage(text) : pending.push(text)),
        (e) => session?.fail('page', e),
      );
      try {
        session = new Session(page, opts);
      } catch (err) {
        await page.close();
        throw err;
      }
      deferred.push(() => session!.close());
      for (const text of pending) session.fromPage(text);
      await session.browser.call('start', { iceServers: [] });
      return session;
    },
  };
  return api;
}
