// https://w3c.github.io/webrtc-pc/#rtcicecandidate-interface
//
// The candidate string is parsed the way Chromium does it (Blink hands it to libwebrtc's
// candidate parser and copies the fields out), so the derived attributes match what browser
// code sees, quirks included; each quirk below was checked against Chromium 156.

import {
  constructContext,
  exposeInterface,
  inspectCustom,
  type InspectFunction,
  toDictionary,
  toDOMString,
  toUnsignedShort,
} from './webidl-values.js';

export interface RTCIceCandidateInit {
  candidate?: string;
  sdpMLineIndex?: number | null;
  sdpMid?: string | null;
  usernameFragment?: string | null;
}

export type RTCIceComponent = 'rtp' | 'rtcp';
export type RTCIceProtocol = 'udp' | 'tcp';
export type RTCIceCandidateType = 'host' | 'srflx' | 'prflx' | 'relay';
export type RTCIceTcpCandidateType = 'active' | 'passive' | 'so';
export type RTCIceServerTransportProtocol = 'udp' | 'tcp' | 'tls';

/** The attributes derived from a candidate-attribute string. */
export interface ParsedCandidate {
  foundation: string;
  component: RTCIceComponent | null;
  priority: number;
  address: string | null;
  protocol: RTCIceProtocol | null;
  port: number | null;
  type: RTCIceCandidateType;
  tcpType: RTCIceTcpCandidateType | null;
  relatedAddress: string | null;
  relatedPort: number | null;
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const UINT16_MAX = 0xffff;
const UINT32_MAX = 0xffffffff;

// libwebrtc's number parsing (rtc::StringToNumber): decimal digits only, an optional leading
// '-', nothing else (no '+', no spaces, no hex), and the value must fit the C++ type.
const decimal = /^-?[0-9]+$/;

function parseSigned(field: string, min: number, max: number): number | null {
  if (!decimal.test(field)) return null;
  const value = Number(field);
  if (value < min || value > max) return null;
  return value === 0 ? 0 : value; // "-0" is 0, not -0
}

function parseUnsigned(field: string, max: number): number | null {
  if (!decimal.test(field)) return null;
  const value = Number(field);
  // strtoull accepts a '-' sign; libwebrtc then rejects any negative value but zero ("-0").
  if (field.startsWith('-') && value !== 0) return null;
  if (value > max) return null;
  return value === 0 ? 0 : value;
}

function isPort(value: number | null): value is number {
  return value !== null && value >= 0 && value <= 65535;
}

// glibc's inet_pton(AF_INET): exactly four decimal octets, no leading zeros ("01" is not an
// octet), each at most 255.
function ipv4Octets(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const octets: number[] = [];
  for (const part of parts) {
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    octets.push(octet);
  }
  return octets;
}

function hexDigit(ch: string): number {
  const code = ch.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  return -1;
}

// glibc's inet_pton(AF_INET6), as eight 16-bit words: at most one "::", at most four hex digits
// a group, an embedded IPv4 address only as the last 32 bits, no zone ("%eth0"), no brackets.
function ipv6Words(text: string): number[] | null {
  if (text === '') return null;
  let i = 0;
  if (text[0] === ':') {
    if (text[1] !== ':') return null;
    i = 1;
  }
  const words: number[] = [];
  let gapAt = -1;
  let digits = 0;
  let value = 0;
  let tokenStart = i;
  while (i < text.length) {
    const ch = text[i++]!;
    const digit = hexDigit(ch);
    if (digit >= 0) {
      if (digits === 4) return null;
      value = (value << 4) | digit;
      digits++;
      continue;
    }
    if (ch === ':') {
      tokenStart = i;
      if (digits === 0) {
        if (gapAt !== -1) return null;
        gapAt = words.length;
        continue;
      }
      if (i === text.length || words.length === 8) return null;
      words.push(value);
      digits = 0;
      value = 0;
      continue;
    }
    if (ch === '.' && words.length <= 6) {
      const octets = ipv4Octets(text.slice(tokenStart));
      if (octets !== null) {
        words.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
        digits = 0;
        break;
      }
    }
    return null;
  }
  if (digits > 0) {
    if (words.length === 8) return null;
    words.push(value);
  }
  if (gapAt !== -1) {
    if (words.length === 8) return null; // "::" must stand for at least one group
    words.splice(gapAt, 0, ...new Array<number>(8 - words.length).fill(0));
  }
  return words.length === 8 ? words : null;
}

// glibc's inet_ntop(AF_INET6) (BIND's algorithm): lowercase hex without leading zeros, the
// first longest run of two or more zero groups as "::", and the last 32 bits in dotted form for
// IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) addresses.
function formatIPv6(words: readonly number[]): string {
  let bestBase = -1;
  let bestLen = 0;
  let runBase = -1;
  let runLen = 0;
  for (let i = 0; i <= 8; i++) {
    if (i < 8 && words[i] === 0) {
      if (runBase === -1) runBase = i;
      runLen++;
    } else if (runBase !== -1) {
      if (runLen > bestLen) {
        bestBase = runBase;
        bestLen = runLen;
      }
      runBase = -1;
      runLen = 0;
    }
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      const [hi, lo] = [words[6]!, words[7]!];
      out += `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
      break;
    }
    out += words[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}

// libwebrtc's SocketAddress::HostAsURIString, which Chromium uses for `address` and
// `relatedAddress`: an IPv4 literal as given, an IPv6 literal normalised and in brackets
// ("[2001:db8::1]", a Chromium quirk; the spec and Firefox give it bare), anything else
// (an mDNS name, a hostname, text that is no address at all) verbatim.
function hostAsUriString(host: string): string {
  if (ipv4Octets(host) !== null) return host;
  const words = ipv6Words(host);
  return words === null ? host : `[${formatIPv6(words)}]`;
}

// ASCII-only lowercasing, for the transport, which libwebrtc compares case-insensitively.
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/**
 * Parses an RFC 5245/8445 candidate-attribute (`candidate:<foundation> <component> <transport>
 * <priority> <address> <port> typ <type> [raddr <a>] [rport <p>] [tcptype <t>] *(<name> <value>)`)
 * as libwebrtc does for Chromium; null when it does not parse. The `candidate:` prefix is
 * required (an `a=candidate:` SDP line is accepted too); fields are separated by single spaces.
 */
export function parseCandidateAttribute(candidate: string): ParsedCandidate | null {
  // One line only; a single trailing "\n", then a single trailing "\r", may be dropped.
  let line = candidate;
  const newline = line.indexOf('\n');
  if (newline !== -1) {
    if (newline !== line.length - 1) return null;
    line = line.slice(0, newline);
  }
  if (line.endsWith('\r')) line = line.slice(0, -1);
  if (line.startsWith('a=')) line = line.slice(2);
  const colon = line.indexOf(':');
  if (colon === -1 || line.slice(0, colon) !== 'candidate') return null;
  let valueStart = colon + 1;
  while (line[valueStart] === ':') valueStart++;

  // Split on every space, keeping empty fields: "a  b" is three fields, so a doubled space
  // shifts everything after it (and usually makes "typ" miss its place).
  const fields = line.slice(valueStart).split(' ');
  if (fields.length < 8 || fields[6] !== 'typ') return null;
  const [foundation, componentField, transport, priorityField, host, portField] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];

  const componentId = parseSigned(componentField, INT32_MIN, INT32_MAX);
  const priority = parseUnsigned(priorityField, UINT32_MAX);
  const port = parseSigned(portField, INT32_MIN, INT32_MAX);
  if (componentId === null || priority === null || !isPort(port)) return null;

  let protocol: RTCIceProtocol | null;
  let tcpBased: boolean;
  switch (asciiLower(transport)) {
    case 'udp':
      protocol = 'udp';
      tcpBased = false;
      break;
    case 'tcp':
      protocol = 'tcp';
      tcpBased = true;
      break;
    case 'ssltcp':
      // libwebrtc accepts it; it is no RTCIceProtocol value, so Chromium reports null.
      protocol = null;
      tcpBased = true;
      break;
    default:
      return null;
  }

  const type = fields[7];
  if (type !== 'host' && type !== 'srflx' && type !== 'prflx' && type !== 'relay') {
    return null;
  }

  // raddr, rport and tcptype are recognised only in this order, right after the type; after
  // that every pair is an extension.
  let at = 8;
  let relatedHost = '';
  let relatedPortValue = 0;
  if (fields.length >= at + 2 && fields[at] === 'raddr') {
    relatedHost = fields[at + 1]!;
    at += 2;
  }
  if (fields.length >= at + 2 && fields[at] === 'rport') {
    const rport = parseSigned(fields[at + 1]!, INT32_MIN, INT32_MAX);
    if (!isPort(rport)) return null;
    relatedPortValue = rport;
    at += 2;
  }
  let tcpType: RTCIceTcpCandidateType | null = null;
  if (fields.length >= at + 2 && fields[at] === 'tcptype') {
    const value = fields[at + 1];
    at += 2;
    if (value !== 'active' && value !== 'passive' && value !== 'so') return null;
    if (!tcpBased) return null;
    tcpType = value;
  } else if (tcpBased) {
    // libwebrtc treats a TCP candidate without tcptype as passive, for old endpoints.
    tcpType = 'passive';
  }

  // Extensions: the known numeric ones must parse; ufrag, pwd and unknown ones are skipped
  // (Chromium does not take usernameFragment from "ufrag"). A trailing odd field is ignored.
  for (let i = at; i + 1 < fields.length; i += 2) {
    const name = fields[i];
    const value = fields[i + 1]!;
    if (name === 'generation' && parseUnsigned(value, UINT32_MAX) === null) {
      return null;
    }
    if ((name === 'network-id' || name === 'network-cost') && parseUnsigned(value, UINT16_MAX) === null) {
      return null;
    }
  }

  // An address is "nil" (null attributes) only when both its host and port are empty.
  const hasAddress = host !== '' || port !== 0;
  const hasRelated = relatedHost !== '' || relatedPortValue !== 0;
  return {
    foundation,
    component: componentId === 1 ? 'rtp' : componentId === 2 ? 'rtcp' : null,
    priority,
    address: hasAddress ? hostAsUriString(host) : null,
    protocol,
    port: hasAddress ? port : null,
    type,
    tcpType,
    relatedAddress: hasRelated ? hostAsUriString(relatedHost) : null,
    relatedPort: hasRelated ? relatedPortValue : null,
  };
}

// Chromium derives a local relay candidate's relayProtocol from the type preference (the top
// byte of its priority), as libwebrtc assigns it per TURN transport.
function relayProtocolFromPriority(priority: number): RTCIceServerTransportProtocol | null {
  switch (priority >>> 24) {
    case 0:
      return 'tls';
    case 1:
      return 'tcp';
    case 2:
      return 'udp';
    default:
      return null;
  }
}

// Set from RTCIceCandidate's static block: the only code that can reach its private fields.
let hasCandidateBrand: (value: object) => boolean;
let setGatheredFrom: (candidate: RTCIceCandidate, url: string) => void;

export class RTCIceCandidate {
  readonly #candidate: string;
  readonly #sdpMid: string | null;
  readonly #sdpMLineIndex: number | null;
  readonly #usernameFragment: string | null;
  readonly #parsed: ParsedCandidate | null;
  #url: string | null = null;
  #relayProtocol: RTCIceServerTransportProtocol | null = null;

  static {
    hasCandidateBrand = (value) => #candidate in value;
    setGatheredFrom = (candidate, url) => {
      candidate.#url = url;
      const parsed = candidate.#parsed;
      if (parsed !== null && parsed.type === 'relay') {
        candidate.#relayProtocol = relayProtocolFromPriority(parsed.priority);
      }
    };
  }

  constructor(candidateInitDict: RTCIceCandidateInit = {}) {
    const context = constructContext('RTCIceCandidate');
    const dict = toDictionary(candidateInitDict, 'RTCIceCandidateInit', context);
    // Members in lexicographic order: candidate, sdpMLineIndex, sdpMid, usernameFragment.
    // Each member is read once (a getter may count or change).
    const rawCandidate = dict.candidate;
    const candidate = rawCandidate === undefined ? '' : toDOMString(rawCandidate);
    const nullable = <T>(value: unknown, convert: (v: unknown) => T): T | null =>
      value === undefined || value === null ? null : convert(value);
    const sdpMLineIndex = nullable(dict.sdpMLineIndex, toUnsignedShort);
    const sdpMid = nullable(dict.sdpMid, toDOMString);
    const usernameFragment = nullable(dict.usernameFragment, toDOMString);
    if (sdpMid === null && sdpMLineIndex === null) {
      throw new TypeError(`${context}: sdpMid and sdpMLineIndex are both null.`);
    }
    this.#candidate = candidate;
    this.#sdpMid = sdpMid;
    this.#sdpMLineIndex = sdpMLineIndex;
    this.#usernameFragment = usernameFragment;
    // The spec ignores parse failures: the derived attributes are then all null. An empty
    // string (end-of-candidates) is not parsed at all.
    this.#parsed = candidate === '' ? null : parseCandidateAttribute(candidate);
  }

  get candidate(): string {
    return this.#candidate;
  }

  get sdpMid(): string | null {
    return this.#sdpMid;
  }

  get sdpMLineIndex(): number | null {
    return this.#sdpMLineIndex;
  }

  get foundation(): string | null {
    return this.#parsed?.foundation ?? null;
  }

  get component(): RTCIceComponent | null {
    return this.#parsed?.component ?? null;
  }

  get priority(): number | null {
    return this.#parsed?.priority ?? null;
  }

  get address(): string | null {
    return this.#parsed?.address ?? null;
  }

  get protocol(): RTCIceProtocol | null {
    return this.#parsed?.protocol ?? null;
  }

  get port(): number | null {
    return this.#parsed?.port ?? null;
  }

  get type(): RTCIceCandidateType | null {
    return this.#parsed?.type ?? null;
  }

  get tcpType(): RTCIceTcpCandidateType | null {
    return this.#parsed?.tcpType ?? null;
  }

  get relatedAddress(): string | null {
    return this.#parsed?.relatedAddress ?? null;
  }

  get relatedPort(): number | null {
    return this.#parsed?.relatedPort ?? null;
  }

  get usernameFragment(): string | null {
    return this.#usernameFragment;
  }

  get relayProtocol(): RTCIceServerTransportProtocol | null {
    return this.#relayProtocol;
  }

  get url(): string | null {
    return this.#url;
  }

  /**
   * The spec's four members, nulls included, so `new RTCIceCandidate(c.toJSON())` round-trips.
   * (Chromium 156 differs: it omits a null sdpMLineIndex and turns a null sdpMid or
   * usernameFragment into "".)
   */
  toJSON(): RTCIceCandidateInit {
    return {
      candidate: this.#candidate,
      sdpMid: this.#sdpMid,
      sdpMLineIndex: this.#sdpMLineIndex,
      usernameFragment: this.#usernameFragment,
    };
  }

  [inspectCustom](_depth: number, options: unknown, inspect: InspectFunction): string {
    return `RTCIceCandidate ${inspect(this.toJSON(), options)}`;
  }
}
exposeInterface(RTCIceCandidate, 'RTCIceCandidate');

/** Whether `value` is an RTCIceCandidate made by this module (a brand check). */
export function isRTCIceCandidate(value: unknown): value is RTCIceCandidate {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && hasCandidateBrand(value);
}

/**
 * For lib/ only (not part of the W3C surface): a candidate libwebrtc gathered locally, with the
 * STUN/TURN server `url` it came from. As in Chromium, such a candidate has a non-null `url`,
 * and a relay one a `relayProtocol` derived from its priority.
 */
export function createGatheredIceCandidate(init: RTCIceCandidateInit, url: string | null): RTCIceCandidate {
  const candidate = new RTCIceCandidate(init);
  if (url !== null) setGatheredFrom(candidate, url);
  return candidate;
}
