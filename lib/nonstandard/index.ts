// Raw media in and out, outside the W3C API, with node-webrtc's names so its users can switch:
// RTCVideoSource / RTCVideoSink (I420 frames), RTCAudioSource / RTCAudioSink (16-bit PCM),
// i420ToRgba / rgbaToI420. Native halves: native/media/{video,audio}_{source,sink}.cc.
//
// Sinks deliver on the JS thread through bounded queues: a consumer that falls behind loses
// the oldest frames (counted in droppedFrames / droppedChunks), never memory.
import { randomUUID } from 'node:crypto';
import { binding, type Binding } from '../binding.js';
import { domException } from '../errors.js';
import { defineEventHandlers } from '../event-target.js';
import { MediaStreamTrack, createTrack } from '../MediaStreamTrack.js';
import { getDisplaySources, setAudioOutputDevice } from '../mediaDevices.js';
import { exposeInterface, isObject } from '../webidl-values.js';

export type RTCVideoFrameFormat = Binding.VideoFrameFormat;

export interface RTCVideoSourceInit {
  isScreencast?: boolean;
  needsDenoising?: boolean;
}

/** A frame for RTCVideoSource.onFrame(): I420 by default (node-webrtc's shape). */
export interface RTCVideoFrame {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
  /** Extension: the layout of `data` (default 'i420'). */
  format?: RTCVideoFrameFormat;
  /** Extension: clockwise degrees the frame must be turned to display upright. */
  rotation?: 0 | 90 | 180 | 270;
  /** Extension: capture time in microseconds (default: now). */
  timestamp?: number;
}

function i420Size(width: number, height: number): number {
  return width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
}

function frameSize(width: number, height: number, format: RTCVideoFrameFormat): number {
  return format === 'rgba' || format === 'bgra' ? width * height * 4 : i420Size(width, height);
}

function dimension(value: unknown, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 16384) {
    throw new TypeError(`${name} must be a whole number of pixels between 1 and 16384, not ${String(value)}.`);
  }
  return n;
}

function bytes(value: unknown, expected: number, what: string): Uint8Array | Uint8ClampedArray {
  if (!(value instanceof Uint8Array || value instanceof Uint8ClampedArray)) {
    throw new TypeError(`${what}: data must be a Uint8Array or Uint8ClampedArray.`);
  }
  if (value.byteLength !== expected) {
    throw new TypeError(`${what}: expected a .byteLength of ${expected}, not ${value.byteLength}.`);
  }
  return value;
}

const FORMATS: readonly RTCVideoFrameFormat[] = ['i420', 'nv12', 'rgba', 'bgra'];

export class RTCVideoSource {
  readonly #native: Binding.VideoSource;
  readonly #isScreencast: boolean;
  readonly #needsDenoising: boolean | null;

