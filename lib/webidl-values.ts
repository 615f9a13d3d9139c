// WebIDL conversions (https://webidl.spec.whatwg.org/#es-type-mapping), done once, in lib/.
//
// Browsers run these in generated bindings before any interface code sees an argument; we run
// them at the top of each constructor or method. The helpers throw plain TypeErrors whose
// messages follow Chromium's wording ("Failed to construct 'X': ..."), because that is what
// code written against browsers logs and sometimes matches on.

/** A dictionary argument after the WebIDL type check: its members are read with `get`. */
export type Dictionary = Record<PropertyKey, unknown>;

/** `Failed to construct 'RTCIceCandidate'`: the prefix Chromium puts on every binding error. */
export function constructContext(interfaceName: string): string {
  return `Failed to construct '${interfaceName}'`;
}

/**
 * Throws unless at least `required` arguments were passed, as the bindings do before converting
 * any of them (`new RTCError()` → "1 argument required, but only 0 present.").
 */
export function requireArguments(count: number, required: number, context: string): void {
  if (count < required) {
    const noun = required === 1 ? 'argument' : 'arguments';
    throw new TypeError(`${context}: ${required} ${noun} required, but only ${count} present.`);
  }
}

/**
 * The dictionary type check: undefined and null mean an empty dictionary; any other non-object
 * (a string, a number) is a TypeError. Functions and arrays are objects, so they pass.
 */
export function toDictionary(value: unknown, dictionaryName: string, context: string): Dictionary {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' && typeof value !== 'function') {
    throw new TypeError(`${context}: The provided value is not of type '${dictionaryName}'.`);
  }
  return value as Dictionary;
}

/** The message prefix for a bad dictionary member: "Failed to read the 'x' property from 'Y'". */
export function memberContext(context: string, member: string, dictionaryName: string): string {
  return `${context}: Failed to read the '${member}' property from '${dictionaryName}'`;
}

/** Throws the TypeError for a `required` dictionary member that is undefined. */
export function missingMember(context: string, member: string, dictionaryName: string): TypeError {
  return new TypeError(`${memberContext(context, member, dictionaryName)}: Required member is undefined.`);
}

/**
 * DOMString: ES ToString. A template literal, not String(), because String(symbol) succeeds
 * where WebIDL requires a TypeError.
 */
export function toDOMString(value: unknown): string {
  return `${value as string}`;
}

/** USVString: a DOMString with each lone surrogate replaced by U+FFFD. */
export function toUSVString(value: unknown): string {
  return toDOMString(value).replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

/**
 * ES ToNumber. Unary plus, not Number(), because Number(1n) succeeds where ToNumber throws a
 * TypeError for BigInts (and Symbols).
 */
function toNumber(value: unknown): number {
  return +(value as number);
}

// The integer types without [EnforceRange]/[Clamp]: truncate, NaN and ±Infinity become 0, then
// wrap modulo 2^bits. These are exactly ES ToInt32/ToUint32/ToUint16.

/** WebIDL `long`. */
export function toLong(value: unknown): number {
  return toNumber(value) | 0;
}

/** WebIDL `unsigned long`. */
export function toUnsignedLong(value: unknown): number {
  return toNumber(value) >>> 0;
}

/** WebIDL `unsigned short`. */
export function toUnsignedShort(value: unknown): number {
  return (toNumber(value) >>> 0) & 0xffff;
}

/**
 * An enumeration value: ToString, then a TypeError unless it is one of `values` (exactly; enum
 * values are case-sensitive).
 */
export function toEnum<T extends string>(value: unknown, values: readonly T[], enumName: string, context: string): T {
  const s = toDOMString(value);
  if (!(values as readonly string[]).includes(s)) {
    throw new TypeError(`${context}: The provided value '${s}' is not a valid enum value of type ${enumName}.`);
  }
  return s as T;
}

/**
 * Gives a class the shape WebIDL gives an interface: its prototype's accessors and methods
 * enumerable (so `for…in` and `Object.keys(proto)` list them as in browsers) and a
 * `Symbol.toStringTag` (so `Object.prototype.toString` says `[object RTCIceCandidate]`).
 */
export function exposeInterface(ctor: { prototype: object }, interfaceName: string): void {
  const proto = ctor.prototype;
  for (const key of Reflect.ownKeys(proto)) {
    if (key === 'constructor' || typeof key === 'symbol') continue;
    const desc = Reflect.getOwnPropertyDescriptor(proto, key);
    if (desc !== undefined && desc.enumerable !== true) {
      Reflect.defineProperty(proto, key, { ...desc, enumerable: true });
    }
  }
  Reflect.defineProperty(proto, Symbol.toStringTag, {
    value: interfaceName,
    configurable: true,
    enumerable: false,
    writable: false,
  });
}

/**
 * Node's `util.inspect.custom`, by its registered symbol so this module needs no node:util
 * import. Value classes keep their state in #private fields, which inspect cannot see; they use
 * this to show their attributes instead of `{}`.
 */
export const inspectCustom: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;

/** The `inspect` function Node passes to a custom inspector. */
export type InspectFunction = (value: unknown, options?: unknown) => string;

// --- the shorter forms RTCPeerConnection, RTCDataChannel and friends use -------------------

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

/**
 * The most elements a sequence argument may have: WebIDL sets no bound, but converting an
 * iterable that never ends, or an array of 2^32 - 1 holes, would exhaust the heap (V8 aborts
 * the process) or hang. No use of these APIs comes near it.
 */
export const MAX_SEQUENCE_LENGTH = 1 << 20;

/**
 * WebIDL's "create a sequence from an iterable": each element converted as it is read, so a
 * bad element throws at once; a TypeError for a value that is not iterable, a RangeError past
 * MAX_SEQUENCE_LENGTH elements. `what` names the argument or member in the messages.
 */
export function toSequence<T>(value: unknown, convert: (element: unknown) => T, what: string): T[] {
  if (!isObject(value) || typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    throw new TypeError(`${what}: The provided value cannot be converted to a sequence.`);
  }
  const out: T[] = [];
  for (const element of value as Iterable<unknown>) {
    if (out.length === MAX_SEQUENCE_LENGTH) {
      throw new RangeError(`${what}: The sequence has more than ${MAX_SEQUENCE_LENGTH} elements.`);
    }
    out.push(convert(element));
  }
  return out;
}

/**
 * A toSequence() element conversion for an interface type: the element itself when `is`
 * accepts it, else a TypeError with `message`.
 */
export function elementOf<T>(is: (value: unknown) => value is T, message: string): (element: unknown) => T {
  return (element) => {
    if (!is(element)) throw new TypeError(message);
    return element;
  };
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
export function enumValue<T extends string>(value: unknown, values: readonly T[], fallback: T, name: string): T {
  if (value === undefined) return fallback;
  const s = `${value as string}`;
  if (!(values as readonly string[]).includes(s)) {
    throw new TypeError(`The provided value '${s}' is not a valid enum value of type ${name}.`);
  }
  return s as T;
}
