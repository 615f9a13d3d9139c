'use strict';
// Media benchmark: raw video and audio through encode → loopback → decode, for one or more
// WebRTC implementations in one run, with node-webrtc's nonstandard sources and sinks.
//
//   node bench/media.js                                   # this package (its root)
//   node bench/media.js --impl . --impl @roamhq/wrtc      # both, alternating
//   options: --runs N (3)  --seconds S (10)  --warmup S (3)  --fps N (30)
//            --sizes WxH,... (1280x720,1920x1080)  --stream-size WxH (640x360)
//            --max-streams N (16)  --min-fps F (29)  --tests video,streams,audio (all)
//            --degradation maintain-resolution|maintain-framerate|balanced|default
//              (maintain-resolution; see below)
//
// Prints ONE JSON document on stdout; progress goes to stderr.
//
// Tests (every measurement in a fresh child process of its own, one implementation each, so
// that one library's threads, GC and RSS never land in another's figures; the implementations
// alternate, their order rotating each run; medians over --runs):
//
// - video: an RTCVideoSource fed --fps frames/s of WxH I420 (a static gradient, a textured box
//   moving across it, and a strip of black/white blocks at the top encoding a 16-bit frame
//   counter with a 4-bit check) on one peer connection, sent to a second one in the same
//   process (candidates trickled directly), decoded to an RTCVideoSink. After --warmup s of
//   streaming, a --seconds window measures: frames delivered per second; end-to-end latency
//   (the counter read back from each delivered frame, matched to the time its frame was given
//   to onFrame()); the process's CPU time (process.cpuUsage(): every thread, so the encoder,
//   decoder and network threads too) per delivered frame and as a share of one core; peak RSS;
//   and the resolutions delivered.
//   Resolution: libwebrtc starts a camera-like track from a low estimate of the bandwidth and
//   scales it down at first (and under CPU or QP pressure), then up again over tens of
//   seconds; a source that follows libwebrtc's requests (this package's, as Chrome's camera)
//   is scaled, one that ignores them (@roamhq/wrtc's) is not. So that both encode what they
//   are given, the sender's degradationPreference is set to --degradation before the offer
//   (`default`: left alone). Each result says what was received and, from the sender's
//   outbound-rtp stats, the codec, encoder, resolution and qualityLimitationReason.
// - streams: --stream-size at --fps on 1, 2, 4, 6, 8, … pairs of peer connections at once
//   (each its own source, pair and sink), until the median per-stream delivered rate falls
//   under --min-fps or --max-streams is reached: the largest count that kept up.
// - audio: 48 kHz stereo 16-bit PCM (a 440 Hz tone, the right channel 12 dB below the left),
//   10 ms chunks (what @roamhq/wrtc's RTCAudioSource accepts), through Opus (stereo=1 in the
//   answer, as browser code asks for stereo; Opus is mono without it) to an RTCAudioSink: the
//   10 ms chunks received (how many carry the tone, how many kept the two channels apart)
//   against those sent, and CPU ms per second of audio.
//
// Sources are paced by a drift-free timer: frame n is due at start + n × period; a video frame
// whose slot has passed by a whole period is skipped (counted), as a camera would; audio
// catches up, as a sound card's buffer would.

const { performance, monitorEventLoopDelay } = require('node:perf_hooks');
const {
  progress,
  parseFlags,
  parseCount,
  parsePositive,
  resolveImpls,
  rotated,
  median,
  percentile,
  round,
  machine,
  runMain,
  closeAll,
  timeoutAfter,
  runChildJson,
  connectTrack,
  senderVideoStats,
  rssSampler,
  cpuMsSince,
} = require('./common');

const TESTS = ['video', 'streams', 'audio'];
const DEGRADATIONS = ['maintain-resolution', 'maintain-framerate', 'balanced', 'default'];
const CONNECT_TIMEOUT_MS = 15000;
const FIRST_MEDIA_TIMEOUT_MS = 15000;
// How long after the window the frames sent in it may still arrive (and count as delivered).
const DELIVERY_GRACE_MS = 1000;
// Beyond the measured time, what a child may take to connect, warm up and close.
const CHILD_MARGIN_MS = 60000;
// A child whose event loop is still alive this long after it closed everything is reported.
const EXIT_GRACE_MS = 5000;

// ---------------------------------------------------------------------------------------------
// Arguments

function parseSize(flag, v) {
  const m = /^(\d+)x(\d+)$/.exec(v);
  if (!m || Number(m[1]) < 64 || Number(m[2]) < 64 || Number(m[1]) % 2 || Number(m[2]) % 2) {
    throw new Error(`${flag} wants even WIDTHxHEIGHT sizes of at least 64x64, got '${v}'`);
  }
  return { width: Number(m[1]), height: Number(m[2]) };
}