  constructor(init?: RTCVideoSourceInit) {
    const options = isObject(init) ? init : {};
    this.#isScreencast = Boolean(options.isScreencast);
    this.#needsDenoising = options.needsDenoising === undefined ? null : Boolean(options.needsDenoising);
    const nativeInit: { isScreencast: boolean; needsDenoising?: boolean } = { isScreencast: this.#isScreencast };
    if (this.#needsDenoising !== null) nativeInit.needsDenoising = this.#needsDenoising;
    this.#native = new binding.VideoSource(nativeInit);
  }

  get isScreencast(): boolean {
    return this.#isScreencast;
  }
  get needsDenoising(): boolean | null {
    return this.#needsDenoising;
  }

  createTrack(): MediaStreamTrack {
    const native = this.#native.createTrack(randomUUID());
    return createTrack({ native, remote: false, label: native.id() });
  }

  onFrame(frame: RTCVideoFrame): void {
    if (!isObject(frame)) throw new TypeError("Failed to execute 'onFrame': parameter 1 is not a frame.");
    const width = dimension(frame.width, 'width');
    const height = dimension(frame.height, 'height');
    const format = frame.format === undefined ? 'i420' : (String(frame.format) as RTCVideoFrameFormat);
    if (!FORMATS.includes(format)) throw new TypeError(`format must be one of ${FORMATS.join(', ')}, not '${format}'.`);
    const data = bytes(frame.data, frameSize(width, height, format), 'onFrame');
    const rotation = frame.rotation === undefined ? 0 : Number(frame.rotation);
    if (rotation !== 0 && rotation !== 90 && rotation !== 180 && rotation !== 270) {
      throw new TypeError(`rotation must be 0, 90, 180 or 270, not ${String(frame.rotation)}.`);
    }
    const record: Parameters<Binding.VideoSource['onFrame']>[0] = { width, height, data, format, rotation };
    if (frame.timestamp !== undefined) {
      const timestamp = Number(frame.timestamp);
      if (!Number.isFinite(timestamp) || timestamp < 0)
        throw new TypeError('timestamp must be a non-negative number of microseconds.');
      record.timestamp = timestamp;
    }
    this.#native.onFrame(record);
  }
}
exposeInterface(RTCVideoSource, 'RTCVideoSource');

/** The frame an RTCVideoSink delivers: I420, node-webrtc's shape plus rotation and timestamp. */
export interface RTCVideoSinkFrame {
  width: number;
  height: number;
  data: Uint8Array;
  rotation: number;
  /** Microseconds. */
  timestamp: number;
}

export class RTCVideoFrameEvent extends Event {
  readonly frame: RTCVideoSinkFrame;
  constructor(type: string, init: { frame: RTCVideoSinkFrame }) {
    super(type);
    this.frame = init.frame;
  }
}

function requireTrack(value: unknown, kind: 'audio' | 'video', what: string): MediaStreamTrack {
  if (!(value instanceof MediaStreamTrack))
    throw new TypeError(`${what}: parameter 1 is not of type 'MediaStreamTrack'.`);
  if (value.kind !== kind) throw new TypeError(`${what} takes a ${kind} track, not ${value.kind}.`);
  return value;
}

export class RTCVideoSink extends EventTarget {
  readonly #native: Binding.VideoSink;
  #stopped = false;
  declare onframe: ((this: any, ev: RTCVideoFrameEvent) => any) | null;

  constructor(track: MediaStreamTrack) {
    super();
    const t = requireTrack(track, 'video', 'RTCVideoSink');
    this.#native = new binding.VideoSink(MediaStreamTrack.native(t), (frame) => {
      if (!this.#stopped) this.dispatchEvent(new RTCVideoFrameEvent('frame', { frame }));
    });
  }
  get stopped(): boolean {
    return this.#stopped;
  }
  /** Frames dropped so far because they were not taken in time. */
  get droppedFrames(): number {
    return this.#native.dropped();
  }
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#native.stop();
  }
}
defineEventHandlers(RTCVideoSink, ['frame']);
exposeInterface(RTCVideoSink, 'RTCVideoSink');

/** Audio for RTCAudioSource.onData(): interleaved 16-bit PCM, any number of frames. */
export interface RTCAudioData {
  samples: Int16Array;
  sampleRate?: number;
  bitsPerSample?: 16;
  channelCount?: number;
  numberOfFrames?: number;
}

export class RTCAudioSource {
  readonly #native: Binding.AudioSource = new binding.AudioSource();

  createTrack(): MediaStreamTrack {
    const native = this.#native.createTrack(randomUUID());
    return createTrack({ native, remote: false, label: native.id() });
  }

