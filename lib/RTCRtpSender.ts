// RTCRtpSender (W3C webrtc-pc §5.2) and RTCDTMFSender (§7.2) over native/media/
// rtc_rtp_transceiver.cc. The spec's own rules (replaceTrack's checks, getParameters /
// setParameters' transaction and read-only members, DTMF's tone validation and clamping) are
// applied here; libwebrtc applies the parameters.
import { binding, noteCall, type Binding } from './binding.js';
import { domException, fromRecord } from './errors.js';
import { defineEventHandlers } from './event-target.js';
import { MediaStream } from './MediaStream.js';
import { MediaStreamTrack } from './MediaStreamTrack.js';
import type { RTCDtlsTransport } from './RTCSctpTransport.js';
import type { RTCStatsReport } from './RTCStatsReport.js';
import { exposeInterface, isObject } from './webidl-values.js';

export type RTCPriorityType = 'very-low' | 'low' | 'medium' | 'high';
export type RTCDegradationPreference = 'maintain-framerate' | 'maintain-resolution' | 'balanced';

export interface RTCRtpCodec {
  mimeType: string;
  clockRate: number;
  channels?: number;
  sdpFmtpLine?: string;
}
export interface RTCRtpCodecParameters extends RTCRtpCodec {
  payloadType: number;
}
export interface RTCRtpHeaderExtensionParameters {
  uri: string;
  id: number;
  encrypted?: boolean;
}
export interface RTCRtcpParameters {
  cname?: string;
  reducedSize?: boolean;
}
export interface RTCRtpParameters {
  headerExtensions: RTCRtpHeaderExtensionParameters[];
  rtcp: RTCRtcpParameters;
  codecs: RTCRtpCodecParameters[];
}
export interface RTCRtpEncodingParameters {
  rid?: string;
  active?: boolean;
  maxBitrate?: number;
  maxFramerate?: number;
  scaleResolutionDownBy?: number;
  priority?: RTCPriorityType;
  networkPriority?: RTCPriorityType;
}
export interface RTCRtpSendParameters extends RTCRtpParameters {
  transactionId: string;
  encodings: RTCRtpEncodingParameters[];
  degradationPreference?: RTCDegradationPreference;
}
export interface RTCRtpCapabilities {
  codecs: RTCRtpCodec[];
  headerExtensions: { uri: string }[];
}

/** What a sender needs from its connection and transceiver. */
export interface SenderOwner {
  readonly closed: boolean;
  /** The transceiver is stopping or stopped. */
  readonly stopped: boolean;
  readonly currentDirection: string | null;
  /** The connection's connectionState, as script sees it. */
  readonly connectionState: string;
  chain<T>(operation: () => Promise<T>): Promise<T>;
  dtlsTransport(record: Binding.DtlsTransportStateRecord | null): RTCDtlsTransport | null;
  getStats(selector: Binding.RtpSender): Promise<RTCStatsReport>;
}

const token = Symbol('internal');
const capabilitiesCache = new Map<string, RTCRtpCapabilities>();

/** RTCRtpSender/Receiver.getCapabilities(kind): libwebrtc's, asked once per kind and side. */
export function rtpCapabilities(kind: unknown, side: 'sender' | 'receiver'): RTCRtpCapabilities | null {
  const k = String(kind);
  if (k !== 'audio' && k !== 'video') return null;
  const key = `${k}/${side}`;
  let capabilities = capabilitiesCache.get(key);
  if (!capabilities) {
    capabilities = binding.getRtpCapabilities(k, side) as RTCRtpCapabilities;
    capabilitiesCache.set(key, capabilities);
  }
  return structuredClone(capabilities);
}

