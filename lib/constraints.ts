// Constraints (W3C mediacapture-streams §4.3.8, §11): the SelectSettings algorithm and its
// fitness distance, over the candidate settings a device can take. Bare values and `ideal` are
// preferences, `exact`/`min`/`max` are requirements; the candidate with the smallest fitness
// distance wins (the first on a tie), and `advanced` sets narrow the choice in order, each
// skipped if no candidate satisfies it. No candidate meeting the requirements is an
// OverconstrainedError naming the constraint.
import type { MediaTrackConstraints } from './MediaStreamTrack.js';

/** A candidate's value for one property: one value, a range it can take, or a set of values. */
export type CandidateValue =
  | number
  | string
  | boolean
  | { min: number; max: number }
  | readonly (string | boolean | number)[];
/** A settings dictionary a source can take; other members (the caller's own) are ignored. */
export type Candidate = Record<string, unknown>;

type ConstraintValue = unknown;
type ConstraintSet = Record<string, ConstraintValue>;

/** The constraints mediacapture-streams defines (getSupportedConstraints()). */
export const SUPPORTED_CONSTRAINTS = [
  'width',
  'height',
  'aspectRatio',
  'frameRate',
  'facingMode',
  'resizeMode',
  'sampleRate',
  'sampleSize',
  'echoCancellation',
  'autoGainControl',
  'noiseSuppression',
  'latency',
  'channelCount',
  'deviceId',
  'groupId',
  'displaySurface',
] as const;

export class OverconstrainedError extends DOMException {
  readonly #constraint: string;
  constructor(constraint: string, message = '') {
    super(message || `No source satisfies the '${constraint}' constraint.`, 'OverconstrainedError');
    this.#constraint = String(constraint);
  }
  get constraint(): string {
    return this.#constraint;
  }
}

function isRange(value: CandidateValue): value is { min: number; max: number } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The required part of a constraint (exact, min, max) and its preference (ideal or a bare value). */
interface Parsed {
  exact?: unknown;
  min?: number;
  max?: number;
  ideal?: unknown;
}