function parseArgs(argv) {
  const opts = {
    impls: [],
    runs: 3,
    seconds: 10,
    warmup: 3,
    fps: 30,
    sizes: [
      { width: 1280, height: 720 },
      { width: 1920, height: 1080 },
    ],
    streamSize: { width: 640, height: 360 },
    maxStreams: 16,
    minFps: 29,
    tests: [...TESTS],
    degradation: 'maintain-resolution',
  };
  parseFlags(argv, (flag, value) => {
    switch (flag) {
      case '--impl':
        opts.impls.push(value());
        break;
      case '--runs':
        opts.runs = parseCount(flag, value(), 1);
        break;
      case '--seconds':
        opts.seconds = parsePositive(flag, value());
        break;
      case '--warmup': {
        const v = value();
        opts.warmup = v === '0' ? 0 : parsePositive(flag, v);
        break;
      }
      case '--fps':
        opts.fps = parseCount(flag, value(), 1);
        break;
      case '--sizes':
        opts.sizes = value()
          .split(',')
          .filter(Boolean)
          .map((s) => parseSize(flag, s));
        break;
      case '--stream-size':
        opts.streamSize = parseSize(flag, value());
        break;
      case '--max-streams':
        opts.maxStreams = parseCount(flag, value(), 1);
        break;
      case '--min-fps':
        opts.minFps = parsePositive(flag, value());
        break;
      case '--degradation': {
        const v = value();
        if (!DEGRADATIONS.includes(v))
          throw new Error(`--degradation wants one of ${DEGRADATIONS.join(', ')}, got '${v}'`);
        opts.degradation = v;
        break;
      }
      case '--tests': {
        opts.tests = value().split(',').filter(Boolean);
        for (const t of opts.tests)
          if (!TESTS.includes(t)) throw new Error(`unknown test '${t}' (known: ${TESTS.join(', ')})`);
        break;
      }
      case '--child':
        opts.child = JSON.parse(value());
        break;
      case '-h':
      case '--help':
        opts.help = true;
        break;
      default:
        return false;
    }
    return true;
  });
  if (opts.impls.length === 0) opts.impls.push('.');
  return opts;
}

const sizeKey = ({ width, height }) => `${width}x${height}`;

/** 1, 2, 4, 6, 8, … up to `max` (and `max` itself). */
function streamSteps(max) {
  const steps = [1];
  for (let n = 2; n <= max; n += 2) steps.push(n);
  if (steps[steps.length - 1] !== max) steps.push(max);
  return steps;
}

// ---------------------------------------------------------------------------------------------
// The test picture and its frame counter

// The counter strip: BLOCKS equal blocks across the top 1/16 of the picture: a white and a
// black reference block, 16 counter bits (most significant first), 4 check bits (the XOR of
// the counter's nibbles). Positions are fractions of the picture, so the strip reads the same
// after libwebrtc scaled the picture down.
const BLOCKS = 22;
const WHITE = 235;
const BLACK = 16;
const stripHeight = (height) => Math.max(4, Math.round(height / 16));
const blockX = (i, width) => Math.floor((i * width) / BLOCKS);
const check = (n) => (n ^ (n >> 4) ^ (n >> 8) ^ (n >> 12)) & 0xf;

