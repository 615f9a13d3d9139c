// RTCSctpTransport, RTCDtlsTransport and RTCIceTransport: the transport chain under data
// channels and media (W3C webrtc-pc §6.1.1, §5.5, §5.6). One RTCDtlsTransport per libwebrtc DTLS
// transport (native/peer/rtc_dtls_transport.cc gives each a handle), shared by everything bundled
// on it. The SCTP and DTLS states come from libwebrtc's transport observers, and connection
// state events carry the DTLS states too, applied first; the ICE transports mirror the
// connection's ICE states.
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
  /** native/peer/rtc_dtls_transport.cc's handle for it. */
  readonly handle: number;
  #state: RTCDtlsTransportState = 'new';
  declare onstatechange: ((this: any, ev: Event) => any) | null;
  declare onerror: ((this: any, ev: Event) => any) | null;

  constructor(key: symbol, handle: number) {
    super();
    if (key !== token) throw new TypeError('Illegal constructor');
    this.handle = handle;
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

export class RTCSctpTransport extends EventTarget {
  readonly #owner: Owner;
  readonly #transport: RTCDtlsTransport;
  #state: RTCSctpTransportState = 'connecting';
  #maxChannels: number | null = null;
  #maxMessageSize: number | null = null;
  declare onstatechange: ((this: any, ev: Event) => any) | null;

  constructor(key: symbol, owner: Owner, transport: RTCDtlsTransport) {
    super();
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#owner = owner;
    this.#transport = transport;
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

  static onEvent(transport: RTCSctpTransport, event: Binding.SctpRecord): void {
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
  /** The connection closed: it is closed, without an event (spec). */
  static closeSilently(transport: RTCSctpTransport): void {
    transport.#state = 'closed';
  }
}
defineEventHandlers(RTCSctpTransport, ['statechange']);

export function createSctpTransport(owner: Owner, transport: RTCDtlsTransport): RTCSctpTransport {
  return new RTCSctpTransport(token, owner, transport);
}

export function createDtlsTransport(handle: number): RTCDtlsTransport {
  return new RTCDtlsTransport(token, handle);
}
