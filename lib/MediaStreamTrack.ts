// MediaStreamTrack (W3C mediacapture-streams §4.3) over native/media/media_stream_track.cc.
//
// A track comes from a source of ours (nonstandard RTCVideoSource / RTCAudioSource, and the
// capture devices) or from an RTCRtpReceiver (remote). lib/ owns its W3C state: muted (a remote
// track starts muted and unmutes when its first packet arrives), readyState, constraints and
// the mute/unmute/ended events; the native half holds libwebrtc's track.
import { randomUUID } from 'node:crypto';
import { noteCall, type Binding } from './binding.js';
import { domException } from './errors.js';
import { defineEventHandlers } from './event-target.js';
import { dictionary, exposeInterface } from './webidl-values.js';

export type MediaStreamTrackState = 'live' | 'ended';

export interface MediaTrackSettings {
  width?: number;
  height?: number;
  frameRate?: number;
  aspectRatio?: number;
  facingMode?: string;
  resizeMode?: string;
  sampleRate?: number;
  sampleSize?: number;
  channelCount?: number;
  echoCancellation?: boolean;
  autoGainControl?: boolean;
  noiseSuppression?: boolean;
  latency?: number;
  deviceId?: string;
  groupId?: string;
  displaySurface?: string;
  cursor?: string;
}

/** lib.dom's constrainable types (mediacapture-streams §4.3.8), so browser code type-checks. */
export interface ULongRange {
  max?: number;
  min?: number;
}
export interface DoubleRange {
  max?: number;
  min?: number;
}
export interface ConstrainULongRange extends ULongRange {
  exact?: number;
  ideal?: number;
}
export interface ConstrainDoubleRange extends DoubleRange {
  exact?: number;
  ideal?: number;
}
export type ConstrainULong = number | ConstrainULongRange;
export type ConstrainDouble = number | ConstrainDoubleRange;
export type ConstrainBoolean = boolean | { exact?: boolean; ideal?: boolean };
export type ConstrainDOMString = string | string[] | { exact?: string | string[]; ideal?: string | string[] };
/** echoCancellation: a boolean, or (newer drafts) 'all' / 'remote-only'. */
export type ConstrainBooleanOrDOMString = boolean | string | { exact?: boolean | string; ideal?: boolean | string };

export interface MediaTrackConstraintSet {
  width?: ConstrainULong;
  height?: ConstrainULong;
  aspectRatio?: ConstrainDouble;
  frameRate?: ConstrainDouble;
  facingMode?: ConstrainDOMString;
  resizeMode?: ConstrainDOMString;
  sampleRate?: ConstrainULong;
  sampleSize?: ConstrainULong;
  echoCancellation?: ConstrainBooleanOrDOMString;
  autoGainControl?: ConstrainBoolean;
  noiseSuppression?: ConstrainBoolean;
  latency?: ConstrainDouble;
  channelCount?: ConstrainULong;
  deviceId?: ConstrainDOMString;
  groupId?: ConstrainDOMString;
  displaySurface?: ConstrainDOMString;
  /** Screen capture (screen-capture §5.4): 'always' or 'never' shows the pointer. */
  cursor?: ConstrainDOMString;
}

export interface MediaTrackConstraints extends MediaTrackConstraintSet {
  advanced?: MediaTrackConstraintSet[];
}

export interface MediaTrackCapabilities {
  width?: ULongRange;
  height?: ULongRange;
  aspectRatio?: DoubleRange;
  frameRate?: DoubleRange;
  facingMode?: string[];
  resizeMode?: string[];
  sampleRate?: ULongRange;
  sampleSize?: ULongRange;
  echoCancellation?: boolean[];
  autoGainControl?: boolean[];
  noiseSuppression?: boolean[];
  latency?: DoubleRange;
  channelCount?: ULongRange;
  deviceId?: string;
  groupId?: string;
  displaySurface?: string;
  cursor?: string[];
}

/**
 * What a device-backed track (capture devices) plugs in: its settings, capabilities and how
 * constraints apply to it. Tracks without a device answer from the frames they carry.
 */
