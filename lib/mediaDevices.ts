// navigator.mediaDevices for Node (W3C mediacapture-streams §9, screen-capture): real devices
// through libwebrtc's device modules — cameras (V4L2), screens and windows (X11, PipeWire) — and
// PulseAudio for microphones and speakers (native/devices/).
//
// getUserMedia() chooses among the devices' own settings with the spec's SelectSettings
// (lib/constraints.ts); getDisplayMedia() has no picker in Node: the extension member `source`
// names a screen or window from nonstandard.getDisplaySources(), and without it the primary
// screen is captured.
import { randomUUID } from 'node:crypto';
import { binding, noteCall, type Binding } from './binding.js';
import {
  OverconstrainedError,
  SUPPORTED_CONSTRAINTS,
  checkConstraintSet,
  selectSettings,
  settle,
  settleBoolean,
  type Candidate,
} from './constraints.js';
import { domException } from './errors.js';
import { defineEventHandlers } from './event-target.js';
import { MediaStream } from './MediaStream.js';
import {
  MediaStreamTrack,
  createTrack,
  type MediaTrackCapabilities,
  type MediaTrackConstraints,
  type MediaTrackSettings,
  type TrackDevice,
} from './MediaStreamTrack.js';
import { exposeInterface, isObject } from './webidl-values.js';

export type MediaDeviceKind = 'audioinput' | 'audiooutput' | 'videoinput';

export interface MediaStreamConstraints {
  audio?: boolean | MediaTrackConstraints;
  video?: boolean | MediaTrackConstraints;
}

export interface DisplayMediaStreamOptions {
  video?: boolean | MediaTrackConstraints;
  audio?: boolean | MediaTrackConstraints;
  /** Extension: the screen or window to capture, an id from nonstandard.getDisplaySources(). */
  source?: string;
}

export interface DisplaySource {
  /** 'screen:<n>' or 'window:<n>': what getDisplayMedia({ source }) takes. */
  id: string;
  kind: 'screen' | 'window';
  title: string;
}

const token = Symbol('internal');

