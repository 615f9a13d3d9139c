// The WebRTC event interfaces, on Node's global Event. Messages use the global MessageEvent.
//
// Each constructor converts its init dictionary the way the bindings do: EventInit's members
// (bubbles, cancelable, composed) first, then the interface's own in lexicographic order, with
// TypeErrors for a missing required member or a value of the wrong interface. Node's Event
// constructor is handed a plain EventInit, since it rejects dictionaries WebIDL accepts (arrays,
// functions).

import type { RTCDataChannel } from './RTCDataChannel.js';
import { isRTCError, type RTCError } from './errors.js';
import { isRTCIceCandidate, type RTCIceCandidate } from './RTCIceCandidate.js';
import {
  constructContext,
  type Dictionary,
  exposeInterface,
  isObject,
  memberContext,
  missingMember,
  requireArguments,
  toDictionary,
  toDOMString,
  toSequence,
  toUnsignedShort,
  toUSVString,
} from './webidl-values.js';

/** DOM's EventInit, which @types/node uses but does not make global. */
export interface EventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
}

/** The channel an RTCDataChannelEvent carries. */
export type DataChannelLike = RTCDataChannel;

export interface RTCPeerConnectionIceEventInit extends EventInit {
  candidate?: RTCIceCandidate | null;
  url?: string | null;
}

export interface RTCPeerConnectionIceErrorEventInit extends EventInit {
  address?: string | null;
  errorCode: number;
  errorText?: string;
  port?: number | null;
  url?: string;
}

export interface RTCDataChannelEventInit extends EventInit {
  channel: DataChannelLike;
}

export interface RTCErrorEventInit extends EventInit {
  error: RTCError;
}

function toEventInit(dict: Dictionary): EventInit {
  return {
    bubbles: Boolean(dict.bubbles),
    cancelable: Boolean(dict.cancelable),
    composed: Boolean(dict.composed),
  };
}

function notOfInterface(context: string, member: string, dictionaryName: string, interfaceName: string): TypeError {
  return new TypeError(
    `${memberContext(context, member, dictionaryName)}: Failed to convert value to '${interfaceName}'.`,
  );
}

/** https://w3c.github.io/webrtc-pc/#rtcpeerconnectioniceevent */
export class RTCPeerConnectionIceEvent extends Event {
  readonly #candidate: RTCIceCandidate | null;
  readonly #url: string | null;

  constructor(type: string, eventInitDict: RTCPeerConnectionIceEventInit = {}) {
    const context = constructContext('RTCPeerConnectionIceEvent');
    requireArguments(arguments.length, 1, context);
    const typeString = toDOMString(type);
    const name = 'RTCPeerConnectionIceEventInit';
    const dict = toDictionary(eventInitDict, name, context);
    const init = toEventInit(dict);
    const rawCandidate = dict.candidate;
    let candidate: RTCIceCandidate | null = null;
    if (rawCandidate !== undefined && rawCandidate !== null) {
      if (!isRTCIceCandidate(rawCandidate)) {
        throw notOfInterface(context, 'candidate', name, 'RTCIceCandidate');
      }
      candidate = rawCandidate;
    }
    const rawUrl = dict.url;
    const url = rawUrl === undefined || rawUrl === null ? null : toDOMString(rawUrl);
    super(typeString, init);
    this.#candidate = candidate;
    this.#url = url;
  }

  get candidate(): RTCIceCandidate | null {
    return this.#candidate;
  }

  /**
   * Deprecated in the spec (the candidate's own `url` replaces it) and gone from Chromium, kept
   * because the spec still defines it.
   */
  get url(): string | null {
    return this.#url;
  }
}
exposeInterface(RTCPeerConnectionIceEvent, 'RTCPeerConnectionIceEvent');

/** https://w3c.github.io/webrtc-pc/#rtcpeerconnectioniceerrorevent */
export class RTCPeerConnectionIceErrorEvent extends Event {
  readonly #address: string | null;
  readonly #port: number | null;
  readonly #url: string;
  readonly #errorCode: number;
  readonly #errorText: string;