export interface TrackDevice {
  settings(track: MediaStreamTrack): MediaTrackSettings;
  capabilities(): MediaTrackCapabilities;
  applyConstraints(constraints: MediaTrackConstraints, track: MediaStreamTrack): Promise<void>;
  /** A track of the device stopped or ended (its capture may then be released). */
  stopped?(track: MediaStreamTrack): void;
  /** A track of the device was cloned: the clone shares the capture. */
  cloned?(clone: MediaStreamTrack, original: MediaStreamTrack): void;
}

const token = Symbol('internal');
type Handler = ((this: any, ev: Event) => any) | null;

interface TrackInit {
  native: Binding.MediaStreamTrack;
  /** Remote tracks start muted (spec: a receiver's track) and carry no label of their own. */
  remote: boolean;
  label?: string;
  device?: TrackDevice;
  constraints?: MediaTrackConstraints;
}

export class MediaStreamTrack extends EventTarget {
  readonly #native: Binding.MediaStreamTrack;
  readonly #kind: 'audio' | 'video';
  readonly #id: string;
  readonly #label: string;
  readonly #remote: boolean;
  readonly #device: TrackDevice | undefined;
  #muted: boolean;
  #readyState: MediaStreamTrackState = 'live';
  #enabled: boolean;
  #constraints: MediaTrackConstraints;
  #contentHint = '';

  declare onmute: Handler;
  declare onunmute: Handler;
  declare onended: Handler;

  constructor(key: symbol, init: TrackInit) {
    super();
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#native = init.native;
    this.#kind = init.native.kind();
    this.#id = init.native.id();
    this.#label = init.label ?? '';
    this.#remote = init.remote;
    this.#device = init.device;
    this.#muted = init.remote;
    this.#enabled = init.native.enabled();
    this.#constraints = init.constraints ?? {};
  }