function parse(value: ConstraintValue, bareIsExact: boolean): Parsed {
  if (value === null || value === undefined) return {};
  if (typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    const parsed: Parsed = {};
    if (v.exact !== undefined) parsed.exact = v.exact;
    if (v.min !== undefined) parsed.min = Number(v.min);
    if (v.max !== undefined) parsed.max = Number(v.max);
    if (v.ideal !== undefined) parsed.ideal = v.ideal;
    return parsed;
  }
  // Inside `advanced`, a bare value is required (spec: "treated as exact").
  return bareIsExact ? { exact: value } : { ideal: value };
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/**
 * The fitness distance of one candidate value for one constraint (spec §11, "fitness
 * distance"): Infinity when a requirement fails, else 0..1 for how far it is from the ideal.
 */
function distance(candidate: CandidateValue | undefined, parsed: Parsed): number {
  const required = parsed.exact !== undefined || parsed.min !== undefined || parsed.max !== undefined;
  if (candidate === undefined) return required ? Infinity : 0;
  // Requirements.
  if (isRange(candidate)) {
    let low = candidate.min;
    let high = candidate.max;
    if (parsed.exact !== undefined) {
      const exact = Number(parsed.exact);
      if (!(exact >= low && exact <= high)) return Infinity;
      low = high = exact;
    }
    if (parsed.min !== undefined) low = Math.max(low, parsed.min);
    if (parsed.max !== undefined) high = Math.min(high, parsed.max);
    if (low > high) return Infinity;
    if (parsed.ideal === undefined) return 0;
    const ideal = Number(parsed.ideal);
    if (ideal >= low && ideal <= high) return 0;
    const nearest = ideal < low ? low : high;
    return Math.abs(nearest - ideal) / Math.max(Math.abs(nearest), Math.abs(ideal));
  }
  const values = Array.isArray(candidate) ? candidate : [candidate];
  const allowed = values.filter((value) => {
    if (parsed.exact !== undefined && !asList(parsed.exact).includes(value)) return false;
    if (typeof value === 'number') {
      if (parsed.min !== undefined && value < parsed.min) return false;
      if (parsed.max !== undefined && value > parsed.max) return false;
    }
    return true;
  });
  if (allowed.length === 0) return Infinity;
  if (parsed.ideal === undefined) return 0;
  const ideals = asList(parsed.ideal);
  let best = Infinity;
  for (const value of allowed) {
    if (typeof value === 'number' && ideals.length === 1 && typeof ideals[0] === 'number') {
      const ideal = ideals[0];
      best = Math.min(best, value === ideal ? 0 : Math.abs(value - ideal) / Math.max(Math.abs(value), Math.abs(ideal)));
    } else {
      best = Math.min(best, ideals.includes(value) ? 0 : 1);
    }
  }
  return best;
}

function setDistance(
  candidate: Candidate,
  set: ConstraintSet,
  bareIsExact: boolean,
): { total: number; failed: string | null } {
  let total = 0;
  for (const [name, value] of Object.entries(set)) {
    if (name === 'advanced' || !(SUPPORTED_CONSTRAINTS as readonly string[]).includes(name)) continue; // unknown: ignored
    const d = distance(candidate[name] as CandidateValue | undefined, parse(value, bareIsExact));
    if (d === Infinity) return { total: Infinity, failed: name };
    total += d;
  }
  return { total, failed: null };
}

/**
 * SelectSettings: the candidate the constraints choose, or an OverconstrainedError naming the
 * first constraint no candidate meets. `defaults` are the ideals of properties left
 * unconstrained, which break ties (else the first candidate wins).
 */
export function selectSettings<C extends Candidate>(
  constraintsDictionary: object,
  candidates: readonly C[],
  defaults: Record<string, number | string> = {},
): C {
  const constraints = constraintsDictionary as ConstraintSet;
  let failed: string | null = null;
  const scored: { candidate: C; total: number; tie: number }[] = [];
  for (const candidate of candidates) {
    const result = setDistance(candidate, constraints, false);
    if (result.total === Infinity) {
      failed ??= result.failed;
      continue;
    }
    // Among candidates the constraints find equally fit, the source's natural settings decide
    // (as Chromium's 640x480 at 30 fps for a camera asked for with `video: true`).
    let tie = 0;
    for (const [name, ideal] of Object.entries(defaults)) {
      if (constraints[name] === undefined) tie += distance(candidate[name] as CandidateValue | undefined, { ideal });
    }
    scored.push({ candidate, total: result.total, tie });
  }
  if (scored.length === 0) throw new OverconstrainedError(failed ?? 'deviceId');
  let remaining = scored;
  const advanced = constraints.advanced;
  if (Array.isArray(advanced)) {
    for (const set of advanced) {
      if (typeof set !== 'object' || set === null) continue;
      const narrowed = remaining.filter(
        ({ candidate }) => setDistance(candidate, set as ConstraintSet, true).total !== Infinity,
      );
      if (narrowed.length > 0) remaining = narrowed;
    }
  }
  const EPSILON = 1e-9;
  let best = remaining[0]!;
  for (const entry of remaining) {
    if (entry.total < best.total - EPSILON || (Math.abs(entry.total - best.total) <= EPSILON && entry.tie < best.tie))
      best = entry;
  }
  return best.candidate;
}

/**
 * The value a chosen candidate settles on for a ranged property: the ideal (or exact) clamped
 * into what the candidate and the requirements allow, else `fallback`.
 */
export function settle(candidate: Candidate, name: string, constraintsDictionary: object, fallback: number): number {
  const constraints = constraintsDictionary as ConstraintSet;
  const value = candidate[name] as CandidateValue | undefined;
  if (typeof value === 'number') return value;
  if (value === undefined || !isRange(value)) return fallback;
  const parsed = parse(constraints[name], false);
  let low = value.min;
  let high = value.max;
  if (parsed.min !== undefined) low = Math.max(low, parsed.min);
  if (parsed.max !== undefined) high = Math.min(high, parsed.max);
  const wanted =
    parsed.exact !== undefined ? Number(parsed.exact) : parsed.ideal !== undefined ? Number(parsed.ideal) : fallback;
  return Math.min(Math.max(wanted, low), high);
}

/** Resolves a boolean property against a candidate's set (ideal or exact; `fallback` otherwise). */
export function settleBoolean(name: string, constraints: object, fallback: boolean): boolean {
  const parsed = parse((constraints as ConstraintSet)[name], false);
  const wanted = parsed.exact ?? parsed.ideal;
  // 'remote-only' (echoCancellation): what plays out is cancelled, which is what AEC does here.
  if (wanted === 'remote-only') return true;
  return typeof wanted === 'boolean' ? wanted : fallback;
}

/** TypeError for a constraints argument getUserMedia cannot take (spec's dictionary checks). */
export function checkConstraintSet(value: unknown, what: string): MediaTrackConstraints {
  if (value === undefined || value === null || value === true) return {};
  if (typeof value !== 'object')
    throw new TypeError(`${what} must be a boolean or a MediaTrackConstraints dictionary.`);
  const set = value as ConstraintSet;
  for (const [name, v] of Object.entries(set)) {
    if (name === 'advanced') {
      if (!Array.isArray(v)) throw new TypeError(`${what}.advanced must be a sequence.`);
      continue;
    }
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const key of Object.keys(v)) {
        if (!['exact', 'ideal', 'min', 'max'].includes(key))
          throw new TypeError(`${what}.${name} has an unknown member '${key}'.`);
      }
      const { min, max } = v as { min?: unknown; max?: unknown };
      if (min !== undefined && max !== undefined && Number(min) > Number(max)) {
        throw new OverconstrainedError(name, `${what}.${name}: min is above max.`);
      }
    }
  }
  return set as MediaTrackConstraints;
}