  constructor(type: string, eventInitDict: RTCPeerConnectionIceErrorEventInit) {
    const context = constructContext('RTCPeerConnectionIceErrorEvent');
    requireArguments(arguments.length, 2, context);
    const typeString = toDOMString(type);
    const name = 'RTCPeerConnectionIceErrorEventInit';
    const dict = toDictionary(eventInitDict, name, context);
    const init = toEventInit(dict);
    const nullable = <T>(value: unknown, convert: (v: unknown) => T): T | null =>
      value === undefined || value === null ? null : convert(value);
    const address = nullable(dict.address, toDOMString);
    const rawErrorCode = dict.errorCode;
    if (rawErrorCode === undefined) throw missingMember(context, 'errorCode', name);
    const errorCode = toUnsignedShort(rawErrorCode);
    const rawErrorText = dict.errorText;
    const errorText = rawErrorText === undefined ? '' : toUSVString(rawErrorText);
    const port = nullable(dict.port, toUnsignedShort);
    const rawUrl = dict.url;
    const url = rawUrl === undefined ? '' : toDOMString(rawUrl);
    super(typeString, init);
    this.#address = address;
    this.#port = port;
    this.#url = url;
    this.#errorCode = errorCode;
    this.#errorText = errorText;
  }

  get address(): string | null {
    return this.#address;
  }

  get port(): number | null {
    return this.#port;
  }

  get url(): string {
    return this.#url;
  }

  get errorCode(): number {
    return this.#errorCode;
  }

  get errorText(): string {
    return this.#errorText;
  }
}
exposeInterface(RTCPeerConnectionIceErrorEvent, 'RTCPeerConnectionIceErrorEvent');

/** https://w3c.github.io/webrtc-pc/#rtcdatachannelevent */
export class RTCDataChannelEvent extends Event {
  readonly #channel: DataChannelLike;

  constructor(type: string, eventInitDict: RTCDataChannelEventInit) {
    const context = constructContext('RTCDataChannelEvent');
    requireArguments(arguments.length, 2, context);
    const typeString = toDOMString(type);
    const name = 'RTCDataChannelEventInit';
    const dict = toDictionary(eventInitDict, name, context);
    const init = toEventInit(dict);
    const channel = dict.channel;
    if (channel === undefined) throw missingMember(context, 'channel', name);
    // Any non-callable object passes for now; this becomes a brand check once RTCDataChannel
    // is importable here.
    if (typeof channel !== 'object' || channel === null) {
      throw notOfInterface(context, 'channel', name, 'RTCDataChannel');
    }
    super(typeString, init);
    this.#channel = channel as DataChannelLike;
  }

  get channel(): DataChannelLike {
    return this.#channel;
  }
}
exposeInterface(RTCDataChannelEvent, 'RTCDataChannelEvent');

/** https://w3c.github.io/webrtc-pc/#rtcerrorevent-interface */
export class RTCErrorEvent extends Event {
  readonly #error: RTCError;

  constructor(type: string, eventInitDict: RTCErrorEventInit) {
    const context = constructContext('RTCErrorEvent');
    requireArguments(arguments.length, 2, context);
    const typeString = toDOMString(type);
    const name = 'RTCErrorEventInit';
    const dict = toDictionary(eventInitDict, name, context);
    const init = toEventInit(dict);
    const error = dict.error;
    if (error === undefined) throw missingMember(context, 'error', name);
    if (!isRTCError(error)) throw notOfInterface(context, 'error', name, 'RTCError');
    super(typeString, init);
    this.#error = error;
  }

  get error(): RTCError {
    return this.#error;
  }
}
exposeInterface(RTCErrorEvent, 'RTCErrorEvent');

// --- the event types `on<event>` handlers are declared with -----------------------------------
//
// Structural views (Pick) of our classes: our classes have #private fields, which makes their
// types nominal, so a handler typed with them would keep our objects from being stored where
// lib.dom's types are expected (the type test in test/types/ checks that). The views carry
// every member lib.dom's types also have.