class TestPicture {
  constructor(width, height) {
    this.width = width;
    this.height = height;
    const luma = width * height;
    const cw = width >> 1;
    const ch = height >> 1;
    this.frame = { width, height, data: new Uint8Array(luma + 2 * cw * ch) };
    const data = this.frame.data;
    // The background: a diagonal gradient with a coarse grid (static: cheap to encode but not
    // flat), and colour gradients in the chroma planes.
    this.background = new Uint8Array(luma);
    const grid = Math.max(8, width >> 5);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const onGrid = x % grid === 0 || y % grid === 0;
        this.background[y * width + x] = onGrid ? 96 : 40 + Math.floor((150 * (x / width + y / height)) / 2);
      }
    }
    data.set(this.background);
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        data[luma + y * cw + x] = 96 + Math.floor((64 * x) / cw);
        data[luma + cw * ch + y * cw + x] = 160 - Math.floor((64 * y) / ch);
      }
    }
    // The moving box: a sixth of the width, half the height, a checkerboard with a diagonal
    // ramp through it, so that the encoder has motion to search and texture to code.
    this.boxW = Math.max(16, Math.round(width / 6)) & ~1;
    this.boxH = Math.max(16, Math.round(height / 2)) & ~1;
    this.boxY = Math.round(height / 4);
    this.box = new Uint8Array(this.boxW * this.boxH);
    const cell = Math.max(4, width >> 7);
    for (let y = 0; y < this.boxH; y++) {
      for (let x = 0; x < this.boxW; x++) {
        const on = (Math.floor(x / cell) + Math.floor(y / cell)) & 1;
        this.box[y * this.boxW + x] = (on ? 200 : 30) + ((x + y) % 25);
      }
    }
    this.boxX = 0;
    this.step = Math.max(2, Math.round(width / 100));
  }

  /** Draws frame `n`: the box moved one step, the counter strip showing n mod 65536. */
  draw(n) {
    const { width, height, boxW, boxH, boxY } = this;
    const data = this.frame.data;
    for (let y = boxY; y < boxY + boxH; y++) {
      const row = y * width + this.boxX;
      data.set(this.background.subarray(row, row + boxW), row);
    }
    // Back and forth (a jump back to the left edge would be a burst the encoder may drop).
    const travel = width - boxW;
    const x = (n * this.step) % (2 * travel);
    this.boxX = (x <= travel ? x : 2 * travel - x) & ~1;
    for (let y = 0; y < boxH; y++) {
      data.set(this.box.subarray(y * boxW, (y + 1) * boxW), (boxY + y) * width + this.boxX);
    }
    const counter = n & 0xffff;
    const bits = (1 << 21) | (counter << 4) | check(counter); // white, black, 16 bits, 4 check bits
    const sh = stripHeight(height);
    for (let i = 0; i < BLOCKS; i++) {
      const v = (bits >> (BLOCKS - 1 - i)) & 1 ? WHITE : BLACK;
      const x0 = blockX(i, width);
      const x1 = blockX(i + 1, width);
      for (let y = 0; y < sh; y++) data.fill(v, y * width + x0, y * width + x1);
    }
    return this.frame;
  }
}

/** The counter a received I420 frame shows, or -1 when its strip does not read cleanly. */
function readCounter({ width, height, data }) {
  const sh = stripHeight(height);
  const y0 = Math.floor(sh / 4);
  const y1 = Math.max(y0 + 1, Math.ceil((3 * sh) / 4));
  const means = new Array(BLOCKS);
  for (let i = 0; i < BLOCKS; i++) {
    const x0 = blockX(i, width);
    const x1 = blockX(i + 1, width);
    const q = (x1 - x0) >> 2;
    let sum = 0;
    let count = 0;
    for (let y = y0; y < y1; y += 2) {
      for (let x = x0 + q; x < x1 - q; x += 2) {
        sum += data[y * width + x];
        count++;
      }
    }
    means[i] = count ? sum / count : 0;
  }
  const [white, black] = means;
  if (white - black < 80) return -1;
  const threshold = (white + black) / 2;
  let bits = 0;
  for (let i = 2; i < BLOCKS; i++) bits = (bits << 1) | (means[i] > threshold ? 1 : 0);
  const counter = bits >> 4;
  return (bits & 0xf) === check(counter) ? counter : -1;
}

// ---------------------------------------------------------------------------------------------
// Pacing

/**
 * Calls tick(n) for slot n at start + n × period (ms, performance.now() time), drift-free.
 * catchUp: slots that passed while the event loop was busy are all ticked at once (audio);
 * otherwise a slot more than a period late is skipped and counted (video, like a camera).
 */
