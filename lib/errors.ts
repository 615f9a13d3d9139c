// DOMException construction for lib/, and the RTCError interface.
//
// native/ reports failures as plain `{ name, message }` records with the name already mapped to
// a DOMException name (ARCHITECTURE.md, "Errors"); this module turns them into the objects the
// spec promises, carrying the stack of the JS call that failed, not of the native callback that
// settled the promise.

import {
  constructContext,
  memberContext,
  missingMember,
  requireArguments,
  toDictionary,
  toDOMString,
  toEnum,
  toLong,
  toUnsignedLong,
  exposeInterface,
} from './webidl-values.js';

/**
 * https://w3c.github.io/webrtc-pc/#dom-rtcerrordetailtype, plus the webrtc-identity values that
 * Chromium also accepts (confirmed in Chromium 156: `new RTCError({ errorDetail: 'idp-timeout' })`
 * does not throw).
 */
export type RTCErrorDetailType =
  | 'data-channel-failure'
  | 'dtls-failure'
  | 'fingerprint-failure'
  | 'sctp-failure'
  | 'sdp-syntax-error'
  | 'hardware-encoder-not-available'
  | 'hardware-encoder-error'
  | 'idp-bad-script-failure'
  | 'idp-execution-failure'
  | 'idp-load-failure'
  | 'idp-need-login'
  | 'idp-timeout'
  | 'idp-tls-failure'
  | 'idp-token-expired'
  | 'idp-token-invalid';

const errorDetailTypes: readonly RTCErrorDetailType[] = [
  'data-channel-failure',
  'dtls-failure',
  'fingerprint-failure',
  'sctp-failure',
  'sdp-syntax-error',
  'hardware-encoder-not-available',
  'hardware-encoder-error',
  'idp-bad-script-failure',
  'idp-execution-failure',
  'idp-load-failure',
  'idp-need-login',
  'idp-timeout',
  'idp-tls-failure',
  'idp-token-expired',
  'idp-token-invalid',
];

export interface RTCErrorInit {
  errorDetail: RTCErrorDetailType;
  sdpLineNumber?: number;
  sctpCauseCode?: number;
  receivedAlert?: number;
  sentAlert?: number;
  httpRequestStatusCode?: number;
}

/**
 * Puts the frames of `callerStack` (a stack captured at the API call, e.g. `new Error().stack`)
 * under `error`'s own `Name: message` line. Errors built when native/ answers have only
 * node:internal frames; the caller's frames are the ones a user can act on.
 */
function setCallerStack(error: Error, callerStack: string | undefined): void {
  if (callerStack === undefined) return;
  // The frames start at the first "    at …" line; everything before it is the capturing
  // error's own header, which may span several lines if its message did.
  const lines = callerStack.split('\n');
  const first = lines.findIndex((line) => /^\s+at /.test(line));
  const frames = first === -1 ? [] : lines.slice(first);
  // Error.prototype.toString gives V8's header format: "Name: message", or "Name" alone.
  const header = Error.prototype.toString.call(error);
  error.stack = [header, ...frames].join('\n');
}

/**
 * The error for a failed operation: a real `TypeError` or `RangeError` for those two names (the
 * spec throws the ECMAScript errors, not DOMExceptions, there), otherwise a
 * `DOMException(message, name)` (`InvalidStateError`, `OperationError`, `SyntaxError`, …).
 */
export function domException(name: string, message: string, callerStack?: string): Error {
  let error: Error;
  if (name === 'TypeError') error = new TypeError(message);
  else if (name === 'RangeError') error = new RangeError(message);
  else error = new DOMException(message, name);
  setCallerStack(error, callerStack);
  return error;
}

// Set from RTCError's static block: the only code that can test its private brand.
let hasRTCErrorBrand: (value: object) => boolean;