type IceCandidateView = Pick<
  RTCIceCandidate,
  | 'candidate'
  | 'sdpMid'
  | 'sdpMLineIndex'
  | 'usernameFragment'
  | 'foundation'
  | 'component'
  | 'priority'
  | 'address'
  | 'protocol'
  | 'port'
  | 'type'
  | 'tcpType'
  | 'relatedAddress'
  | 'relatedPort'
  | 'toJSON'
>;
export type IceEventView = Event & { readonly candidate: IceCandidateView | null };
export type IceErrorEventView = Event &
  Pick<RTCPeerConnectionIceErrorEvent, 'address' | 'port' | 'url' | 'errorCode' | 'errorText'>;
export type ErrorEventView = Event & {
  readonly error: Pick<
    RTCError,
    'name' | 'message' | 'errorDetail' | 'sdpLineNumber' | 'sctpCauseCode' | 'receivedAlert' | 'sentAlert'
  >;
};
export type DataChannelView = Pick<
  RTCDataChannel,
  | 'label'
  | 'ordered'
  | 'maxPacketLifeTime'
  | 'maxRetransmits'
  | 'protocol'
  | 'negotiated'
  | 'id'
  | 'readyState'
  | 'bufferedAmount'
  | 'bufferedAmountLowThreshold'
  | 'binaryType'
  | 'send'
  | 'close'
  | 'onopen'
  | 'onbufferedamountlow'
  | 'onerror'
  | 'onclosing'
  | 'onclose'
  | 'onmessage'
>;
export type DataChannelEventView = Event & { readonly channel: DataChannelView };

export interface RTCTrackEventInit extends EventInit {
  receiver: import('./RTCRtpReceiver.js').RTCRtpReceiver;
  track: import('./MediaStreamTrack.js').MediaStreamTrack;
  streams?: import('./MediaStream.js').MediaStream[];
  transceiver: import('./RTCRtpTransceiver.js').RTCRtpTransceiver;
}

/** https://w3c.github.io/webrtc-pc/#rtctrackevent */
export class RTCTrackEvent extends Event {
  readonly #receiver: RTCTrackEventInit['receiver'];
  readonly #track: RTCTrackEventInit['track'];
  readonly #streams: readonly NonNullable<RTCTrackEventInit['streams']>[number][];
  readonly #transceiver: RTCTrackEventInit['transceiver'];

  constructor(type: string, eventInitDict: RTCTrackEventInit) {
    const context = constructContext('RTCTrackEvent');
    requireArguments(arguments.length, 2, context);
    const typeString = toDOMString(type);
    const name = 'RTCTrackEventInit';
    const dict = toDictionary(eventInitDict, name, context);
    const init = toEventInit(dict);
    for (const member of ['receiver', 'track', 'transceiver'] as const) {
      const value = dict[member];
      if (value === undefined) throw missingMember(context, member, name);
      if (typeof value !== 'object' || value === null) throw notOfInterface(context, member, name, member);
    }
    const streams =
      dict.streams === undefined
        ? []
        : toSequence(
            dict.streams,
            (stream) => {
              if (!isObject(stream)) throw notOfInterface(context, 'streams', name, 'MediaStream');
              return stream;
            },
            `${context}: Failed to read the 'streams' property from '${name}'`,
          );
    super(typeString, init);
    this.#receiver = dict.receiver as RTCTrackEventInit['receiver'];
    this.#track = dict.track as RTCTrackEventInit['track'];
    this.#streams = Object.freeze(streams as never[]);
    this.#transceiver = dict.transceiver as RTCTrackEventInit['transceiver'];
  }

  get receiver(): RTCTrackEventInit['receiver'] {
    return this.#receiver;
  }
  get track(): RTCTrackEventInit['track'] {
    return this.#track;
  }
  /** A frozen array, the same object every time (WebIDL FrozenArray). */
  get streams(): readonly NonNullable<RTCTrackEventInit['streams']>[number][] {
    return this.#streams;
  }
  get transceiver(): RTCTrackEventInit['transceiver'] {
    return this.#transceiver;
  }
}
exposeInterface(RTCTrackEvent, 'RTCTrackEvent');
