// RTCCertificate and RTCPeerConnection.generateCertificate (W3C webrtc-pc §4.9).
import { binding, type Binding } from './binding.js';
import { domException } from './errors.js';
import { isObject } from './webidl-values.js';

export interface RTCDtlsFingerprint {
  algorithm?: string;
  value?: string;
}

const token = Symbol('internal');
const natives = new WeakMap<RTCCertificate, Binding.Certificate>();

/** Chromium's default and cap: certificates live 30 days unless asked for less. */
const DEFAULT_EXPIRES_MS = 30 * 24 * 3600 * 1000;

export class RTCCertificate {
  readonly #expires: number;
  constructor(key: symbol, native: Binding.Certificate) {
    if (key !== token) throw new TypeError('Illegal constructor');
    natives.set(this, native);
    this.#expires = native.expires();
  }
  get expires(): number {
    return this.#expires;
  }
  getFingerprints(): RTCDtlsFingerprint[] {
    return natives.get(this)!.fingerprints();
  }
}

export function certificateNative(certificate: RTCCertificate): Binding.Certificate {
  return natives.get(certificate)!;
}

/** AlgorithmIdentifier → key parameters, as WebCrypto reads them; NotSupportedError else. */
function keyParams(algorithm: unknown): Binding.KeyParamsRecord {
  const a: Record<string, unknown> =
    typeof algorithm === 'string' ? { name: algorithm } : isObject(algorithm) ? algorithm : {};
  if (a.name === undefined) throw new TypeError("Failed to read the 'name' property from 'Algorithm'.");
  const name = String(a.name).toUpperCase();
  if (name === 'ECDSA') {
    if (String(a.namedCurve) !== 'P-256')
      throw domException('NotSupportedError', 'Only the P-256 curve is supported for ECDSA.');
    return { type: 'ecdsa' };
  }
  if (name === 'RSASSA-PKCS1-V1_5') {
    const hash = isObject(a.hash) ? String(a.hash.name) : String(a.hash);
    if (hash.toUpperCase() !== 'SHA-256')
      throw domException('NotSupportedError', 'RSASSA-PKCS1-v1_5 needs hash SHA-256.');
    const modulusLength = Number(a.modulusLength);
    if (!Number.isInteger(modulusLength) || modulusLength < 1024 || modulusLength > 8192) {
      throw domException('NotSupportedError', 'modulusLength must be 1024 to 8192.');
    }
    const exponent = a.publicExponent;
    if (!(exponent instanceof Uint8Array)) throw new TypeError('publicExponent must be a Uint8Array.');
    let value = 0;
    for (const byte of exponent) value = value * 256 + byte;
    if (value !== 65537 && value !== 3) throw domException('NotSupportedError', 'publicExponent must be 65537.');
    return { type: 'rsa', modulusLength, publicExponent: value };
  }
  throw domException('NotSupportedError', `Algorithm '${String(a.name)}' is not supported.`);
}

export async function generateCertificate(keygenAlgorithm: unknown): Promise<RTCCertificate> {
  const params = keyParams(keygenAlgorithm);
  let expiresIn = DEFAULT_EXPIRES_MS;
  if (isObject(keygenAlgorithm) && keygenAlgorithm.expires !== undefined) {
    // WebIDL `unsigned long long expires`, as Chromium converts it: a TypeError (a rejection)
    // for what is not a finite non-negative number.
    const asked = typeof keygenAlgorithm.expires === 'number' ? keygenAlgorithm.expires : NaN;
    if (!Number.isFinite(asked) || asked < 0) {
      throw new TypeError(
        `Failed to execute 'generateCertificate': expires must be a non-negative number, not ${String(keygenAlgorithm.expires)}.`,
      );
    }
    expiresIn = Math.min(asked, DEFAULT_EXPIRES_MS);
  }
  try {
    const native = await binding.generateCertificate(params, expiresIn);
    return new RTCCertificate(token, native);
  } catch (error) {
    const e = error as { name?: string; message?: string };
    throw domException(e.name ?? 'OperationError', e.message ?? 'Certificate generation failed.');
  }
}