/** https://w3c.github.io/mediacapture-main/#device-info */
export class MediaDeviceInfo {
  readonly #deviceId: string;
  readonly #kind: MediaDeviceKind;
  readonly #label: string;
  readonly #groupId: string;
  constructor(key: symbol, deviceId: string, kind: MediaDeviceKind, label: string, groupId: string) {
    if (key !== token) throw new TypeError('Illegal constructor');
    this.#deviceId = deviceId;
    this.#kind = kind;
    this.#label = label;
    this.#groupId = groupId;
  }
  get deviceId(): string {
    return this.#deviceId;
  }
  get kind(): MediaDeviceKind {
    return this.#kind;
  }
  get label(): string {
    return this.#label;
  }
  get groupId(): string {
    return this.#groupId;
  }
  toJSON(): { deviceId: string; kind: MediaDeviceKind; label: string; groupId: string } {
    return { deviceId: this.#deviceId, kind: this.#kind, label: this.#label, groupId: this.#groupId };
  }
}
exposeInterface(MediaDeviceInfo, 'MediaDeviceInfo');

/** An input device: also what it can do (MediaTrackCapabilities). */
export class InputDeviceInfo extends MediaDeviceInfo {
  readonly #capabilities: MediaTrackCapabilities;
  constructor(
    key: symbol,
    deviceId: string,
    kind: MediaDeviceKind,
    label: string,
    groupId: string,
    capabilities: MediaTrackCapabilities,
  ) {
    super(key, deviceId, kind, label, groupId);
    this.#capabilities = capabilities;
  }
  getCapabilities(): MediaTrackCapabilities {
    return structuredClone(this.#capabilities);
  }
}
exposeInterface(InputDeviceInfo, 'InputDeviceInfo');

// --- devices as the native layer lists them -------------------------------------------------

interface AudioList {
  inputs: Binding.AudioDeviceRecord[];
  outputs: Binding.AudioDeviceRecord[];
  defaultInput: string;
  defaultOutput: string;
}

/** PulseAudio's devices, or the reason there are none. The default device comes first. */
function audioDevices(): { list: AudioList | null; error: string | null } {
  try {
    const list = binding.listAudioDevices();
    const first = (devices: Binding.AudioDeviceRecord[], name: string) => [
      ...devices.filter((d) => d.deviceId === name),
      ...devices.filter((d) => d.deviceId !== name),
    ];
    return {
      list: {
        ...list,
        inputs: first(list.inputs, list.defaultInput),
        outputs: first(list.outputs, list.defaultOutput),
      },
      error: null,
    };
  } catch (error) {
    return { list: null, error: (error as Error).message };
  }
}

function cameraCapabilities(camera: Binding.CameraRecord): MediaTrackCapabilities {
  const widths = camera.modes.map((m) => m.width);
  const heights = camera.modes.map((m) => m.height);
  const rates = camera.modes.map((m) => m.frameRate);
  const ratios = camera.modes.map((m) => m.width / m.height);
  return {
    deviceId: camera.deviceId,
    groupId: camera.groupId,
    width: { min: Math.min(...widths), max: Math.max(...widths) },
    height: { min: Math.min(...heights), max: Math.max(...heights) },
    frameRate: { min: 1, max: Math.max(...rates) },
    aspectRatio: { min: Math.min(...ratios), max: Math.max(...ratios) },
    resizeMode: ['none'],
  };
}

function microphoneCapabilities(device: Binding.AudioDeviceRecord): MediaTrackCapabilities {
  return {
    deviceId: device.deviceId,
    groupId: device.groupId,
    sampleRate: { min: 8000, max: 48000 },
    sampleSize: { min: 16, max: 16 },
    channelCount: { min: 1, max: Math.max(1, Math.min(2, device.channelCount)) },
    echoCancellation: [true, false],
    noiseSuppression: [true, false],
    autoGainControl: [true, false],
  };
}

/** The candidates SelectSettings chooses among: each camera mode. */
export function cameraCandidates(cameras: Binding.CameraRecord[]): (Candidate & { camera: string; mode: number })[] {
  return cameras.flatMap((camera) =>
    camera.modes.map((mode, index) => ({
      camera: camera.deviceId,
      mode: index,
      deviceId: camera.deviceId,
      groupId: camera.groupId,
      width: mode.width,
      height: mode.height,
      aspectRatio: mode.width / mode.height,
      frameRate: { min: 1, max: mode.frameRate },
      resizeMode: 'none',
    })),
  );
}

function microphoneCandidates(
  inputs: Binding.AudioDeviceRecord[],
): (Candidate & { device: Binding.AudioDeviceRecord })[] {
  return inputs.map((device) => ({
    device,
    deviceId: device.deviceId,
    groupId: device.groupId,
    sampleRate: { min: 8000, max: 48000 },
    sampleSize: 16,
    channelCount: { min: 1, max: Math.max(1, Math.min(2, device.channelCount)) },
    echoCancellation: [true, false],
    noiseSuppression: [true, false],
    autoGainControl: [true, false],
    latency: 0.01,
  }));
}

// --- captures shared by their tracks ----------------------------------------------------------

/** A capture and its live tracks; stopped (and forgotten) when the last one ends. */
class Capture<N extends { stop(): void }> {
  readonly tracks = new Set<MediaStreamTrack>();
  constructor(
    readonly native: N,
    readonly forget: () => void,
  ) {}
  add(track: MediaStreamTrack): MediaStreamTrack {
    this.tracks.add(track);
    return track;
  }
  /** A track stopped or ended. */
  stopped(track: MediaStreamTrack): void {
    this.tracks.delete(track);
    if (this.tracks.size > 0) return;
    this.native.stop();
    this.forget();
  }
  /** The device is gone (unplugged, the window closed): every track ends, with 'ended'. */
  ended(): void {
    for (const track of [...this.tracks]) MediaStreamTrack.end(track, true);
  }
}

// Per environment (this module is loaded once per environment).
const cameras = new Map<string, { capture: Capture<Binding.CameraCapture>; mode: Binding.CameraModeRecord }>();
const captures = new Set<Capture<{ stop(): void }>>();

function trackFor<N extends { stop(): void; createTrack(id: string): Binding.MediaStreamTrack }>(
  capture: Capture<N>,
  label: string,
  device: Omit<TrackDevice, 'stopped'>,
  constraints: MediaTrackConstraints,
): MediaStreamTrack {
  const track = createTrack({
    native: capture.native.createTrack(randomUUID()),
    remote: false,
    label,
    constraints,
    device: {
      ...device,
      stopped: (t) => capture.stopped(t),
      cloned: (clone, original) => {
        capture.add(clone);
        device.cloned?.(clone, original);
      },
    },
  });
  return capture.add(track);
}

/** A camera's natural settings, as Chromium's: 640x480 at 30 fps unless asked otherwise. */
const CAMERA_DEFAULTS = { width: 640, height: 480, frameRate: 30 };

const sameMode = (a: Binding.CameraModeRecord, b: Binding.CameraModeRecord) =>
  a.width === b.width && a.height === b.height && a.frameRate === b.frameRate;

/**
 * The camera, its capture mode and the frame rate the constraints choose among `cameras` (the
 * spec's SelectSettings over every mode of every camera), or an OverconstrainedError. A camera
 * already capturing (`open`: its id and mode) keeps its mode when that one satisfies the
 * constraints, so that a second getUserMedia() shares it.
 */
export function chooseCamera(
  constraints: MediaTrackConstraints,
  cameras: Binding.CameraRecord[],
  open?: (deviceId: string) => Binding.CameraModeRecord | undefined,
): { camera: Binding.CameraRecord; mode: Binding.CameraModeRecord; frameRate: number } {
  const set = constraints as Record<string, unknown>;
  let candidates = cameraCandidates(cameras);
  if (open) {
    // An open camera offers only its running mode; a closed one, all of them.
    const running = candidates.filter((c) => {
      const mode = open(c.camera);
      return !mode || sameMode(cameras.find((camera) => camera.deviceId === c.camera)!.modes[c.mode]!, mode);
    });
    try {
      selectSettings(set, running, CAMERA_DEFAULTS);
      candidates = running;
    } catch {
      // Only another mode of an open camera fits: chosen below, refused by the caller.
    }
  }
  const chosen = selectSettings(set, candidates, CAMERA_DEFAULTS);
  const camera = cameras.find((c) => c.deviceId === chosen.camera)!;
  const mode = camera.modes[chosen.mode]!;
  return {
    camera,
    mode,
    frameRate: settle(chosen, 'frameRate', set, Math.min(mode.frameRate, CAMERA_DEFAULTS.frameRate)),
  };
}

function openCamera(constraints: MediaTrackConstraints): MediaStreamTrack {
  const list = binding.listCameras();
  if (list.length === 0) throw domException('NotFoundError', 'Requested device not found: no camera.');
  const { camera, mode, frameRate } = chooseCamera(constraints, list, (id) => cameras.get(id)?.mode);
  let entry = cameras.get(camera.deviceId);
  if (entry && !sameMode(entry.mode, mode)) {
    throw domException('NotReadableError', `The camera '${camera.label}' is in use in another mode.`);
  }
  if (!entry) {
    const native = new binding.CameraCapture(camera.deviceId, mode, () => entry?.capture.ended());
    const capture = new Capture(native, () => cameras.delete(camera.deviceId));
    entry = { capture, mode };
    cameras.set(camera.deviceId, entry);
  }
  const state = entry;
  // Each track's frame rate: the camera runs at its mode's, and a track asking for less gets
  // its frames thinned (as Chromium's track adapter does).
  const rates = new WeakMap<MediaStreamTrack, number>();
  const limit = (track: MediaStreamTrack, rate: number) => {
    rates.set(track, rate);
    MediaStreamTrack.native(track).setMaxFrameRate(rate < state.mode.frameRate ? rate : 0);
  };
  const track = trackFor(
    state.capture,
    camera.label,
    {
      settings: (t) => ({
        deviceId: camera.deviceId,
        groupId: camera.groupId,
        width: state.mode.width,
        height: state.mode.height,
        aspectRatio: state.mode.width / state.mode.height,
        frameRate: Math.min(rates.get(t) ?? frameRate, state.mode.frameRate),
        resizeMode: 'none',
      }),
      capabilities: () => cameraCapabilities(camera),
      // A camera reconfigured in place: the same tracks, another mode of the same device.
      applyConstraints: async (next, t) => {
        const choice = chooseCamera(next, [camera]);
        if (!sameMode(choice.mode, state.mode)) {
          state.capture.native.reconfigure(choice.mode);
          state.mode = choice.mode;
        }
        limit(t, choice.frameRate);
      },
      cloned: (clone, original) => limit(clone, rates.get(original) ?? frameRate),
    },
    constraints,
  );
  limit(track, frameRate);
  return track;
}

function openMicrophone(constraints: MediaTrackConstraints, forDisplay = false): MediaStreamTrack {
  const { list, error } = audioDevices();
  if (!list) throw domException('NotReadableError', `Audio devices are unavailable: ${error}`);
  let inputs = list.inputs;
  if (forDisplay) {
    // The system's sound: what the default speaker plays, through its monitor.
    inputs = list.inputs.filter((d) => d.deviceId === `${list.defaultOutput}.monitor`);
  }
  if (inputs.length === 0) throw domException('NotFoundError', 'Requested device not found: no audio input.');
  const chosen = selectSettings(constraints, microphoneCandidates(inputs));
  const processingDefault = !forDisplay; // browsers process microphones, not system audio
  const processing = {
    echoCancellation: settleBoolean('echoCancellation', constraints, processingDefault),
    noiseSuppression: settleBoolean('noiseSuppression', constraints, processingDefault),
    autoGainControl: settleBoolean('autoGainControl', constraints, processingDefault),
  };
  const sampleRate = settle(chosen, 'sampleRate', constraints, 48000);
  const channelCount = settle(chosen, 'channelCount', constraints, 1);
  const device = chosen.device;
  let capture: Capture<Binding.MicrophoneCapture> | undefined;
  const native = new binding.MicrophoneCapture(device.deviceId, { sampleRate, channelCount, ...processing }, () =>
    capture?.ended(),
  );
  capture = new Capture(native, () => captures.delete(capture!));
  captures.add(capture);
  const mic = capture;
  return trackFor(
    mic,
    device.label,
    {
      settings: () => ({
        deviceId: device.deviceId,
        groupId: device.groupId,
        sampleRate,
        sampleSize: 16,
        channelCount,
        latency: 0.01,
        ...processing,
      }),
      capabilities: () => microphoneCapabilities(device),
      applyConstraints: async (next) => {
        const choice = selectSettings(next, microphoneCandidates([device]));
        if (
          settle(choice, 'sampleRate', next, sampleRate) !== sampleRate ||
          settle(choice, 'channelCount', next, channelCount) !== channelCount
        ) {
          throw new OverconstrainedError(
            settle(choice, 'sampleRate', next, sampleRate) !== sampleRate ? 'sampleRate' : 'channelCount',
            'A running microphone keeps its format.',
          );
        }
        processing.echoCancellation = settleBoolean('echoCancellation', next, processing.echoCancellation);
        processing.noiseSuppression = settleBoolean('noiseSuppression', next, processing.noiseSuppression);
        processing.autoGainControl = settleBoolean('autoGainControl', next, processing.autoGainControl);
        mic.native.setProcessing(processing);
      },
    },
    constraints,
  );
}

/** getDisplayMedia's video constraints: only max and ideal (spec), and `cursor`. */
function displayConstraints(value: unknown): MediaTrackConstraints {
  if (value === undefined || value === true) return {};
  const set = checkConstraintSet(value, 'video');
  if (set.advanced !== undefined) throw new TypeError('getDisplayMedia() takes no advanced constraints.');
  for (const [name, v] of Object.entries(set)) {
    if (
      isObject(v) &&
      !Array.isArray(v) &&
      ((v as Record<string, unknown>).min !== undefined || (v as Record<string, unknown>).exact !== undefined)
    ) {
      throw new TypeError(`getDisplayMedia() takes no min or exact constraints ('${name}').`);
    }
  }
  return set;
}

function preferred(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (isObject(value)) {
    const v = value as { ideal?: unknown; max?: unknown };
    if (typeof v.ideal === 'number') return typeof v.max === 'number' ? Math.min(v.ideal, v.max) : v.ideal;
    if (typeof v.max === 'number') return v.max;
  }
  return undefined;
}

function openDisplay(constraints: MediaTrackConstraints, source: string | undefined): MediaStreamTrack {
  let surface: 'monitor' | 'window' = 'monitor';
  let id: number | null = null;
  if (source !== undefined) {
    const match = /^(screen|window):(\d+)$/.exec(source);
    if (!match)
      throw domException('NotFoundError', `'${source}' is not a source id from nonstandard.getDisplaySources().`);
    surface = match[1] === 'window' ? 'window' : 'monitor';
    id = Number(match[2]);
  }
  const cursorValue = constraints.cursor;
  const cursor = typeof cursorValue === 'string' ? cursorValue !== 'never' : true;
  const frameRate = Math.round(preferred(constraints.frameRate) ?? 30);
  const size = () => {
    const width = preferred(constraints.width);
    const height = preferred(constraints.height);
    return width && height ? { width: Math.round(width), height: Math.round(height) } : {};
  };
  let capture: Capture<Binding.ScreenCapture> | undefined;
  const native = new binding.ScreenCapture({ surface, id, frameRate, cursor, ...size() }, () => capture?.ended());
  capture = new Capture(native, () => captures.delete(capture!));
  captures.add(capture);
  const screen = capture;
  const label = source ?? native.settings().deviceId;
  return trackFor(
    screen,
    label,
    {
      settings: () => {
        const s = screen.native.settings();
        const out: MediaTrackSettings = { ...s };
        if (s.width && s.height) out.aspectRatio = s.width / s.height;
        return out;
      },
      capabilities: () => ({ displaySurface: surface, cursor: ['always', 'never'], frameRate: { min: 1, max: 60 } }),
      applyConstraints: async (next) => {
        const set = displayConstraints(next);
        constraints = set;
        const rate = preferred(set.frameRate);
        screen.native.configure({ frameRate: rate === undefined ? frameRate : Math.round(rate), ...size() });
      },
    },
    constraints,
  );
}

// --- MediaDevices ---------------------------------------------------------------------------

export class MediaDevices extends EventTarget {
  #watcher: Binding.DeviceWatcher | null = null;
  #last = '';
  declare ondevicechange: ((this: any, ev: Event) => any) | null;

