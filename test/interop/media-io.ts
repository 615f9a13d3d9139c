// Node-side media for the media tests: sources that send known content (a test pattern, a
// tone) through node-webrtc's nonstandard RTCVideoSource / RTCAudioSource, and the checks that
// tell whether what an RTCVideoSink / RTCAudioSink received is that content. Everything goes
// through the `nonstandard` object it is given, so it works for any wrtc-compatible module.
//
// The sources are driven by timers, as a capture device would be: a timer here produces media,
// it never stands in for waiting on an event.
import type { I420Frame, MediaStreamTrack, Nonstandard, RTCRtpCodec, RTCStatsReport } from './types.js';

export const WIDTH = 320;
export const HEIGHT = 240;

/** Bytes of an I420 frame (even sizes only, as the pattern uses). */
function i420Bytes(width: number, height: number): number {
  return width * height + 2 * (width / 2) * (height / 2);
}

/**
 * Four flat quadrants, each its own luma and chroma (so a swapped plane, a mirrored or scaled
 * frame, or a black one all fail the check), under a band at the top where a white block moves
 * one step per frame (so encoders see motion and every frame differs). Flat areas survive lossy
 * coding: `check()` compares the mean of each quadrant's inner part.
 */
export class TestPattern {
  /** Rows at the top that carry the moving block and are not checked. */
  static readonly BAND = 16;
  /** Per quadrant: top-left, top-right, bottom-left, bottom-right. */
  static readonly Y = [60, 110, 170, 220] as const;
  static readonly U = [88, 168, 88, 168] as const;
  static readonly V = [88, 88, 168, 168] as const;
  /** How far a quadrant's mean may drift through two lossy codings. */
  static readonly TOLERANCE = 24;

  private readonly base: Uint8Array;

  constructor(
    readonly width = WIDTH,
    readonly height = HEIGHT,
  ) {
    if (width % 2 || height % 2) throw new Error('TestPattern needs even sizes');
    this.base = new Uint8Array(i420Bytes(width, height));
    const cw = width / 2;
    const ch = height / 2;
    const uOffset = width * height;
    const vOffset = uOffset + cw * ch;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) this.base[y * width + x] = TestPattern.Y[this.quadrant(x, y, width, height)]!;
    }
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const q = this.quadrant(x, y, cw, ch);
        this.base[uOffset + y * cw + x] = TestPattern.U[q]!;
        this.base[vOffset + y * cw + x] = TestPattern.V[q]!;
      }
    }
    // The band: dark luma, neutral chroma.
    this.base.fill(16, 0, TestPattern.BAND * width);
    for (let y = 0; y < TestPattern.BAND / 2; y++) {
      this.base.fill(128, uOffset + y * cw, uOffset + (y + 1) * cw);
      this.base.fill(128, vOffset + y * cw, vOffset + (y + 1) * cw);
    }
  }

  private quadrant(x: number, y: number, w: number, h: number): number {
    return (y >= h / 2 ? 2 : 0) + (x >= w / 2 ? 1 : 0);
  }

  /** Frame number `n`: the pattern with the block at its n-th position. */
  frame(n: number): I420Frame {
    const data = this.base.slice();
    const size = TestPattern.BAND;
    const x0 = ((n * 4) % (this.width - size)) & ~1;
    for (let y = 0; y < size; y++) data.fill(235, y * this.width + x0, y * this.width + x0 + size);
    return { width: this.width, height: this.height, data };
  }

  /** null when `frame` is this pattern (size, and every quadrant's mean Y, U and V within
   *  TOLERANCE); otherwise what differs. */
  check(frame: I420Frame): string | null {
    const { width, height, data } = frame;
    if (width !== this.width || height !== this.height)
      return `a ${width}x${height} frame, not ${this.width}x${this.height}`;
    if (data.length < i420Bytes(width, height))
      return `${data.length} bytes, fewer than an I420 ${width}x${height} frame`;
    const cw = width / 2;
    const ch = height / 2;
    const uOffset = width * height;
    const vOffset = uOffset + cw * ch;
    // Each quadrant's inner part: away from its edges by a block (16 px luma, 8 px chroma),
    // and below the band.
    const mean = (offset: number, stride: number, x0: number, y0: number, x1: number, y1: number): number => {
      let sum = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += data[offset + y * stride + x]!;
      return sum / ((x1 - x0) * (y1 - y0));
    };
    const problems: string[] = [];
    const names = ['top-left', 'top-right', 'bottom-left', 'bottom-right'];
    for (let q = 0; q < 4; q++) {
      const right = q & 1;
      const bottom = q >> 1;
      const lx0 = right * (width / 2) + 16;
      const lx1 = (right + 1) * (width / 2) - 16;
      const ly0 = bottom ? height / 2 + 16 : TestPattern.BAND + 16;
      const ly1 = (bottom + 1) * (height / 2) - 16;
      const got = {
        Y: mean(0, width, lx0, ly0, lx1, ly1),
        U: mean(uOffset, cw, lx0 / 2, ly0 / 2, lx1 / 2, ly1 / 2),
        V: mean(vOffset, cw, lx0 / 2, ly0 / 2, lx1 / 2, ly1 / 2),
      };
      const want = { Y: TestPattern.Y[q]!, U: TestPattern.U[q]!, V: TestPattern.V[q]! };
      for (const plane of ['Y', 'U', 'V'] as const) {
        if (Math.abs(got[plane] - want[plane]) > TestPattern.TOLERANCE) {
          problems.push(`${names[q]} ${plane} ${got[plane].toFixed(0)} (want ${want[plane]})`);
        }
      }
    }
    return problems.length ? `not the pattern: ${problems.join(', ')}` : null;
  }
}

