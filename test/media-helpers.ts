// Synthetic media for the loopback media tests: a video pattern that survives encoding (two
// flat halves of different luma, plus a moving bar so the encoder keeps sending), a sine tone,
// and the measurements the receiving side makes on them. Timers feed the sources; the tests
// wait on events, never on durations.
import { nonstandard, type MediaStreamTrack } from '../lib/index.js';
import type { RTCVideoSinkFrame } from '../lib/nonstandard/index.js';
import { DEFAULT_TIMEOUT_MS } from './helpers.js';

const { RTCVideoSource, RTCVideoSink, RTCAudioSource, RTCAudioSink } = nonstandard;

export const WIDTH = 320;
export const HEIGHT = 240;
/** The pattern: the left half this dark, the right half this light (I420 luma). */
export const LEFT_LUMA = 50;
export const RIGHT_LUMA = 200;

/** An I420 frame of the pattern; `tick` moves a thin bar across the top rows. */
export function patternFrame(width: number, height: number, tick: number): Uint8Array {
  const chroma = Math.ceil(width / 2) * Math.ceil(height / 2);
  const data = new Uint8Array(width * height + 2 * chroma);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    data.fill(LEFT_LUMA, row, row + (width >> 1));
    data.fill(RIGHT_LUMA, row + (width >> 1), row + width);
  }
  const bar = (tick * 8) % width;
  for (let y = 0; y < 8; y++) data.fill(255, y * width + bar, y * width + Math.min(width, bar + 16));
  data.fill(128, width * height);
  return data;
}

/** Mean luma of a box of an I420 frame. */
export function meanLuma(
  frame: { width: number; data: Uint8Array },
  x0: number,
  y0: number,
  w: number,
  h: number,
): number {
  let sum = 0;
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) sum += frame.data[y * frame.width + x]!;
  return sum / (w * h);
}

/** Whether a received frame shows the pattern: the two halves' luma near what was sent. */
export function showsPattern(frame: RTCVideoSinkFrame): boolean {
  const { width, height } = frame;
  const box = Math.max(4, Math.floor(width / 8));
  const y = Math.floor(height / 2);
  const left = meanLuma(frame, Math.floor(width / 4) - box / 2, y, box, box / 2);
  const right = meanLuma(frame, Math.floor((3 * width) / 4) - box / 2, y, box, box / 2);
  return Math.abs(left - LEFT_LUMA) < 25 && Math.abs(right - RIGHT_LUMA) < 25;
}

/** Whether a frame is black: all its luma dark (libwebrtc sends black for a disabled track). */
export function isBlack(frame: RTCVideoSinkFrame): boolean {
  let max = 0;
  const luma = frame.width * frame.height;
  for (let i = 0; i < luma; i += 7) max = Math.max(max, frame.data[i]!);
  return max < 40;
}

/** A video source fed at ~30 fps with the pattern until stop(). */
export function patternSource(
  width = WIDTH,
  height = HEIGHT,
): { track: MediaStreamTrack; source: InstanceType<typeof RTCVideoSource>; stop(): void } {
  const source = new RTCVideoSource();
  const track = source.createTrack();
  let tick = 0;
  const feed = () => source.onFrame({ width, height, data: patternFrame(width, height, tick++) });
  feed();
  const timer = setInterval(feed, 33);
  return {
    track,
    source,
    stop() {
      clearInterval(timer);
      track.stop();
    },
  };
}

/** An audio source fed with a sine of `frequency` Hz, 10 ms at a time, until stop(). */
export function toneSource(
  frequency: number,
  sampleRate = 48000,
  channelCount = 1,
): { track: MediaStreamTrack; stop(): void } {
  const source = new RTCAudioSource();
  const track = source.createTrack();
  let phase = 0;
  const frames = sampleRate / 100;
  const timer = setInterval(() => {
    const samples = new Int16Array(frames * channelCount);
    for (let i = 0; i < frames; i++) {
      const value = Math.round(10000 * Math.sin((2 * Math.PI * frequency * phase++) / sampleRate));
      for (let c = 0; c < channelCount; c++) samples[i * channelCount + c] = value;
    }
    source.onData({ samples, sampleRate, channelCount });
  }, 10);
  return {
    track,
    stop() {
      clearInterval(timer);
      track.stop();
    },
  };
}

/** The dominant frequency of mono (or the first channel of interleaved) PCM, by zero crossings. */
export function dominantFrequency(samples: Int16Array, sampleRate: number, channelCount = 1): number {
  let crossings = 0;
  let previous = 0;
  const frames = Math.floor(samples.length / channelCount);
  for (let i = 0; i < frames; i++) {
    const value = samples[i * channelCount]!;
    if ((previous < 0 && value >= 0) || (previous >= 0 && value < 0)) crossings++;
    previous = value;
  }
  return crossings / 2 / (frames / sampleRate);
}

export function rms(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

/** Collects frames from a video track until `predicate` holds for one; resolves with it. */
export function nextFrame(
  track: MediaStreamTrack,
  predicate: (frame: RTCVideoSinkFrame) => boolean = () => true,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<RTCVideoSinkFrame> {
  const sink = new RTCVideoSink(track);
  return new Promise<RTCVideoSinkFrame>((resolve, reject) => {
    let last: RTCVideoSinkFrame | null = null;
    const timer = setTimeout(() => {
      sink.stop();
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for a matching frame (last: ${last ? `${last.width}x${last.height}` : 'none'})`,
        ),
      );
    }, timeoutMs);
    sink.onframe = ({ frame }) => {
      last = frame;
      if (!predicate(frame)) return;
      clearTimeout(timer);
      sink.stop();
      resolve(frame);
    };
  });
}

/** Collects `ms` worth of 10 ms audio chunks (counted, not timed) from an audio track. */
export function collectAudio(
  track: MediaStreamTrack,
  ms: number,
  accept: (samples: Int16Array) => boolean = () => true,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<{ samples: Int16Array; sampleRate: number; channelCount: number }> {
  const sink = new RTCAudioSink(track);
  const chunks: Int16Array[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sink.stop();
      reject(new Error(`timed out after ${timeoutMs} ms collecting audio (${chunks.length} chunks)`));
    }, timeoutMs);
    sink.ondata = (data) => {
      if (chunks.length === 0 && !accept(data.samples)) return;
      chunks.push(data.samples.slice());
      if (chunks.length * 10 < ms) return;
      clearTimeout(timer);
      sink.stop();
      const all = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
      let offset = 0;
      for (const c of chunks) {
        all.set(c, offset);
        offset += c.length;
      }
      resolve({ samples: all, sampleRate: data.sampleRate, channelCount: data.channelCount });
    };
  });
}
