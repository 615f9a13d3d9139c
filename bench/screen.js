'use strict';
// Screen capture benchmark: getDisplayMedia() of a 1920x1080 Xvfb screen at 30 fps → encode →
// a loopback peer in the same process → decode, for one or more implementations.
//
//   node bench/screen.js                                   # this package (its root)
//   node bench/screen.js --impl . --impl @roamhq/wrtc      # both, alternating
//   options: --runs N (3)  --seconds S (10)  --warmup S (3)  --fps N (30)  --size WxH (1920x1080)
//            --paint-rate N (30)  --paint-area F (0.25)
//
// Prints ONE JSON document on stdout; progress goes to stderr. Needs Xvfb and xterm
// (`bash scripts/setup.sh --devices`).
//
// The screen: a fresh Xvfb of --size filled with a terminal of static text, and over its top
// left corner (--paint-area of the screen: a quarter by default, 1 for all of it) an xterm
// whose background colour bench/screen-painter.js changes --paint-rate times a second (each
// colour a counter mod 64, in four levels per channel), logging when it asked for each. A
// whole 1080p screen changing every frame is a codec's worst case: libwebrtc caps 1080p at
// 2.5 Mbps and VP8 then drops frames to stay under it (see --paint-area 1). Every measurement runs in a child
// process of its own (one implementation each; they alternate, the order rotating each run):
// it captures the screen with getDisplayMedia({ video: { frameRate: --fps, cursor: 'never' } }),
// sends the track to a second peer connection, and reads the colour back from each frame its
// RTCVideoSink delivers — the captured track's own sink (capture) and the remote track's
// (end to end). After --warmup s, a --seconds window gives:
//   - delivered_fps: frames the remote sink delivered per second; capture_fps: the local one's;
//   - latency_ms (median, p95): from the painter asking for a colour to the first remote frame
//     showing it — xterm's repaint, the capture, the encoder, the network, the decoder; the
//     capture alone (capture_latency_ms) to the first local frame showing it. Capturing at
//     --fps samples the screen, so this includes waiting for the next capture (up to a frame);
//   - cpu_percent / cpu_ms_per_frame: the process (capture, encode, decode, both peers), as a
//     share of one core and per delivered frame; xvfb_cpu_percent: the X server's, apart;
//   - rss_mb (peak), the received resolution, and the sender's codec, encoder and
//     qualityLimitationReason from getStats().
// An implementation whose getDisplayMedia() gives no frames (node-webrtc's is a stub) is
// reported as such.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');
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

const FIRST_FRAME_TIMEOUT_MS = 15000;
const CHILD_MARGIN_MS = 60000;
const EXIT_GRACE_MS = 5000;
const CODES = 64;

