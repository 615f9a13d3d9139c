// RECONSTRUCTED by the lib-value-classes helper (2026-11-24 03:1x UTC): the lead's original
// lib/webidl.ts was overwritten by accident (a file-creation race) and could not be recovered.
// These five helpers are rebuilt from how RTCPeerConnection.ts, RTCDataChannel.ts,
// RTCRtpTransceiver.ts and RTCCertificate.ts call them; check them against what you meant, or
// replace this file with your own. lib/webidl-values.ts holds the helper's own conversions.

/** A WebIDL object (anything but a primitive), with its members readable. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function isObject(value: unknown): value is Record<string, any> {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/** A callback function argument (the legacy success/failure callbacks). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function callable(value: unknown): value is (...args: any[]) => any {
  return typeof value === 'function';
}

/** The dictionary type check: undefined/null are an empty dictionary, other primitives a TypeError. */
export function dictionary(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) {
    throw new TypeError(`The provided value is not of type '${name}'.`);
  }
  return value;
}

/** An [EnforceRange] unsigned integer in [0, max]: TypeError when not finite or out of range. */
export function enforceRange(value: unknown, max: number, name: string): number {
  const n = +(value as number); // ToNumber: a TypeError for Symbols and BigInts
  if (!Number.isFinite(n)) {
    throw new TypeError(`Failed to read the '${name}' property: Value is not a finite number.`);
  }
  const integer = Math.trunc(n);
  if (integer < 0 || integer > max) {
    throw new TypeError(
      `Failed to read the '${name}' property: Value is outside the 'unsigned' value range (0 to ${max}).`,
    );
  }
  return integer === 0 ? 0 : integer;
}

/** An enumeration value: `fallback` when undefined, a TypeError when not one of `values`. */
export function enumValue<T extends string>(
  value: unknown,
  values: readonly T[],
  fallback: T,
  name: string,
): T {
  if (value === undefined) return fallback;
  const s = `${value as string}`;
  if (!(values as readonly string[]).includes(s)) {
    throw new TypeError(`The provided value '${s}' is not a valid enum value of type ${name}.`);
  }
  return s as T;
}