  constructor(key: symbol) {
    super();
    if (key !== token) throw new TypeError('Illegal constructor');
  }

  async enumerateDevices(): Promise<MediaDeviceInfo[]> {
    const devices: MediaDeviceInfo[] = [];
    for (const camera of binding.listCameras()) {
      devices.push(
        new InputDeviceInfo(
          token,
          camera.deviceId,
          'videoinput',
          camera.label,
          camera.groupId,
          cameraCapabilities(camera),
        ),
      );
    }
    const { list } = audioDevices();
    if (list) {
      for (const input of list.inputs) {
        devices.push(
          new InputDeviceInfo(
            token,
            input.deviceId,
            'audioinput',
            input.label,
            input.groupId,
            microphoneCapabilities(input),
          ),
        );
      }
      for (const output of list.outputs) {
        devices.push(new MediaDeviceInfo(token, output.deviceId, 'audiooutput', output.label, output.groupId));
      }
    }
    return devices;
  }

  getSupportedConstraints(): Record<string, true> {
    return Object.fromEntries(SUPPORTED_CONSTRAINTS.map((name) => [name, true]));
  }

  async getUserMedia(constraints?: MediaStreamConstraints): Promise<MediaStream> {
    if (constraints !== undefined && !isObject(constraints)) {
      throw new TypeError(
        "Failed to execute 'getUserMedia': The provided value is not of type 'MediaStreamConstraints'.",
      );
    }
    const c = constraints ?? {};
    const audio = c.audio === undefined || c.audio === false ? null : checkConstraintSet(c.audio, 'audio');
    const video = c.video === undefined || c.video === false ? null : checkConstraintSet(c.video, 'video');
    if (!audio && !video) {
      throw new TypeError("Failed to execute 'getUserMedia': At least one of audio and video must be requested.");
    }
    noteCall('mediaDevices.getUserMedia()');
    const tracks: MediaStreamTrack[] = [];
    try {
      if (audio) tracks.push(openMicrophone(audio));
      if (video) tracks.push(openCamera(video));
    } catch (error) {
      for (const track of tracks) track.stop();
      throw asDeviceError(error);
    }
    return new MediaStream(tracks);
  }