function pace(periodMs, startAt, tick, { catchUp = false } = {}) {
  let n = 0;
  let next = startAt;
  let timer = null;
  let stopped = false;
  // slot: the next slot's index; ticks: slots ticked; skipped: slots skipped.
  const state = {
    slot: 0,
    ticks: 0,
    skipped: 0,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
  const run = () => {
    timer = null;
    if (stopped) return;
    const now = performance.now();
    if (catchUp) {
      for (let k = 0; next <= now + 0.5 && k < 100; k++) {
        tick(n++);
        state.ticks++;
        next += periodMs;
      }
    } else {
      if (now - next >= periodMs) {
        const missed = Math.floor((now - next) / periodMs);
        state.skipped += missed;
        n += missed;
        next += missed * periodMs;
      }
      tick(n++);
      state.ticks++;
      next += periodMs;
    }
    state.slot = n;
    if (!stopped) timer = setTimeout(run, Math.max(0, next - performance.now()));
  };
  timer = setTimeout(run, Math.max(0, startAt - performance.now()));
  return state;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Connections

/**
 * The answer's Opus parameters with stereo=1 (the answerer wants to receive stereo: so the
 * offerer encodes two channels) and sprop-stereo=1 (it may send stereo), as browser code
 * asks for stereo Opus; without them Opus carries one channel.
 */
function stereoOpus(sdp) {
  const pts = [...sdp.matchAll(/^a=rtpmap:(\d+) opus\/48000/gim)].map((m) => m[1]);
  let out = sdp;
  for (const pt of pts) {
    out = out.replace(new RegExp(`^(a=fmtp:${pt} )(.*)$`, 'm'), (_, head, params) => {
      const kept = params.split(';').filter((p) => p && !/^\s*(sprop-)?stereo=/.test(p));
      return `${head}${[...kept, 'stereo=1', 'sprop-stereo=1'].join(';')}`;
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Child: video (one or more streams)

async function videoChild(wrtc, { width, height, streams: count, fps, seconds, warmup, degradation }) {
  const { RTCVideoSource, RTCVideoSink } = wrtc.nonstandard;
  const period = 1000 / fps;
  const streams = [];
  try {
    for (let i = 0; i < count; i++) {
      const source = new RTCVideoSource();
      const track = source.createTrack();
      const stream = {
        source,
        track,
        picture: new TestPicture(width, height),
        sendTimes: new Float64Array(65536),
        pair: null,
        sink: null,
        pacer: null,
        firstFrame: null,
        seen: 0,
        // The measured slots: [first, end) (end null while the window is open); counting stops
        // when `counting` goes false.
        first: -1,
        end: null,
        counting: false,
        delivered: 0,
        unreadable: 0,
        latencies: [],
        resolutions: {},
      };
      streams.push(stream);
      stream.pair = await connectTrack(wrtc, track, {
        degradation: degradation === 'default' ? null : degradation,
        timeoutMs: CONNECT_TIMEOUT_MS,
      });
      stream.sink = new RTCVideoSink(stream.pair.remoteTrack);
      stream.firstFrame = new Promise((resolve) => {
        stream.sink.onframe = ({ frame }) => {
          if (stream.seen++ === 0) resolve();
          if (!stream.counting) return;
          const c = readCounter(frame);
          if (c < 0) {
            if (stream.end === null) stream.unreadable++;
            return;
          }
          // Slots before the window are "negative" here (mod 65536), so above 32767.
          const rel = (c - stream.first) & 0xffff;
          if (rel >= 32768 || (stream.end !== null && rel >= stream.end - stream.first)) return;
          const now = performance.now();
          stream.delivered++;
          stream.latencies.push(now - stream.sendTimes[c]);
          const res = `${frame.width}x${frame.height}`;
          stream.resolutions[res] = (stream.resolutions[res] ?? 0) + 1;
        };
      });
    }
    progress(`  ${count} stream(s) of ${width}x${height} connected`);

    // Each stream's slots offset by period / count, as independent cameras would be.
    const t0 = performance.now() + 20;
    streams.forEach((s, i) => {
      s.pacer = pace(period, t0 + (i * period) / count, (n) => {
        const frame = s.picture.draw(n);
        s.sendTimes[n & 0xffff] = performance.now();
        s.source.onFrame(frame);
      });
    });
    const first = timeoutAfter(
      FIRST_MEDIA_TIMEOUT_MS,
      () =>
        `no frame delivered within ${FIRST_MEDIA_TIMEOUT_MS} ms ` +
        `(${streams.filter((s) => s.seen === 0).length} of ${count} stream(s) silent)`,
    );
    try {
      await Promise.race([Promise.all(streams.map((s) => s.firstFrame)), first.promise]);
    } finally {
      first.cancel();
    }
    await sleep(warmup * 1000);

    // The window: the frames sent during it, delivered whenever (up to DELIVERY_GRACE_MS
    // after it); the CPU time and RSS during it.
    const dropped0 = streams.map((s) => s.sink.droppedFrames ?? null);
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const peakRss = rssSampler();
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    for (const s of streams) {
      s.first = s.pacer.slot;
      s.ticks0 = s.pacer.ticks;
      s.counting = true;
    }
    await sleep(seconds * 1000);
    for (const s of streams) {
      s.end = s.pacer.slot;
      s.sent = s.pacer.ticks - s.ticks0;
    }
    const windowS = (performance.now() - w0) / 1000;
    const cpuMs = cpuMsSince(cpu0);
    const rssMb = peakRss();
    loopDelay.disable();
    const graceEnd = performance.now() + DELIVERY_GRACE_MS;
    while (performance.now() < graceEnd && streams.some((s) => s.delivered < s.sent)) await sleep(20);
    for (const s of streams) s.counting = false;
    const stats = await senderVideoStats(streams[0].pair.a);

    const perStream = streams.map((s, i) => {
      const slotsS = (s.end - s.first) / fps; // the window in slots: exact, whatever the timers did
      return {
        sent_fps: round(s.sent / slotsS, 2),
        skipped_slots: s.end - s.first - s.sent,
        delivered_fps: round(s.delivered / slotsS, 2),
        frames_sent: s.sent,
        frames_delivered: s.delivered,
        frames_unreadable: s.unreadable,
        sink_dropped:
          dropped0[i] === null || s.sink.droppedFrames === undefined ? null : s.sink.droppedFrames - dropped0[i],
        latency_ms_median: round(median(s.latencies), 2),
        latency_ms_p95: round(percentile(s.latencies, 0.95), 2),
        resolutions: s.resolutions,
      };
    });
    const delivered = streams.reduce((n, s) => n + s.delivered, 0);
    const allLatencies = streams.flatMap((s) => s.latencies);
    return {
      seconds: round(windowS, 3),
      streams: count,
      delivered_fps: round(median(perStream.map((s) => s.delivered_fps)), 2),
      delivered_fps_min: round(Math.min(...perStream.map((s) => s.delivered_fps)), 2),
      sent_fps: round(median(perStream.map((s) => s.sent_fps)), 2),
      latency_ms_median: round(median(allLatencies), 2),
      latency_ms_p95: round(percentile(allLatencies, 0.95), 2),
      cpu_ms_per_frame: delivered ? round(cpuMs / delivered, 3) : null,
      cpu_percent: round((100 * cpuMs) / 1000 / windowS, 1),
      rss_mb: rssMb,
      // How late the JS thread ran timers in the window (a blocked thread delays frames).
      event_loop_delay_ms_max: round(loopDelay.max / 1e6, 1),
      event_loop_delay_ms_p99: round(loopDelay.percentile(99) / 1e6, 1),
      sender: stats ? { ...stats, degradation_preference_set: streams[0].pair.degradationSet } : null,
      per_stream: perStream,
    };
  } finally {
    for (const s of streams) {
      s.pacer?.stop();
      if (s.sink) {
        s.sink.onframe = null;
        s.sink.stop();
      }
      s.track.stop();
      if (s.pair) closeAll(s.pair.a, s.pair.b);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Child: audio

async function audioChild(wrtc, { seconds, warmup }) {
  const { RTCAudioSource, RTCAudioSink } = wrtc.nonstandard;
  const sampleRate = 48000;
  const channelCount = 2;
  const numberOfFrames = sampleRate / 100;
  const source = new RTCAudioSource();
  const track = source.createTrack();
  let pair = null;
  let sink = null;
  let pacer = null;
  try {
    pair = await connectTrack(wrtc, track, { editAnswer: stereoOpus, timeoutMs: CONNECT_TIMEOUT_MS });
    sink = new RTCAudioSink(pair.remoteTrack);
    let measuring = false;
    const got = { chunks: 0, frames: 0, withTone: 0, stereo: 0, sampleRates: {}, channelCounts: {} };
    let anyTone;
    const firstTone = new Promise((resolve) => {
      anyTone = resolve;
    });
    sink.ondata = (d) => {
      const { samples, channelCount: channels } = d;
      // Every other frame's left and right samples (the first channel alone when mono).
      let left = 0;
      let right = 0;
      let n = 0;
      for (let i = 0; i + channels - 1 < samples.length; i += 2 * channels) {
        left += samples[i] * samples[i];
        right += samples[i + channels - 1] * samples[i + channels - 1];
        n++;
      }
      const rmsL = Math.sqrt(left / Math.max(1, n));
      const rmsR = Math.sqrt(right / Math.max(1, n));
      const tone = rmsL > 1000;
      if (tone) anyTone();
      if (!measuring) return;
      got.chunks++;
      got.frames += d.numberOfFrames;
      if (tone) got.withTone++;
      if (tone && channels === 2 && rmsL > 2 * rmsR && rmsR > 100) got.stereo++;
      got.sampleRates[d.sampleRate] = (got.sampleRates[d.sampleRate] ?? 0) + 1;
      got.channelCounts[d.channelCount] = (got.channelCounts[d.channelCount] ?? 0) + 1;
    };

    // A 440 Hz tone, phase continuous: left at about -12 dBFS, right 12 dB quieter (so that
    // the receiver can tell that the two channels stayed apart).
    const samples = new Int16Array(numberOfFrames * channelCount);
    const chunk = { samples, sampleRate, bitsPerSample: 16, channelCount, numberOfFrames };
    let phase = 0;
    pacer = pace(
      10,
      performance.now() + 10,
      () => {
        for (let i = 0; i < numberOfFrames; i++) {
          const v = Math.round(8000 * Math.sin((2 * Math.PI * 440 * phase++) / sampleRate));
          samples[2 * i] = v;
          samples[2 * i + 1] = v >> 2;
        }
        source.onData(chunk);
      },
      { catchUp: true },
    );

    // The tone is waited for, but its absence is a result (arrived: false), not a failure.
    let timer;
    const arrivedBeforeWarmup = await Promise.race([
      firstTone.then(() => true),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve(false), FIRST_MEDIA_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (!arrivedBeforeWarmup)
      progress(`  no audio with the tone within ${FIRST_MEDIA_TIMEOUT_MS} ms; measuring anyway`);
    await sleep(warmup * 1000);

    const ticks0 = pacer.ticks;
    const dropped0 = sink.droppedChunks ?? null;
    const peakRss = rssSampler();
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    measuring = true;
    await sleep(seconds * 1000);
    measuring = false;
    const windowS = (performance.now() - w0) / 1000;
    const cpuMs = cpuMsSince(cpu0);
    const rssMb = peakRss();
    const sent = pacer.ticks - ticks0;
    return {
      seconds: round(windowS, 3),
      arrived: got.withTone > 0,
      chunks_sent: sent,
      chunks_received: got.chunks,
      chunks_with_tone: got.withTone,
      chunks_stereo: got.stereo,
      received_ratio: sent ? round(got.chunks / sent, 3) : null,
      audio_s_received: round(got.frames / sampleRate, 3),
      received_sample_rates: got.sampleRates,
      received_channel_counts: got.channelCounts,
      sink_dropped: dropped0 === null ? null : sink.droppedChunks - dropped0,
      cpu_ms_per_audio_s: round(cpuMs / windowS, 2),
      cpu_percent: round((100 * cpuMs) / 1000 / windowS, 1),
      rss_mb: rssMb,
    };
  } finally {
    pacer?.stop();
    if (sink) {
      sink.ondata = null;
      sink.stop();
    }
    track.stop();
    if (pair) closeAll(pair.a, pair.b);
  }
}

async function childMain(opts) {
  const [{ key, wrtc }] = resolveImpls(opts.impls);
  if (!wrtc.nonstandard) throw new Error(`${key} has no nonstandard media sources and sinks`);
  const job = opts.child;
  const result = job.test === 'audio' ? await audioChild(wrtc, job) : await videoChild(wrtc, job);
  process.stdout.write(`${JSON.stringify({ result })}\n`);
  // Everything is closed: the process should end by itself. If something keeps it alive, end
  // it, and say so (the parent reports the exit status).
  setTimeout(() => {
    progress(`  ${key}: still running ${EXIT_GRACE_MS} ms after closing everything; exiting`);
    process.exit(3);
  }, EXIT_GRACE_MS).unref();
}

// ---------------------------------------------------------------------------------------------
// Parent

/** Runs one job in a child process for `implName`; { result } or { error }, and exit trouble. */
function runJob(implName, job) {
  const timeout = (job.warmup + job.seconds) * 1000 + CHILD_MARGIN_MS + (job.streams ?? 1) * 5000;
  const r = runChildJson(__filename, ['--impl', implName, '--child', JSON.stringify(job)], { timeout });
  const exit = r.status === 0 ? null : (r.signal ?? `exit code ${r.status}`);
  if (!r.doc?.result) {
    return { error: `child failed (${r.error ?? exit ?? 'no JSON'}) before its results`, exit };
  }
  return { result: r.doc.result, exit };
}

const VIDEO_MEDIANS = [
  'delivered_fps',
  'sent_fps',
  'latency_ms_median',
  'latency_ms_p95',
  'cpu_ms_per_frame',
  'cpu_percent',
  'rss_mb',
  'event_loop_delay_ms_max',
];
const AUDIO_MEDIANS = [
  'chunks_received',
  'chunks_with_tone',
  'chunks_stereo',
  'received_ratio',
  'cpu_ms_per_audio_s',
  'cpu_percent',
  'rss_mb',
];

/** The key with the largest count in { key: count } (or the most frequent of a list), or null. */
function mostCommon(counts) {
  if (Array.isArray(counts)) {
    const c = {};
    for (const k of counts) if (k !== null) c[k] = (c[k] ?? 0) + 1;
    return mostCommon(c);
  }
  let best = null;
  for (const [k, n] of Object.entries(counts ?? {})) if (best === null || n > counts[best]) best = k;
  return best;
}

function mediansOf(runs, fields, digits = 2) {
  return Object.fromEntries(fields.map((f) => [f, round(median(runs.map((r) => r[f])), digits)]));
}

/** The sum of `field` over `list`, or null when any is null. */
function sum(list, field) {
  return list.some((x) => x[field] === null) ? null : list.reduce((n, x) => n + x[field], 0);
}

/** A video result as kept per run: one stream's detail inline, several streams' rates only. */
function videoRunSummary(r) {
  const { per_stream: perStream, ...rest } = r;
  return perStream.length === 1
    ? { ...rest, ...perStream[0] }
    : { ...rest, per_stream_fps: perStream.map((s) => s.delivered_fps) };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    process.stderr.write(
      'usage: node bench/media.js [--impl <module>]... [--runs N] [--seconds S] [--warmup S] ' +
        '[--fps N] [--sizes WxH,...] [--stream-size WxH] [--max-streams N] [--min-fps F] [--tests video,streams,audio] ' +
        '[--degradation maintain-resolution|maintain-framerate|balanced|default]\n',
    );
    return;
  }
  if (opts.child) return childMain(opts);

  const impls = resolveImpls(opts.impls); // loads each once here: a name that does not load fails now
  const entrants = impls.map(({ key }, i) => ({ key, name: opts.impls[i] }));
  const base = { fps: opts.fps, seconds: opts.seconds, warmup: opts.warmup, degradation: opts.degradation };
  const steps = streamSteps(opts.maxStreams);

  const exitTrouble = {};
  const noteExit = (key, exit) => {
    if (exit) (exitTrouble[key] ??= []).push(String(exit));
  };
  const slots = Object.fromEntries(
    entrants.map(({ key }) => [
      key,
      {
        video: Object.fromEntries(opts.sizes.map((s) => [sizeKey(s), { runs: [], failures: [] }])),
        streams: { runs: [] },
        audio: { runs: [], failures: [] },
      },
    ]),
  );

  for (let i = 0; i < opts.runs; i++) {
    const tag = `run ${i + 1}/${opts.runs}`;
    if (opts.tests.includes('video')) {
      for (const size of opts.sizes) {
        for (const { key, name } of rotated(entrants, i)) {
          progress(`${tag} video ${sizeKey(size)} ${key}`);
          const { result, error, exit } = runJob(name, { test: 'video', ...base, ...size, streams: 1 });
          noteExit(key, exit);
          const slot = slots[key].video[sizeKey(size)];
          if (error) {
            slot.failures.push(`run ${i + 1}: ${error}`);
            progress(`  FAILED: ${error}`);
            continue;
          }
          slot.runs.push(videoRunSummary(result));
          const one = result.per_stream[0];
          progress(
            `  ${result.delivered_fps} fps delivered (${one.frames_delivered}/${one.frames_sent} frames, ` +
              `${one.skipped_slots} slots skipped), latency ${result.latency_ms_median} ms (p95 ${result.latency_ms_p95}), ` +
              `cpu ${result.cpu_ms_per_frame} ms/frame (${result.cpu_percent}%), rss ${result.rss_mb} MB, ` +
              `event loop delay max ${result.event_loop_delay_ms_max} ms, received ${JSON.stringify(one.resolutions)}` +
              `${result.sender ? `, ${result.sender.codec} ${result.sender.encoder ?? ''} limited by ${result.sender.quality_limitation_reason}` : ''}`,
          );
        }
      }
    }

    if (opts.tests.includes('streams')) {
      const active = new Set(entrants.map((e) => e.key));
      const run = Object.fromEntries(entrants.map(({ key }) => [key, { max_sustained: 0, steps: [] }]));
      for (const n of steps) {
        for (const { key, name } of rotated(entrants, i)) {
          if (!active.has(key)) continue;
          progress(`${tag} streams ${n} x ${sizeKey(opts.streamSize)} ${key}`);
          const { result, error, exit } = runJob(name, { test: 'video', ...base, ...opts.streamSize, streams: n });
          noteExit(key, exit);
          if (error) {
            run[key].steps.push({ streams: n, sustained: false, error });
            progress(`  FAILED: ${error}`);
            active.delete(key);
            continue;
          }
          const sustained = result.delivered_fps >= opts.minFps;
          run[key].steps.push({
            streams: n,
            sustained,
            delivered_fps_median: result.delivered_fps,
            delivered_fps_min: result.delivered_fps_min,
            sent_fps_median: result.sent_fps,
            latency_ms_median: result.latency_ms_median,
            cpu_percent: result.cpu_percent,
            cpu_ms_per_frame: result.cpu_ms_per_frame,
            rss_mb: result.rss_mb,
            frames_sent: sum(result.per_stream, 'frames_sent'),
            frames_delivered: sum(result.per_stream, 'frames_delivered'),
            skipped_slots: sum(result.per_stream, 'skipped_slots'),
            sink_dropped: sum(result.per_stream, 'sink_dropped'),
            event_loop_delay_ms_max: result.event_loop_delay_ms_max,
            quality_limitation_reason: result.sender?.quality_limitation_reason ?? null,
          });
          progress(
            `  per-stream fps median ${result.delivered_fps} (min ${result.delivered_fps_min}), latency ${result.latency_ms_median} ms, ` +
              `cpu ${result.cpu_percent}%, rss ${result.rss_mb} MB, event loop delay max ${result.event_loop_delay_ms_max} ms: ` +
              `${sustained ? 'sustained' : 'NOT sustained'}`,
          );
          if (sustained) run[key].max_sustained = n;
          else active.delete(key);
        }
        if (!active.size) break;
      }
      for (const { key } of entrants) {
        run[key].capped = run[key].max_sustained === steps[steps.length - 1];
        slots[key].streams.runs.push(run[key]);
      }
    }

    if (opts.tests.includes('audio')) {
      for (const { key, name } of rotated(entrants, i)) {
        progress(`${tag} audio ${key}`);
        const { result, error, exit } = runJob(name, { test: 'audio', ...base });
        noteExit(key, exit);
        const slot = slots[key].audio;
        if (error) {
          slot.failures.push(`run ${i + 1}: ${error}`);
          progress(`  FAILED: ${error}`);
          continue;
        }
        slot.runs.push(result);
        progress(
          `  ${result.chunks_received}/${result.chunks_sent} chunks received (${result.chunks_with_tone} with the tone, ${result.chunks_stereo} stereo), ` +
            `cpu ${result.cpu_ms_per_audio_s} ms per audio s, rss ${result.rss_mb} MB`,
        );
      }
    }
  }

  // Results per implementation, and the medians side by side.
  const results = {};
  const summary = {};
  const put = (metric, key, value) => {
    (summary[metric] ??= {})[key] = value;
  };
  for (const { key } of entrants) {
    const r = {};
    if (exitTrouble[key]) r.child_abnormal_exits = exitTrouble[key];
    const s = slots[key];
    if (opts.tests.includes('video')) {
      r.video = {};
      for (const size of opts.sizes) {
        const { runs, failures } = s.video[sizeKey(size)];
        const med = mediansOf(runs, VIDEO_MEDIANS);
        const received = mostCommon(runs.map((x) => mostCommon(x.resolutions)));
        r.video[sizeKey(size)] = {
          median: med,
          received_resolution: received,
          n: runs.length,
          ...(failures.length ? { failures } : {}),
          runs,
        };
        for (const f of [
          'delivered_fps',
          'latency_ms_median',
          'latency_ms_p95',
          'cpu_ms_per_frame',
          'cpu_percent',
          'rss_mb',
        ]) {
          put(`video_${sizeKey(size)}.${f}`, key, med[f]);
        }
        put(`video_${sizeKey(size)}.received_resolution`, key, received);
      }
    }
    if (opts.tests.includes('streams')) {
      const { runs } = s.streams;
      const max = median(runs.map((x) => x.max_sustained));
      r.streams = { size: sizeKey(opts.streamSize), max_sustained_median: max, runs };
      put(`streams_${sizeKey(opts.streamSize)}.max_sustained`, key, max);
    }
    if (opts.tests.includes('audio')) {
      const { runs, failures } = s.audio;
      const med = mediansOf(runs, AUDIO_MEDIANS, 3);
      r.audio = {
        arrived: runs.length ? runs.every((x) => x.arrived) : null,
        median: med,
        n: runs.length,
        ...(failures.length ? { failures } : {}),
        runs,
      };
      put('audio_48k_stereo.arrived', key, r.audio.arrived);
      put('audio_48k_stereo.chunks_received', key, med.chunks_received);
      put('audio_48k_stereo.chunks_stereo', key, med.chunks_stereo);
      put('audio_48k_stereo.cpu_ms_per_audio_s', key, med.cpu_ms_per_audio_s);
    }
    results[key] = r;
  }

  const doc = {
    machine: machine(),
    config: {
      runs: opts.runs,
      seconds: opts.seconds,
      warmup_seconds: opts.warmup,
      fps: opts.fps,
      tests: opts.tests,
      sizes: opts.sizes.map(sizeKey),
      stream_size: sizeKey(opts.streamSize),
      stream_steps: steps,
      min_fps: opts.minFps,
      degradation_preference: opts.degradation,
      audio: { sample_rate: 48000, channels: 2, chunk_ms: 10 },
    },
    summary,
    results,
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

runMain(main);