  get kind(): 'audio' | 'video' {
    return this.#kind;
  }
  get id(): string {
    return this.#id;
  }
  get label(): string {
    return this.#label;
  }
  get enabled(): boolean {
    return this.#enabled;
  }
  set enabled(value: boolean) {
    const enabled = Boolean(value);
    this.#enabled = enabled;
    // An ended track keeps the attribute but has nothing left to enable.
    if (this.#readyState === 'live') this.#native.setEnabled(enabled);
  }
  get muted(): boolean {
    return this.#muted;
  }
  get readyState(): MediaStreamTrackState {
    return this.#readyState;
  }
  get contentHint(): string {
    return this.#contentHint;
  }
  set contentHint(value: string) {
    const hint = String(value);
    const allowed =
      this.#kind === 'video' ? ['', 'motion', 'detail', 'text'] : ['', 'speech', 'speech-recognition', 'music'];
    if (allowed.includes(hint)) this.#contentHint = hint;
  }

  /** Ends the track and releases its source (no 'ended' event: the application asked). */
  stop(): void {
    if (this.#readyState === 'ended') return;
    this.#readyState = 'ended';
    noteCall('MediaStreamTrack.stop()');
    this.#native.stop();
    this.#device?.stopped?.(this);
  }

  clone(): MediaStreamTrack {
    if (this.#readyState === 'ended') {
      // A clone of an ended track is ended too (spec), with nothing behind it.
      const clone = new MediaStreamTrack(token, {
        native: this.#native,
        remote: this.#remote,
        label: this.#label,
        constraints: { ...this.#constraints },
      });
      clone.#readyState = 'ended';
      return clone;
    }
    let native: Binding.MediaStreamTrack;
    try {
      native = this.#native.clone(randomUUID());
    } catch (error) {
      // libwebrtc makes no track once the source is gone (an RTCVideoSource / RTCAudioSource
      // that was garbage-collected while its tracks lived on): a DOMException, not native's Error.
      throw domException('InvalidStateError', `The track cannot be cloned: ${(error as Error).message}.`);
    }
    const clone = new MediaStreamTrack(token, {
      native,
      remote: false,
      label: this.#label,
      ...(this.#device ? { device: this.#device } : {}),
      constraints: { ...this.#constraints },
    });
    clone.#muted = this.#muted;
    clone.#contentHint = this.#contentHint;
    clone.enabled = this.#enabled;
    this.#device?.cloned?.(clone, this);
    return clone;
  }

  getSettings(): MediaTrackSettings {
    if (this.#device) return this.#device.settings(this);
    const settings: MediaTrackSettings = { ...this.#native.settings() };
    if (settings.width && settings.height) settings.aspectRatio = settings.width / settings.height;
    return settings;
  }

  getCapabilities(): MediaTrackCapabilities {
    return this.#device ? this.#device.capabilities() : {};
  }

  getConstraints(): MediaTrackConstraints {
    return structuredClone(this.#constraints);
  }

  async applyConstraints(constraints?: MediaTrackConstraints): Promise<void> {
    // Read once, into plain data (what getConstraints() returns later): a member that is no
    // constraint value (a function, a symbol) fails the WebIDL conversion, a TypeError, rather
    // than structuredClone's DataCloneError.
    let dict: MediaTrackConstraints;
    try {
      dict = structuredClone(dictionary(constraints, 'MediaTrackConstraints')) as MediaTrackConstraints;
    } catch (error) {
      if (error instanceof DOMException && error.name === 'DataCloneError') {
        throw new TypeError(
          `Failed to execute 'applyConstraints' on 'MediaStreamTrack': The provided value is not of type 'MediaTrackConstraints' (${error.message}).`,
        );
      }
      throw error;
    }
    if (this.#readyState === 'ended') return; // spec: resolves, nothing to apply
    if (this.#device) {
      await this.#device.applyConstraints(dict, this);
    } else if (this.#kind === 'video' && !this.#remote) {
      // A source's track (RTCVideoSource): frameRate caps what passes, as Chromium's track
      // adapter does for a canvas track; the source's frames are dropped evenly by timestamp.
      this.#native.setMaxFrameRate(maxFrameRate(dict.frameRate) ?? 0);
    }
    this.#constraints = dict;
  }

  // --- internals --------------------------------------------------------------------------

  static native(track: MediaStreamTrack): Binding.MediaStreamTrack {
    return track.#native;
  }
  static isRemote(track: MediaStreamTrack): boolean {
    return track.#remote;
  }
  /** A remote track's media started or stopped arriving: mute/unmute, once per change. */
  static setMuted(track: MediaStreamTrack, muted: boolean): void {
    if (track.#muted === muted || track.#readyState === 'ended') return;
    track.#muted = muted;
    track.dispatchEvent(new Event(muted ? 'mute' : 'unmute'));
  }
  /** The track ended for a reason other than stop(): `fire` says whether 'ended' fires. */
  static end(track: MediaStreamTrack, fire: boolean): void {
    if (track.#readyState === 'ended') return;
    track.#readyState = 'ended';
    track.#native.stop();
    track.#device?.stopped?.(track);
    if (fire) track.dispatchEvent(new Event('ended'));
  }
}
defineEventHandlers(MediaStreamTrack, ['mute', 'unmute', 'ended']);
exposeInterface(MediaStreamTrack, 'MediaStreamTrack');

/** The frame rate a frameRate constraint caps a track at: exact, max, ideal or a bare value. */
export function maxFrameRate(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { exact?: unknown; max?: unknown; ideal?: unknown };
  for (const x of [v.exact, v.max, v.ideal]) if (typeof x === 'number') return x;
  return undefined;
}

export function createTrack(init: TrackInit): MediaStreamTrack {
  return new MediaStreamTrack(token, init);
}

/** The track's own checks: a MediaStreamTrack of ours, as WebIDL would demand. */
export function isMediaStreamTrack(value: unknown): value is MediaStreamTrack {
  return value instanceof MediaStreamTrack;
}

export function requireTrack(value: unknown, context: string): MediaStreamTrack {
  if (!isMediaStreamTrack(value)) throw new TypeError(`${context}: parameter is not of type 'MediaStreamTrack'.`);
  return value;
}

export function endedTrackError(): Error {
  return domException('InvalidStateError', 'The track has ended.');
}