  async getDisplayMedia(options?: DisplayMediaStreamOptions): Promise<MediaStream> {
    if (options !== undefined && !isObject(options)) {
      throw new TypeError(
        "Failed to execute 'getDisplayMedia': The provided value is not of type 'DisplayMediaStreamOptions'.",
      );
    }
    const o = options ?? {};
    if (o.video === false) throw new TypeError("Failed to execute 'getDisplayMedia': video must be requested.");
    const video = displayConstraints(o.video);
    const audio = o.audio === undefined || o.audio === false ? null : checkConstraintSet(o.audio, 'audio');
    const source = o.source === undefined ? undefined : String(o.source);
    noteCall('mediaDevices.getDisplayMedia()');
    const tracks: MediaStreamTrack[] = [];
    try {
      tracks.push(openDisplay(video, source));
      if (audio) tracks.push(openMicrophone(audio, true));
    } catch (error) {
      for (const track of tracks) track.stop();
      throw asDeviceError(error);
    }
    return new MediaStream(tracks);
  }

  /** Starts watching the devices when the first devicechange listener comes. */
  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void {
    super.addEventListener(...args);
    const [type, listener] = args;
    if (type === 'devicechange' && listener) MediaDevices.watch(this);
  }

  static watch(devices: MediaDevices): void {
    if (!devices.#watcher) devices.#watch();
  }

  #watch(): void {
    void this.enumerateDevices().then((devices) => (this.#last = JSON.stringify(devices)));
    let pending = false;
    this.#watcher = new binding.DeviceWatcher(() => {
      if (pending) return;
      pending = true;
      // Changes come in bursts (a card's source and sink, a device node and its siblings).
      setTimeout(() => {
        pending = false;
        void this.enumerateDevices().then((devices) => {
          const now = JSON.stringify(devices);
          if (now === this.#last) return;
          this.#last = now;
          this.#endVanishedCameras(devices);
          this.dispatchEvent(new Event('devicechange'));
        });
      }, 100).unref();
    });
  }

  /** A camera unplugged mid-capture ends its tracks ('ended'). */
  #endVanishedCameras(devices: MediaDeviceInfo[]): void {
    for (const [deviceId, entry] of cameras) {
      if (!devices.some((d) => d.kind === 'videoinput' && d.deviceId === deviceId)) entry.capture.ended();
    }
  }
}
defineEventHandlers(MediaDevices, ['devicechange']);
{
  // ondevicechange adds its listener through EventTarget's own method: watch from there too.
  const descriptor = Object.getOwnPropertyDescriptor(MediaDevices.prototype, 'ondevicechange')!;
  Object.defineProperty(MediaDevices.prototype, 'ondevicechange', {
    ...descriptor,
    set(this: MediaDevices, value: unknown) {
      descriptor.set!.call(this, value);
      if (value !== null && value !== undefined) MediaDevices.watch(this);
    },
  });
}
exposeInterface(MediaDevices, 'MediaDevices');

/** A native failure as the DOMException the spec names. */
function asDeviceError(error: unknown): unknown {
  if (error instanceof DOMException || error instanceof TypeError) return error;
  const e = error as { name?: string; message?: string };
  if (e && typeof e.name === 'string' && /^(NotFoundError|NotReadableError|AbortError)$/.test(e.name)) {
    return domException(e.name, e.message ?? '');
  }
  if (e?.name === 'OverconstrainedError') return new OverconstrainedError('deviceId', e.message);
  return domException('AbortError', e?.message ?? String(error));
}

export const mediaDevices = new MediaDevices(token);

/** node-webrtc's export: the same as mediaDevices.getUserMedia(). */
export function getUserMedia(constraints?: MediaStreamConstraints): Promise<MediaStream> {
  return mediaDevices.getUserMedia(constraints);
}

/** Extension: the screens and windows getDisplayMedia({ source }) can capture. */
export async function getDisplaySources(): Promise<DisplaySource[]> {
  let sources: { screens: Binding.DisplaySourceRecord[]; windows: Binding.DisplaySourceRecord[] };
  try {
    sources = binding.listDisplaySources();
  } catch (error) {
    throw asDeviceError(error);
  }
  return [
    ...sources.screens.map((s) => ({ id: `screen:${s.id}`, kind: 'screen' as const, title: s.title })),
    ...sources.windows.map((w) => ({ id: `window:${w.id}`, kind: 'window' as const, title: w.title })),
  ];
}

/**
 * Extension: where received audio plays — an 'audiooutput' deviceId from enumerateDevices(),
 * or null for nowhere (the default: a server plays nothing).
 */
export async function setAudioOutputDevice(deviceId: string | null): Promise<void> {
  try {
    binding.setAudioOutput(deviceId === null ? null : String(deviceId));
  } catch (error) {
    throw asDeviceError(error);
  }
}