/** https://w3c.github.io/webrtc-pc/#rtcerror-interface */
export class RTCError extends DOMException {
  readonly #errorDetail: RTCErrorDetailType;
  readonly #sdpLineNumber: number | null;
  readonly #sctpCauseCode: number | null;
  readonly #receivedAlert: number | null;
  readonly #sentAlert: number | null;
  readonly #httpRequestStatusCode: number | null;

  static {
    hasRTCErrorBrand = (value) => #errorDetail in value;
  }

  // `message = ''` rather than `message?`: keeps `RTCError.length` at 1, as WebIDL defines it.
  constructor(init: RTCErrorInit, message: string = '') {
    const context = constructContext('RTCError');
    requireArguments(arguments.length, 1, context);
    const dict = toDictionary(init, 'RTCErrorInit', context);
    // Members are read in lexicographic order, as the bindings do; `undefined` means absent.
    const rawDetail = dict.errorDetail;
    if (rawDetail === undefined) {
      throw missingMember(context, 'errorDetail', 'RTCErrorInit');
    }
    const errorDetail = toEnum(
      rawDetail,
      errorDetailTypes,
      'RTCErrorDetailType',
      memberContext(context, 'errorDetail', 'RTCErrorInit'),
    );
    const optional = <T>(key: string, convert: (v: unknown) => T): T | null => {
      const value = dict[key];
      return value === undefined ? null : convert(value);
    };
    const httpRequestStatusCode = optional('httpRequestStatusCode', toUnsignedLong);
    const receivedAlert = optional('receivedAlert', toUnsignedLong);
    const sctpCauseCode = optional('sctpCauseCode', toLong);
    const sdpLineNumber = optional('sdpLineNumber', toLong);
    const sentAlert = optional('sentAlert', toUnsignedLong);
    // The message argument is converted after the dictionary (argument order).
    super(toDOMString(message), 'OperationError');
    this.#errorDetail = errorDetail;
    this.#sdpLineNumber = sdpLineNumber;
    this.#sctpCauseCode = sctpCauseCode;
    this.#receivedAlert = receivedAlert;
    this.#sentAlert = sentAlert;
    this.#httpRequestStatusCode = httpRequestStatusCode;
  }

  get errorDetail(): RTCErrorDetailType {
    return this.#errorDetail;
  }

  get sdpLineNumber(): number | null {
    return this.#sdpLineNumber;
  }

  get httpRequestStatusCode(): number | null {
    return this.#httpRequestStatusCode;
  }

  get sctpCauseCode(): number | null {
    return this.#sctpCauseCode;
  }

  get receivedAlert(): number | null {
    return this.#receivedAlert;
  }

  get sentAlert(): number | null {
    return this.#sentAlert;
  }
}
exposeInterface(RTCError, 'RTCError');

/** Whether `value` is an RTCError made by this module (a brand check, not `instanceof`). */
export function isRTCError(value: unknown): value is RTCError {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && hasRTCErrorBrand(value);
}

/**
 * The error for a record native/ returned (binding.d.ts `ErrorRecord`): an RTCError when
 * libwebrtc gave an error detail, otherwise `domException(rec.name, rec.message)`.
 */
export function fromRecord(
  rec: {
    name: string;
    message: string;
    errorDetail?: string;
    sdpLineNumber?: number;
    sctpCauseCode?: number;
  },
  callerStack?: string,
): Error {
  if (rec.errorDetail !== undefined && (errorDetailTypes as readonly string[]).includes(rec.errorDetail)) {
    const init: RTCErrorInit = {
      errorDetail: rec.errorDetail as RTCErrorDetailType,
    };
    if (rec.sdpLineNumber !== undefined) init.sdpLineNumber = rec.sdpLineNumber;
    if (rec.sctpCauseCode !== undefined) init.sctpCauseCode = rec.sctpCauseCode;
    const error = new RTCError(init, rec.message);
    setCallerStack(error, callerStack);
    return error;
  }
  // A detail we do not know is a native/ bug; the failure itself still deserves its
  // DOMException rather than a TypeError from the RTCError constructor.
  return domException(rec.name, rec.message, callerStack);
}