function parseArgs(argv) {
  const opts = {
    impls: [],
    runs: 3,
    seconds: 10,
    warmup: 3,
    fps: 30,
    paintRate: 30,
    paintArea: 0.25,
    width: 1920,
    height: 1080,
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
      case '--warmup':
        opts.warmup = parsePositive(flag, value());
        break;
      case '--fps':
        opts.fps = parseCount(flag, value(), 1);
        break;
      case '--paint-rate':
        opts.paintRate = parseCount(flag, value(), 1);
        break;
      case '--paint-area': {
        opts.paintArea = parsePositive(flag, value());
        if (opts.paintArea > 1 || opts.paintArea < 0.25) throw new Error(`${flag} wants a fraction from 0.25 to 1`);
        break;
      }
      case '--size': {
        const m = /^(\d+)x(\d+)$/.exec(value());
        if (!m || Number(m[1]) < 320 || Number(m[2]) < 240)
          throw new Error(`${flag} wants WIDTHxHEIGHT of at least 320x240`);
        opts.width = Number(m[1]);
        opts.height = Number(m[2]);
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

const now = () => performance.timeOrigin + performance.now();
const have = (program) => spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, ready, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** CPU seconds (user + system) a process has used, from /proc; null if it is gone. */
function processCpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the painter's colour back

/**
 * The painter's code in a delivered I420 frame, read at three points (BT.601, as libyuv), or
 * null when they disagree (a frame caught mid-repaint).
 */
function readCode({ width, height, data }) {
  const cw = (width + 1) >> 1;
  const ch = (height + 1) >> 1;
  // Inside the painted corner whatever its size (at least half the width and height).
  const codes = [
    [0.2, 0.25],
    [0.4, 0.1],
    [0.1, 0.4],
  ].map(([fx, fy]) => {
    const x = Math.floor(fx * width);
    const y = Math.floor(fy * height);
    const Y = 1.164 * (data[y * width + x] - 16);
    const U = data[width * height + (y >> 1) * cw + (x >> 1)] - 128;
    const V = data[width * height + cw * ch + (y >> 1) * cw + (x >> 1)] - 128;
    const level = (v) => Math.min(3, Math.max(0, Math.round(v / 85)));
    return level(Y + 1.596 * V) + 4 * level(Y - 0.813 * V - 0.391 * U) + 16 * level(Y + 2.018 * U);
  });
  return codes[0] === codes[1] && codes[1] === codes[2] ? codes[0] : null;
}

/** The painter's log: [[counter, time ms]] in order. */
function readPaints(logPath) {
  return fs
    .readFileSync(logPath, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ').map(Number));
}

/**
 * Latencies (ms) of the first frames showing each painted colour: for a frame at `t` with
 * `code`, the latest paint of that code at or before t. Frames arriving between warmupEnd and
 * windowEnd count.
 */
function latencies(frames, paints, from, to) {
  const seen = new Set();
  const out = [];
  let p = 0;
  for (const { t, code } of frames) {
    while (p + 1 < paints.length && paints[p + 1][1] <= t) p++;
    // The most recent paint of this code (at most CODES paints back).
    for (let k = p; k >= 0 && k > p - CODES; k--) {
      const [counter, paintedAt] = paints[k];
      if (paintedAt > t || counter % CODES !== code) continue;
      if (!seen.has(counter)) {
        seen.add(counter);
        if (t >= from && t < to) out.push(t - paintedAt);
      }
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Child: one measurement

async function childMain({ impls, child: job }) {
  const [{ key, wrtc }] = resolveImpls(impls);
  const { RTCVideoSink } = wrtc.nonstandard ?? {};
  if (!wrtc.mediaDevices?.getDisplayMedia || !RTCVideoSink)
    throw new Error(`${key} has no getDisplayMedia() or RTCVideoSink`);
  const logPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lwn-screen-')), 'paints.log');
  // A terminal of text under everything, then the painter over the top left (xterm sizes are
  // in characters of its 6x13 font; with no window manager, the last mapped is on top).
  const text = spawn(
    'xterm',
    ['-geometry', '400x100+0+0', '-e', 'sh', '-c', 'ls -lR /usr/share/doc | head -n 200; exec sleep 3600'],
    { stdio: 'ignore' },
  );
  await sleep(500);
  const side = Math.sqrt(job.paintArea);
  const geometry = `${Math.ceil((job.width * side) / 6) + 1}x${Math.ceil((job.height * side) / 13) + 1}+0+0`;
  const painter = spawn(
    'xterm',
    [
      '-geometry',
      geometry,
      '-e',
      process.execPath,
      path.join(__dirname, 'screen-painter.js'),
      logPath,
      String(job.paintRate),
    ],
    { stdio: 'ignore' },
  );
  let track;
  let pair;
  const sinks = [];
  try {
    await until('the painter', () => fs.existsSync(logPath) && fs.statSync(logPath).size > 0);
    const stream = await wrtc.mediaDevices.getDisplayMedia({ video: { frameRate: job.fps, cursor: 'never' } });
    track = stream.getVideoTracks()[0];
    const local = [];
    const remote = [];
    const resolutions = {};
    const watch = (t, list, counted) => {
      const sink = new RTCVideoSink(t);
      sinks.push(sink);
      sink.onframe = ({ frame }) => {
        list.push({ t: now(), code: readCode(frame) });
        if (counted) {
          const size = `${frame.width}x${frame.height}`;
          resolutions[size] = (resolutions[size] ?? 0) + 1;
        }
      };
    };
    watch(track, local, false);
    pair = await connectTrack(wrtc, track, { timeoutMs: FIRST_FRAME_TIMEOUT_MS });
    watch(pair.remoteTrack, remote, true);
    const first = timeoutAfter(
      FIRST_FRAME_TIMEOUT_MS,
      () => `no frame delivered within ${FIRST_FRAME_TIMEOUT_MS} ms (captured: ${local.length})`,
    );
    await Promise.race([
      until('a frame', () => remote.length > 0, FIRST_FRAME_TIMEOUT_MS + 1000),
      first.promise,
    ]).finally(first.cancel);

    await sleep(job.warmup * 1000);
    const from = now();
    const cpu0 = process.cpuUsage();
    const xvfb0 = processCpuSeconds(job.xvfbPid);
    const peakRss = rssSampler();
    const [localBefore, remoteBefore] = [local.length, remote.length];
    await sleep(job.seconds * 1000);
    const to = now();
    const elapsed = (to - from) / 1000;
    const cpuMs = cpuMsSince(cpu0);
    const xvfb1 = processCpuSeconds(job.xvfbPid);
    const rss = peakRss();
    const delivered = remote.length - remoteBefore;
    const stats = await senderVideoStats(pair.a);
    await sleep(500); // the last frames of the window, for the latencies
    const paints = readPaints(logPath);
    const e2e = latencies(
      remote.filter((f) => f.code !== null),
      paints,
      from,
      to,
    );
    const capture = latencies(
      local.filter((f) => f.code !== null),
      paints,
      from,
      to,
    );
    const inWindow = remote.slice(remoteBefore).filter((f) => f.t < to);
    return {
      delivered_fps: round(delivered / elapsed, 2),
      capture_fps: round((local.length - localBefore) / elapsed, 2),
      unreadable_frames: inWindow.filter((f) => f.code === null).length,
      latency_ms_median: round(median(e2e), 1),
      latency_ms_p95: round(percentile(e2e, 0.95), 1),
      capture_latency_ms_median: round(median(capture), 1),
      capture_latency_ms_p95: round(percentile(capture, 0.95), 1),
      cpu_percent: round(cpuMs / 10 / elapsed, 1),
      cpu_ms_per_frame: delivered ? round(cpuMs / delivered, 2) : null,
      xvfb_cpu_percent: xvfb0 !== null && xvfb1 !== null ? round(((xvfb1 - xvfb0) * 100) / elapsed, 1) : null,
      rss_mb: rss,
      resolutions,
      sender: stats,
    };
  } finally {
    for (const sink of sinks) sink.stop();
    track?.stop();
    if (pair) closeAll(pair.a, pair.b);
    painter.kill();
    text.kill();
    fs.rmSync(path.dirname(logPath), { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Parent

async function startXvfb(width, height) {
  let number = 150 + (process.pid % 50);
  while (fs.existsSync(`/tmp/.X11-unix/X${number}`) || fs.existsSync(`/tmp/.X${number}-lock`)) number++;
  const server = spawn('Xvfb', [`:${number}`, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp'], {
    stdio: 'ignore',
  });
  await until(`Xvfb :${number}`, () => fs.existsSync(`/tmp/.X11-unix/X${number}`));
  return { display: `:${number}`, pid: server.pid, stop: () => server.kill() };
}

const MEDIANS = [
  'delivered_fps',
  'capture_fps',
  'latency_ms_median',
  'latency_ms_p95',
  'capture_latency_ms_median',
  'capture_latency_ms_p95',
  'cpu_percent',
  'cpu_ms_per_frame',
  'xvfb_cpu_percent',
  'rss_mb',
];

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    process.stderr.write(
      'usage: node bench/screen.js [--impl <module>]... [--runs N] [--seconds S] [--warmup S] [--fps N] [--size WxH] ' +
        '[--paint-rate N] [--paint-area F]\n',
    );
    return;
  }
  if (opts.child) {
    let result;
    try {
      result = await childMain(opts);
    } catch (err) {
      result = { error: err.message };
    }
    process.stdout.write(`${JSON.stringify({ result })}\n`);
    setTimeout(() => {
      progress(`  still running ${EXIT_GRACE_MS} ms after closing everything; exiting`);
      process.exit(3);
    }, EXIT_GRACE_MS).unref();
    return;
  }
  const missing = ['Xvfb', 'xterm'].filter((p) => !have(p));
  if (missing.length) throw new Error(`${missing.join(' and ')} not installed: bash scripts/setup.sh --devices`);
  const entrants = resolveImpls(opts.impls).map(({ key }, i) => ({ key, name: opts.impls[i] }));
  const xvfb = await startXvfb(opts.width, opts.height);
  process.env.DISPLAY = xvfb.display;
  const slots = Object.fromEntries(entrants.map(({ key }) => [key, { runs: [], failures: [], exits: [] }]));
  try {
    for (let i = 0; i < opts.runs; i++) {
      for (const { key, name } of rotated(entrants, i)) {
        progress(`run ${i + 1}/${opts.runs} ${key}: ${opts.width}x${opts.height} at ${opts.fps} fps`);
        const job = {
          fps: opts.fps,
          seconds: opts.seconds,
          warmup: opts.warmup,
          paintRate: opts.paintRate,
          paintArea: opts.paintArea,
          width: opts.width,
          height: opts.height,
          xvfbPid: xvfb.pid,
        };
        const r = runChildJson(__filename, ['--impl', name, '--child', JSON.stringify(job)], {
          timeout: (opts.seconds + opts.warmup) * 1000 + CHILD_MARGIN_MS,
        });
        if (r.status !== 0) slots[key].exits.push(r.signal ?? `exit code ${r.status}`);
        const result = r.doc?.result;
        if (!result || result.error) {
          const why = result?.error ?? `child failed (${r.error ?? r.signal ?? r.status})`;
          slots[key].failures.push(`run ${i + 1}: ${why}`);
          progress(`  FAILED: ${why}`);
          continue;
        }
        slots[key].runs.push(result);
        progress(
          `  ${result.delivered_fps} fps delivered (captured ${result.capture_fps}), latency ${result.latency_ms_median} ms ` +
            `(capture ${result.capture_latency_ms_median}), cpu ${result.cpu_percent}%, Xvfb ${result.xvfb_cpu_percent}%, rss ${result.rss_mb} MB`,
        );
      }
    }
  } finally {
    xvfb.stop();
  }
  const results = {};
  const summary = {};
  for (const { key } of entrants) {
    const { runs, failures, exits } = slots[key];
    const med = Object.fromEntries(MEDIANS.map((f) => [f, round(median(runs.map((r) => r[f])), 2)]));
    results[key] = {
      median: med,
      n: runs.length,
      ...(failures.length ? { failures } : {}),
      ...(exits.length ? { child_abnormal_exits: exits } : {}),
      runs,
    };
    for (const f of MEDIANS) (summary[f] ??= {})[key] = med[f];
  }
  const doc = {
    machine: machine(),
    config: {
      runs: opts.runs,
      seconds: opts.seconds,
      warmup_seconds: opts.warmup,
      fps: opts.fps,
      size: `${opts.width}x${opts.height}`,
      paint_rate: opts.paintRate,
      paint_area: opts.paintArea,
    },
    summary,
    results,
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

runMain(main);