function sameCodecs(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class RTCRtpSender {
  readonly #native: Binding.RtpSender;
  readonly #owner: SenderOwner;
  readonly #kind: 'audio' | 'video';
  #track: MediaStreamTrack | null = null;
  #dtmf: RTCDTMFSender | null = null;
  // [[LastReturnedParameters]]: cleared in a later task, as the spec has it.
  #lastReturned: Binding.RtpSendParametersRecord | null = null;

  constructor(key: symbol, native: Binding.RtpSender, owner: SenderOwner, kind: 'audio' | 'video') {
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#native = native;
    this.#owner = owner;
    this.#kind = kind;
  }

  static getCapabilities(kind: string): RTCRtpCapabilities | null {
    if (arguments.length < 1)
      throw new TypeError("Failed to execute 'getCapabilities' on 'RTCRtpSender': 1 argument required.");
    return rtpCapabilities(kind, 'sender');
  }

  get track(): MediaStreamTrack | null {
    return this.#track;
  }
  get transport(): RTCDtlsTransport | null {
    if (this.#owner.closed) return null;
    return this.#owner.dtlsTransport(this.#native.transport());
  }
  /** For audio senders: the DTMF sender (the same object every time); null for video. */
  get dtmf(): RTCDTMFSender | null {
    if (this.#kind !== 'audio') return null;
    this.#dtmf ??= new RTCDTMFSender(token, this.#native, this.#owner, () => this.#track !== null);
    return this.#dtmf;
  }

  replaceTrack(withTrack: MediaStreamTrack | null): Promise<void> {
    if (arguments.length < 1)
      return Promise.reject(new TypeError("Failed to execute 'replaceTrack' on 'RTCRtpSender': 1 argument required."));
    if (withTrack !== null && !(withTrack instanceof MediaStreamTrack)) {
      return Promise.reject(
        new TypeError(
          "Failed to execute 'replaceTrack' on 'RTCRtpSender': parameter 1 is not of type 'MediaStreamTrack'.",
        ),
      );
    }
    if (withTrack && withTrack.kind !== this.#kind) {
      return Promise.reject(
        new TypeError(`A ${withTrack.kind} track cannot replace the track of a ${this.#kind} sender.`),
      );
    }
    const site = new Error();
    return this.#owner.chain(async () => {
      if (this.#owner.closed) throw domException('InvalidStateError', 'The RTCPeerConnection is closed.', site.stack);
      if (this.#owner.stopped) throw domException('InvalidStateError', 'The transceiver is stopped.', site.stack);
      if (withTrack && withTrack.readyState === 'ended') {
        // libwebrtc has nothing to send from an ended track; the sender sends nothing, as with null.
        this.#native.setTrack(null);
      } else {
        noteCall('RTCRtpSender.replaceTrack()', site);
        if (!this.#native.setTrack(withTrack ? MediaStreamTrack.native(withTrack) : null)) {
          throw domException('InvalidModificationError', 'libwebrtc refused the track.', site.stack);
        }
      }
      this.#track = withTrack;
    });
  }

  getParameters(): RTCRtpSendParameters {
    const record = this.#owner.closed ? null : this.#native.getParameters();
    if (!record) {
      return { transactionId: '', encodings: [], headerExtensions: [], rtcp: {}, codecs: [] };
    }
    this.#lastReturned = record;
    setImmediate(() => {
      if (this.#lastReturned === record) this.#lastReturned = null;
    });
    return structuredClone(record) as RTCRtpSendParameters;
  }

  setParameters(parameters: RTCRtpSendParameters, setParameterOptions?: unknown): Promise<void> {
    const site = new Error();
    if (!isObject(parameters)) {
      return Promise.reject(
        new TypeError(
          "Failed to execute 'setParameters' on 'RTCRtpSender': parameter 1 is not of type 'RTCRtpSendParameters'.",
        ),
      );
    }
    void setParameterOptions;
    const last = this.#lastReturned;
    try {
      if (this.#owner.closed || this.#owner.stopped)
        throw domException('InvalidStateError', 'The transceiver is stopped.');
      if (!last) throw domException('InvalidStateError', 'getParameters() must be called first, in the same task.');
      const encodings = parameters.encodings;
      if (
        parameters.transactionId !== last.transactionId ||
        !Array.isArray(encodings) ||
        encodings.length !== last.encodings.length ||
        encodings.some((e, i) => !isObject(e) || (e.rid ?? undefined) !== last.encodings[i]!.rid) ||
        !sameCodecs(parameters.codecs, last.codecs) ||
        !sameCodecs(parameters.headerExtensions, last.headerExtensions) ||
        !sameCodecs(parameters.rtcp, last.rtcp)
      ) {
        throw domException('InvalidModificationError', 'Read-only parameters (or the transactionId) were changed.');
      }
      for (const e of encodings) {
        if (e.scaleResolutionDownBy !== undefined && !(Number(e.scaleResolutionDownBy) >= 1)) {
          throw new RangeError('scaleResolutionDownBy must be at least 1.');
        }
        if (e.maxFramerate !== undefined && !(Number(e.maxFramerate) >= 0)) {
          throw new RangeError('maxFramerate must not be negative.');
        }
        if (e.scaleResolutionDownBy !== undefined && this.#kind === 'audio') {
          throw new RangeError('scaleResolutionDownBy applies to video only.');
        }
      }
    } catch (error) {
      if (error instanceof Error && site.stack)
        error.stack = `${error.name}: ${error.message}${site.stack.slice(site.stack.indexOf('\n'))}`;
      return Promise.reject(error);
    }
    this.#lastReturned = null;
    const record: Binding.RtpSendParametersRecord = {
      ...last,
      encodings: parameters.encodings.map((e) => {
        const out: Binding.RtpEncodingRecord = { active: e.active === undefined ? true : Boolean(e.active) };
        if (e.rid !== undefined) out.rid = String(e.rid);
        if (e.maxBitrate !== undefined) out.maxBitrate = Number(e.maxBitrate);
        if (e.maxFramerate !== undefined) out.maxFramerate = Number(e.maxFramerate);
        if (e.scaleResolutionDownBy !== undefined) out.scaleResolutionDownBy = Number(e.scaleResolutionDownBy);
        if (e.priority !== undefined) out.priority = e.priority;
        if (e.networkPriority !== undefined) out.networkPriority = e.networkPriority;
        return out;
      }),
    };
    if (parameters.degradationPreference !== undefined) record.degradationPreference = parameters.degradationPreference;
    return this.#owner.chain(async () => {
      noteCall('RTCRtpSender.setParameters()', site);
      const error = this.#native.setParameters(record);
      if (error) throw fromRecord(error, site.stack);
    });
  }

  setStreams(...streams: MediaStream[]): void {
    for (const stream of streams) {
      if (!(stream instanceof MediaStream)) {
        throw new TypeError(
          "Failed to execute 'setStreams' on 'RTCRtpSender': parameter is not of type 'MediaStream'.",
        );
      }
    }
    if (this.#owner.closed) throw domException('InvalidStateError', 'The RTCPeerConnection is closed.');
    this.#native.setStreams(streams.map((s) => s.id));
  }

  getStats(): Promise<RTCStatsReport> {
    return this.#owner.getStats(this.#native);
  }

  // --- internals --------------------------------------------------------------------------

  static native(sender: RTCRtpSender): Binding.RtpSender {
    return sender.#native;
  }
  static setTrack(sender: RTCRtpSender, track: MediaStreamTrack | null): void {
    sender.#track = track;
  }
  static dtmfToneChange(sender: RTCRtpSender, tone: string): void {
    if (sender.#dtmf) RTCDTMFSender.toneChange(sender.#dtmf, tone);
  }
}
exposeInterface(RTCRtpSender, 'RTCRtpSender');

export function createSender(native: Binding.RtpSender, owner: SenderOwner, kind: 'audio' | 'video'): RTCRtpSender {
  return new RTCRtpSender(token, native, owner, kind);
}

// --- RTCDTMFSender --------------------------------------------------------------------------

export interface RTCDTMFToneChangeEventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
  tone?: string;
}

/** https://w3c.github.io/webrtc-pc/#rtcdtmftonechangeevent */
export class RTCDTMFToneChangeEvent extends Event {
  readonly #tone: string;
  constructor(type: string, eventInitDict?: RTCDTMFToneChangeEventInit) {
    if (arguments.length < 1) throw new TypeError("Failed to construct 'RTCDTMFToneChangeEvent': 1 argument required.");
    const init = eventInitDict ?? {};
    super(String(type), {
      bubbles: Boolean(init.bubbles),
      cancelable: Boolean(init.cancelable),
      composed: Boolean(init.composed),
    });
    this.#tone = init.tone === undefined ? '' : String(init.tone);
  }
  get tone(): string {
    return this.#tone;
  }
}
exposeInterface(RTCDTMFToneChangeEvent, 'RTCDTMFToneChangeEvent');

const DTMF_TONES = /^[0-9A-D#*,]*$/;

export class RTCDTMFSender extends EventTarget {
  readonly #native: Binding.RtpSender;
  readonly #owner: SenderOwner;
  readonly #hasTrack: () => boolean;
  declare ontonechange: ((this: any, ev: RTCDTMFToneChangeEvent) => any) | null;

  constructor(key: symbol, native: Binding.RtpSender, owner: SenderOwner, hasTrack: () => boolean) {
    super();
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#native = native;
    this.#owner = owner;
    this.#hasTrack = hasTrack;
  }

  /**
   * Spec §7.3 "determine if DTMF can be sent": the connection is connected (as script sees
   * it), the sender has a track and sends, and libwebrtc can send telephone-events
   * (negotiated, and its channel ready).
   */
  get canInsertDTMF(): boolean {
    return (
      this.#owner.connectionState === 'connected' && this.#hasTrack() && this.#sending() && this.#native.canInsertDtmf()
    );
  }
  get toneBuffer(): string {
    return this.#owner.closed ? '' : this.#native.toneBuffer();
  }

  /** Spec §7.2: tones validated and upper-cased; duration clamped to 40..6000 ms, the gap to 30..6000. */
  insertDTMF(tones: string, duration = 100, interToneGap = 70): void {
    if (arguments.length < 1)
      throw new TypeError("Failed to execute 'insertDTMF' on 'RTCDTMFSender': 1 argument required.");
    if (!this.#sending()) {
      throw domException(
        'InvalidStateError',
        'The sender is not sending (its transceiver is stopped, or not negotiated to send).',
      );
    }
    // Step 6: "If determine if DTMF can be sent returns false, throw an InvalidStateError" (as
    // Chromium does). libwebrtc would otherwise drop the tones without a tonechange.
    if (!this.canInsertDTMF) {
      throw domException(
        'InvalidStateError',
        'canInsertDTMF is false: the connection is not connected yet, or telephone-event was not negotiated.',
      );
    }
    const upper = String(tones).toUpperCase();
    if (!DTMF_TONES.test(upper))
      throw domException('InvalidCharacterError', `'${String(tones)}' has characters that are not DTMF tones.`);
    const clamp = (value: number, min: number) => Math.min(Math.max(Math.trunc(Number(value)) || 0, min), 6000);
    noteCall('RTCDTMFSender.insertDTMF()');
    this.#native.insertDtmf(upper, clamp(duration, 40), clamp(interToneGap, 30));
  }

  #sending(): boolean {
    const direction = this.#owner.currentDirection;
    return !this.#owner.closed && !this.#owner.stopped && (direction === 'sendrecv' || direction === 'sendonly');
  }

  static toneChange(sender: RTCDTMFSender, tone: string): void {
    sender.dispatchEvent(new RTCDTMFToneChangeEvent('tonechange', { tone }));
  }
}
defineEventHandlers(RTCDTMFSender, ['tonechange']);
exposeInterface(RTCDTMFSender, 'RTCDTMFSender');