  /**
   * Any chunk length (libwebrtc takes 10 ms frames; the rest waits for the next call) at any
   * sample rate from 8000 to 384000 Hz whose 10 ms is a whole number of frames.
   */
  onData(data: RTCAudioData): void {
    if (!isObject(data)) throw new TypeError("Failed to execute 'onData': parameter 1 is not audio data.");
    if (!(data.samples instanceof Int16Array)) throw new TypeError('onData: samples must be an Int16Array.');
    const sampleRate = data.sampleRate === undefined ? 48000 : Number(data.sampleRate);
    if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 384000 || sampleRate % 100 !== 0) {
      throw new TypeError(
        `onData: sampleRate ${String(data.sampleRate)} is not supported (8000 to 384000 Hz, a multiple of 100).`,
      );
    }
    if (data.bitsPerSample !== undefined && Number(data.bitsPerSample) !== 16) {
      throw new TypeError('onData: only 16-bit samples are supported.');
    }
    const channelCount = data.channelCount === undefined ? 1 : Number(data.channelCount);
    if (channelCount !== 1 && channelCount !== 2) throw new TypeError('onData: channelCount must be 1 or 2.');
    if (data.samples.length % channelCount !== 0)
      throw new TypeError('onData: samples is not a whole number of frames.');
    if (data.numberOfFrames !== undefined && Number(data.numberOfFrames) * channelCount !== data.samples.length) {
      throw new TypeError(
        `onData: numberOfFrames ${String(data.numberOfFrames)} does not match ${data.samples.length} samples.`,
      );
    }
    this.#native.onData(data.samples, sampleRate, channelCount);
  }
}
exposeInterface(RTCAudioSource, 'RTCAudioSource');

/** What an RTCAudioSink delivers: one event per 10 ms of audio. */
export class RTCAudioDataEvent extends Event {
  readonly samples: Int16Array;
  readonly sampleRate: number;
  readonly bitsPerSample: 16;
  readonly channelCount: number;
  readonly numberOfFrames: number;
  constructor(type: string, data: Binding.AudioDataRecord) {
    super(type);
    this.samples = data.samples;
    this.sampleRate = data.sampleRate;
    this.bitsPerSample = data.bitsPerSample;
    this.channelCount = data.channelCount;
    this.numberOfFrames = data.numberOfFrames;
  }
}

export class RTCAudioSink extends EventTarget {
  readonly #native: Binding.AudioSink;
  #stopped = false;
  declare ondata: ((this: any, ev: RTCAudioDataEvent) => any) | null;

  constructor(track: MediaStreamTrack) {
    super();
    const t = requireTrack(track, 'audio', 'RTCAudioSink');
    this.#native = new binding.AudioSink(MediaStreamTrack.native(t), (data) => {
      if (!this.#stopped) this.dispatchEvent(new RTCAudioDataEvent('data', data));
    });
  }
  get stopped(): boolean {
    return this.#stopped;
  }
  /** 10 ms chunks dropped so far because they were not taken in time. */
  get droppedChunks(): number {
    return this.#native.dropped();
  }
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#native.stop();
  }
}
defineEventHandlers(RTCAudioSink, ['data']);
exposeInterface(RTCAudioSink, 'RTCAudioSink');

interface Image {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

function image(value: unknown, format: 'i420' | 'rgba', what: string): Image {
  if (!isObject(value)) throw new TypeError(`${what}: not a frame.`);
  const width = dimension(value.width, 'width');
  const height = dimension(value.height, 'height');
  return { width, height, data: bytes(value.data, frameSize(width, height, format), what) };
}

/** Converts an I420 frame into RGBA bytes (into `rgbaFrame.data`), with libyuv. */
export function i420ToRgba(i420Frame: Image, rgbaFrame: Image): void {
  const src = image(i420Frame, 'i420', 'i420ToRgba');
  const dst = image(rgbaFrame, 'rgba', 'i420ToRgba');
  if (src.width !== dst.width || src.height !== dst.height)
    throw domException('InvalidAccessError', 'The frames differ in size.');
  binding.i420ToRgba(src, dst);
}

/** Converts RGBA bytes into an I420 frame (into `i420Frame.data`), with libyuv. */
export function rgbaToI420(rgbaFrame: Image, i420Frame: Image): void {
  const src = image(rgbaFrame, 'rgba', 'rgbaToI420');
  const dst = image(i420Frame, 'i420', 'rgbaToI420');
  if (src.width !== dst.width || src.height !== dst.height)
    throw domException('InvalidAccessError', 'The frames differ in size.');
  binding.rgbaToI420(src, dst);
}

export const nonstandard = {
  RTCVideoSource,
  RTCVideoSink,
  RTCAudioSource,
  RTCAudioSink,
  i420ToRgba,
  rgbaToI420,
  getDisplaySources,
  setAudioOutputDevice,
};
