// RTCSctpTransport, RTCDtlsTransport and RTCIceTransport: the transport chain under data
// channels and media (W3C webrtc-pc §6.1.1, §5.5, §5.6). One RTCDtlsTransport per libwebrtc DTLS
// transport (native/peer/rtc_dtls_transport.cc gives each a handle), shared by everything bundled
// on it. The SCTP and DTLS states come from libwebrtc's transport observers, and connection
// state events carry the DTLS states too, applied first; the ICE transports mirror the
// connection's ICE states.
import type { Binding } from './binding.js';
import { defineEventHandlers } from './event-target.js';
import { RTCIceCandidate } from './RTCIceCandidate.js';
import { maxMessageSize, mediaSections } from './sdp.js';

export type RTCSctpTransportState = 'connecting' | 'connected' | 'closed';
export type RTCDtlsTransportState = 'new' | 'connecting' | 'connected' | 'closed' | 'failed';
export type RTCIceTransportState =
  | 'new'
  | 'checking'
  | 'connected'
  | 'completed'
  | 'disconnected'
  | 'failed'
  | 'closed';
export type RTCIceGathererState = 'new' | 'gathering' | 'complete';
export type RTCIceRole = 'unknown' | 'controlling' | 'controlled';

export interface RTCIceParameters {
  usernameFragment: string;
  password: string;
}
export interface RTCIceCandidatePair {
  local: RTCIceCandidate;
  remote: RTCIceCandidate;
}

/** What a transport reads from its connection: libwebrtc's view of it, and the descriptions. */
export interface TransportSource {
  info(): Binding.TransportInfoRecord | null;
  readonly localDescription: { readonly sdp: string } | null;
  readonly remoteDescription: { readonly sdp: string } | null;
}

/** What libwebrtc can send in one message (dcsctp's limit, also what it announces in SDP). */
const LOCAL_MAX_MESSAGE_SIZE = 262144;

const token = Symbol('internal');

export class RTCIceTransport extends EventTarget {
  #state: RTCIceTransportState = 'new';
  #gatheringState: RTCIceGathererState = 'new';
  readonly #source: TransportSource | null;
  declare onstatechange: ((this: any, ev: Event) => any) | null;
  declare ongatheringstatechange: ((this: any, ev: Event) => any) | null;
  declare onselectedcandidatepairchange: ((this: any, ev: Event) => any) | null;

  constructor(key: symbol, source: TransportSource | null) {
    super();
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#source = source;
  }
  /** The candidates gathered for this transport (libwebrtc's, as RTCIceCandidates). */
  getLocalCandidates(): RTCIceCandidate[] {
    const info = this.#info();
    return info ? info.localCandidates.map((c) => candidate(c, info.mid)) : [];
  }
  getRemoteCandidates(): RTCIceCandidate[] {
    const info = this.#info();
    return info ? info.remoteCandidates.map((c) => candidate(c, info.mid)) : [];
  }
  getSelectedCandidatePair(): RTCIceCandidatePair | null {
    const info = this.#info();
    if (!info?.selectedPair) return null;
    return {
      local: candidate(info.selectedPair.local, info.mid),
      remote: candidate(info.selectedPair.remote, info.mid),
    };
  }
  getLocalParameters(): RTCIceParameters | null {
    return this.#parameters(this.#source?.localDescription ?? null);
  }
  getRemoteParameters(): RTCIceParameters | null {
    return this.#parameters(this.#source?.remoteDescription ?? null);
  }
  #info(): Binding.TransportInfoRecord | null {
    return this.#state === 'closed' ? null : (this.#source?.info() ?? null);
  }
  #parameters(description: { readonly sdp: string } | null): RTCIceParameters | null {
    const info = this.#info();
    if (!description || !info) return null;
    const section = mediaSections(description.sdp).find((s) => s.mid === info.mid);
    if (!section?.ufrag || !section.pwd) return null;
    return { usernameFragment: section.ufrag, password: section.pwd };
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
  static set(
    transport: RTCIceTransport,
    change: { state?: RTCIceTransportState; gatheringState?: RTCIceGathererState },
  ): void {
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
defineEventHandlers(RTCIceTransport, ['statechange', 'gatheringstatechange', 'selectedcandidatepairchange']);

function candidate(line: string, mid: string): RTCIceCandidate {
  return new RTCIceCandidate({ candidate: line, sdpMid: mid });
}

export class RTCDtlsTransport extends EventTarget {
  readonly #iceTransport: RTCIceTransport;
  readonly #source: TransportSource | null;
  /** native/peer/rtc_dtls_transport.cc's handle for it. */
  readonly handle: number;
  #state: RTCDtlsTransportState = 'new';
  declare onstatechange: ((this: any, ev: Event) => any) | null;
  declare onerror: ((this: any, ev: Event) => any) | null;

  constructor(key: symbol, handle: number, source: TransportSource | null) {
    super();
    if (key !== token) throw new TypeError('Illegal constructor');
    this.handle = handle;
    this.#source = source;
    this.#iceTransport = new RTCIceTransport(token, source);
  }
  get iceTransport(): RTCIceTransport {
    return this.#iceTransport;
  }
  get state(): RTCDtlsTransportState {
    return this.#state;
  }
  /** The remote peer's certificate chain, DER-encoded, once DTLS is connected. */
  getRemoteCertificates(): ArrayBuffer[] {
    if (this.#state !== 'connected') return [];
    return this.#source?.info()?.remoteCertificates ?? [];
  }
  static closeSilently(transport: RTCDtlsTransport): void {
    transport.#state = 'closed';
    RTCIceTransport.closeSilently(transport.#iceTransport);
  }
  static setState(transport: RTCDtlsTransport, state: RTCDtlsTransportState, fire = true): void {
    if (transport.#state === state) return;
    // DTLS runs over a connected ICE transport: the connection's aggregate ICE state (which the
    // ICE transports mirror) can arrive after the DTLS transport's own observer says connected,
    // so the ICE transport is connected first, as browsers order these events.
    const ice = transport.#iceTransport;
    if (state === 'connected' && (ice.state === 'new' || ice.state === 'checking')) {
      RTCIceTransport.set(ice, { state: 'connected' });
    }
    transport.#state = state;
    if (fire) transport.dispatchEvent(new Event('statechange'));
  }
}
defineEventHandlers(RTCDtlsTransport, ['statechange', 'error']);

interface Owner {
  readonly remoteDescription: { readonly sdp: string } | null;
}

export class RTCSctpTransport extends EventTarget {
  readonly #owner: Owner;
  #transport: RTCDtlsTransport;
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
  static setTransport(sctp: RTCSctpTransport, transport: RTCDtlsTransport): void {
    sctp.#transport = transport;
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

export function createDtlsTransport(handle: number, source: TransportSource): RTCDtlsTransport {
  return new RTCDtlsTransport(token, handle, source);
}