export interface RunningSource {
  readonly track: MediaStreamTrack;
  stop(): void;
}

/** An RTCVideoSource sending `pattern` at about 30 frames a second until stop(). */
export function startPatternSource(ns: Nonstandard, pattern = new TestPattern()): RunningSource {
  const source = new ns.RTCVideoSource();
  const track = source.createTrack();
  let n = 0;
  source.onFrame(pattern.frame(n++));
  const timer = setInterval(() => source.onFrame(pattern.frame(n++)), 33);
  return {
    track,
    stop() {
      clearInterval(timer);
      track.stop();
    },
  };
}

/**
 * An RTCAudioSource sending a sine tone in 10 ms chunks of 48 kHz mono, as many chunks as the
 * clock says are due (so the rate stays right when the timer fires late), until stop().
 */
export function startToneSource(ns: Nonstandard, frequency = 440, amplitude = 8000): RunningSource {
  const source = new ns.RTCAudioSource();
  const track = source.createTrack();
  const rate = 48000;
  const frames = rate / 100;
  const samples = new Int16Array(frames);
  const start = performance.now();
  let phase = 0;
  let sent = 0;
  const tick = (): void => {
    const due = Math.floor((performance.now() - start) / 10) + 1;
    // After a long stall, skip ahead instead of bursting seconds of audio at once.
    if (due - sent > 10) sent = due - 10;
    for (; sent < due; sent++) {
      for (let i = 0; i < frames; i++)
        samples[i] = Math.round(amplitude * Math.sin((2 * Math.PI * frequency * phase++) / rate));
      phase %= rate;
      source.onData({ samples, sampleRate: rate, bitsPerSample: 16, channelCount: 1, numberOfFrames: frames });
    }
  };
  tick();
  const timer = setInterval(tick, 10);
  return {
    track,
    stop() {
      clearInterval(timer);
      track.stop();
    },
  };
}

/** The largest absolute sample. */
export function peak(samples: Int16Array): number {
  let max = 0;
  for (const s of samples) max = Math.max(max, Math.abs(s));
  return max;
}

/** The codecs of `capabilities` with this MIME type (case-insensitive), in their order. */
export function codecsOf(codecs: readonly RTCRtpCodec[], mimeType: string): RTCRtpCodec[] {
  return codecs.filter((c) => c.mimeType.toLowerCase() === mimeType.toLowerCase());
}

/** An RTP stream as the tests compare them on both ends (the page builds the same shape). */
export interface RtpStreamStats {
  type: 'inbound-rtp' | 'outbound-rtp';
  kind: string;
  /** The mimeType of the codec stats object its codecId names; null without a codecId. */
  mimeType: string | null;
  packets: number;
  framesEncoded?: number;
  framesDecoded?: number;
  frameWidth?: number;
  frameHeight?: number;
}

/** The inbound-rtp and outbound-rtp streams of a report, each with its codec's mimeType. */
export function rtpStreams(report: RTCStatsReport): RtpStreamStats[] {
  const out: RtpStreamStats[] = [];
  report.forEach((s) => {
    if (s.type !== 'inbound-rtp' && s.type !== 'outbound-rtp') return;
    const codec = typeof s.codecId === 'string' ? report.get(s.codecId) : undefined;
    const entry: RtpStreamStats = {
      type: s.type,
      kind: String(s.kind),
      mimeType: codec ? String(codec.mimeType) : null,
      packets: Number(s.type === 'inbound-rtp' ? s.packetsReceived : s.packetsSent) || 0,
    };
    for (const key of ['framesEncoded', 'framesDecoded', 'frameWidth', 'frameHeight'] as const) {
      if (typeof s[key] === 'number') entry[key] = s[key] as number;
    }
    out.push(entry);
  });
  return out;
}

/** The one stream of this type and kind (an assertion failure if there are none or several). */
export function oneStream(
  streams: readonly RtpStreamStats[],
  type: RtpStreamStats['type'],
  kind: string,
  where: string,
): RtpStreamStats {
  const found = streams.filter((s) => s.type === type && s.kind === kind);
  if (found.length !== 1) {
    throw new Error(`${where}: expected one ${kind} ${type} stream, found ${found.length}: ${JSON.stringify(streams)}`);
  }
  return found[0]!;
}

/** The encoding names of every a=rtpmap in the m=`kind` sections of `sdp`, in order
 *  (e.g. ['VP8', 'rtx', 'VP9']). */
export function rtpmapNames(sdp: string, kind: 'audio' | 'video'): string[] {
  const names: string[] = [];
  let inKind = false;
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) inKind = line.startsWith(`m=${kind} `);
    const m = inKind ? /^a=rtpmap:\d+ ([^/\s]+)\//.exec(line) : null;
    if (m) names.push(m[1]!);
  }
  return names;
}
