// RTCSctpTransport, RTCDtlsTransport and RTCIceTransport: the transport chain under data
// channels (W3C webrtc-pc §6.1.1, §5.5, §5.6). The SCTP and DTLS states come from libwebrtc's
// transport observers; the ICE transport mirrors the connection's ICE states (one transport:
// libwebrtc bundles data channels on it).
import type { Binding } from './binding.js';
import { defineEventHandlers } from './event-target.js';
import { maxMessageSize } from './sdp.js';

export type RTCSctpTransportState = 'connecting' | 'connected' | 'closed';
export type RTCDtlsTransportState = 'new' | 'connecting' | 'connected' | 'closed' | 'failed';
export type RTCIceTransportState = 'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed' | 'closed';
export type RTCIceGathererState = 'new' | 'gathering' | 'complete';

/** What libwebrtc can send in one message (dcsctp's limit, also what it announces in SDP). */
const LOCAL_MAX_MESSAGE_SIZE = 262144;

const token = Symbol('internal');

export class RTCIceTransport extends EventTarget {
  #state: RTCIceTransportState = 'new';
  #gatheringState: RTCIceGathererState = 'new';
  declare onstatechange: ((this: any, ev: Event) => any) | null;
  declare ongatheringstatechange: ((this: any, ev: Event) => any) | null;

  constructor(key: symbol) {
    super();
    if (key !== token) throw new TypeError('Illegal constructor');
  }
  get state(): RTCIceTransportState {
    return this.#state;
  }
  get gatheringState(): RTCIceGathererState {
    return this.#gatheringState;
  }
  get component(): 'rtp' {
    return 'rtp';
  }
  static closeSilently(transport: RTCIceTransport): void {
    transport.#state = 'closed';
  }
  static set(transport: RTCIceTransport, change: { state?: RTCIceTransportState; gatheringState?: RTCIceGathererState }): void {
    if (change.state && change.state !== transport.#state) {
      transport.#state = change.state;
      transport.dispatchEvent(new Event('statechange'));
    }
    if (change.gatheringState && change.gatheringState !== transport.#gatheringState) {
      transport.#gatheringState = change.gatheringState;
      transport.dispatchEvent(new Event('gatheringstatechange'));
    }
  }
}
defineEventHandlers(RTCIceTransport, ['statechange', 'gatheringstatechange']);

export class RTCDtlsTransport extends EventTarget {
  readonly #iceTransport = new RTCIceTransport(token);
  #state: RTCDtlsTransportState = 'new';
  declare onstatechange: ((this: any, ev: Event) => any) | null;
  declare onerror: ((this: any, ev: Event) => any) | null;

  constructor(key: symbol) {
    super();
    if (key !== token) throw new TypeError('Illegal constructor');
  }
  get iceTransport(): RTCIceTransport {
    return this.#iceTransport;
  }
  get state(): RTCDtlsTransportState {
    return this.#state;
  }
  getRemoteCertificates(): ArrayBuffer[] {
    return [];
  }
  static closeSilently(transport: RTCDtlsTransport): void {
    transport.#state = 'closed';
    RTCIceTransport.closeSilently(transport.#iceTransport);
  }
  static setState(transport: RTCDtlsTransport, state: RTCDtlsTransportState): void {
    if (transport.#state === state) return;
    transport.#state = state;
    transport.dispatchEvent(new Event('statechange'));
  }
}
defineEventHandlers(RTCDtlsTransport, ['statechange', 'error']);

interface Owner {
  readonly remoteDescription: { readonly sdp: string } | null;
}

type TransportEvent = Extract<Binding.PeerConnectionEvent, { type: 'sctpstatechange' | 'dtlsstatechange' }>;

export class RTCSctpTransport extends EventTarget {
  readonly #owner: Owner;
  readonly #transport = new RTCDtlsTransport(token);
  #state: RTCSctpTransportState = 'connecting';
  #maxChannels: number | null = null;
  #maxMessageSize: number | null = null;
  declare onstatechange: ((this: any, ev: Event) => any) | null;

  constructor(key: symbol, owner: Owner) {
    super();
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#owner = owner;
  }
  get transport(): RTCDtlsTransport {
    return this.#transport;
  }
  get state(): RTCSctpTransportState {
    return this.#state;
  }
  /** The spec's rule: the smaller of what the remote accepts and what we can send. */
  get maxMessageSize(): number {
    if (this.#maxMessageSize !== null) return this.#maxMessageSize;
    const remote = this.#owner.remoteDescription;
    const remoteMax = remote ? maxMessageSize(remote.sdp) : 65536;
    return Math.min(remoteMax, LOCAL_MAX_MESSAGE_SIZE);
  }
  get maxChannels(): number | null {
    return this.#maxChannels;
  }

  static onEvent(transport: RTCSctpTransport, event: TransportEvent): void {
    if (event.type === 'dtlsstatechange') {
      RTCDtlsTransport.setState(transport.#transport, event.state);
      return;
    }
    if (event.maxChannels !== null) transport.#maxChannels = event.maxChannels;
    if (event.maxMessageSize !== null && event.maxMessageSize > 0) {
      transport.#maxMessageSize = Math.min(event.maxMessageSize, LOCAL_MAX_MESSAGE_SIZE);
    }
    RTCSctpTransport.setState(transport, event.state);
  }
  static setState(transport: RTCSctpTransport, state: RTCSctpTransportState): void {
    if (transport.#state === state) return;
    transport.#state = state;
    transport.dispatchEvent(new Event('statechange'));
  }
  /** The connection closed: everything under it is closed, without events (spec). */
  static closeSilently(transport: RTCSctpTransport): void {
    transport.#state = 'closed';
    RTCDtlsTransport.closeSilently(transport.#transport);
  }
}
defineEventHandlers(RTCSctpTransport, ['statechange']);

export function createSctpTransport(owner: Owner): RTCSctpTransport {
  return new RTCSctpTransport(token, owner);
}
