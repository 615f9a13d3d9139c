// RTCSctpTransport, RTCDtlsTransport and RTCIceTransport: the transport chain under data
// channels (W3C webrtc-pc §6.1.1, §5.5, §5.6), mirrored from the connection's states.
import { defineEventHandlers } from './event-target.js';
import { maxMessageSize } from './sdp.js';

export type RTCSctpTransportState = 'connecting' | 'connected' | 'closed';
export type RTCDtlsTransportState = 'new' | 'connecting' | 'connected' | 'closed' | 'failed';

/** What libwebrtc can send in one message (dcsctp's limit, also what it announces in SDP). */
const LOCAL_MAX_MESSAGE_SIZE = 262144;

const token = Symbol('internal');

export class RTCIceTransport extends EventTarget {
  constructor(key: symbol) {
    super();
    if (key !== token) throw new TypeError('Illegal constructor');
  }
}

export class RTCDtlsTransport extends EventTarget {
  readonly #iceTransport = new RTCIceTransport(token);
  #state: RTCDtlsTransportState = 'new';
  declare onstatechange: ((this: RTCDtlsTransport, ev: Event) => any) | null;
  declare onerror: ((this: RTCDtlsTransport, ev: Event) => any) | null;

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
  readonly #transport = new RTCDtlsTransport(token);
  readonly #info: () => { maxChannels: number | null } | null;
  #state: RTCSctpTransportState = 'connecting';
  #maxChannels: number | null = null;
  declare onstatechange: ((this: RTCSctpTransport, ev: Event) => any) | null;

  constructor(key: symbol, owner: Owner, info: () => { maxChannels: number | null } | null) {
    super();
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#owner = owner;
    this.#info = info;
  }
  get transport(): RTCDtlsTransport {
    return this.#transport;
  }
  get state(): RTCSctpTransportState {
    return this.#state;
  }
  /** The spec's rule: the smaller of what the remote accepts and what we can send. */
  get maxMessageSize(): number {
    const remote = this.#owner.remoteDescription;
    const remoteMax = remote ? maxMessageSize(remote.sdp) : 65536;
    return Math.min(remoteMax, LOCAL_MAX_MESSAGE_SIZE);
  }
  get maxChannels(): number | null {
    if (this.#maxChannels === null && this.#state === 'connected') {
      this.#maxChannels = this.#info()?.maxChannels ?? null;
    }
    return this.#maxChannels;
  }
  static update(transport: RTCSctpTransport, change: { state: RTCSctpTransportState }): void {
    if (change.state === 'connected') RTCDtlsTransport.setState(transport.#transport, 'connected');
    if (change.state === 'closed') RTCDtlsTransport.setState(transport.#transport, 'closed');
    if (transport.#state === change.state) return;
    transport.#state = change.state;
    if (change.state === 'connected') transport.#maxChannels = transport.#info()?.maxChannels ?? null;
    transport.dispatchEvent(new Event('statechange'));
  }
}
defineEventHandlers(RTCSctpTransport, ['statechange']);

export function createSctpTransport(
  owner: Owner,
  info: () => { maxChannels: number | null } | null,
): RTCSctpTransport {
  return new RTCSctpTransport(token, owner, info);
}

export function updateSctpTransport(transport: RTCSctpTransport, change: { state: RTCSctpTransportState }): void {
  RTCSctpTransport.update(transport, change);
}
