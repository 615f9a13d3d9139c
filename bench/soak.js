'use strict';
// Soak benchmark: does memory grow with use?
//
//   node bench/soak.js                                  # this package: 10,000 cycles, 3 min media
//   node bench/soak.js --impl . --impl @roamhq/wrtc     # both, one child process each
//   options: --cycles N (10000)  --sample N (1000)  --media-minutes M (3; 0: no media soak)
//            --tests cycles,media (both)
//
// Prints ONE JSON document on stdout; progress goes to stderr.
//
// - cycles: N times in sequence: two RTCPeerConnections, a data channel, offer/answer with
//   trickled candidates, one message each way, both closed. Every --sample cycles the RSS is
//   read after GC (three gc() calls with a pause between them), and the JS heap too. The
//   growth rate is the least-squares slope of those samples, in KiB per 1,000 cycles, over the
//   samples after the first (the first thousand warm caches, the allocator and the JIT), and
//   over the second half alone: growth that stops (the allocator's arenas reaching their
//   working size) shows as a second-half slope near zero; a leak keeps its slope.
// - media: one pair carrying 640x360 video at 30 fps and Opus audio for --media-minutes, the RSS
//   read after GC every 10 s; the slope (MB per hour) over the second half of the run, and the
//   frames delivered, so a stall cannot pass for a flat line.
// Each test runs in a child process (node --expose-gc) per implementation; the child must end
// by itself once all is closed.

const path = require('node:path');
const { spawn } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const {
  progress,
  parseFlags,
  parseCount,
  resolveImpls,
  round,
  machine,
  runMain,
  trickleCandidates,
  offerAnswer,
  syntheticMedia,
} = require('./common');

const TESTS = ['cycles', 'media'];

async function settledMemory() {
  for (let i = 0; i < 3; i++) {
    global.gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

async function oneCycle({ RTCPeerConnection }) {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  try {
    const ca = a.createDataChannel('soak');
    const gotB = new Promise((resolve) => {
      b.ondatachannel = (e) => {
        e.channel.onmessage = (m) => {
          e.channel.send(`re: ${m.data}`);
          resolve();
        };
      };
    });
    const gotA = new Promise((resolve) => {
      ca.onmessage = () => resolve();
    });
    ca.onopen = () => ca.send('hello');
    const remoteSet = trickleCandidates(a, b, () => {});
    await offerAnswer(a, b, remoteSet);
    let timer;
    await Promise.race([
      Promise.all([gotA, gotB]),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no message within 20 s')), 20000);
      }),
    ]);
    clearTimeout(timer);
  } finally {
    a.close();
    b.close();
  }
}

async function cyclesChild(wrtc, { cycles, sample }) {
  const samples = [];
  const start = performance.now();
  const first = await settledMemory();
  samples.push({ cycles: 0, rss_mb: round(first.rss / 2 ** 20, 2), heap_mb: round(first.heap / 2 ** 20, 2) });
  for (let i = 1; i <= cycles; i++) {
    await oneCycle(wrtc);
    if (i % sample === 0) {
      const m = await settledMemory();
      samples.push({ cycles: i, rss_mb: round(m.rss / 2 ** 20, 2), heap_mb: round(m.heap / 2 ** 20, 2) });
      progress(
        `  ${i} cycles: RSS ${samples[samples.length - 1].rss_mb} MB, JS heap ${samples[samples.length - 1].heap_mb} MB`,
      );
    }
  }
  const wall = (performance.now() - start) / 1000;
  const later = samples.filter((s) => s.cycles >= sample);
  const rssSlope = slope(later.map((s) => [s.cycles / 1000, s.rss_mb * 1024]));
  const heapSlope = slope(later.map((s) => [s.cycles / 1000, s.heap_mb * 1024]));
  const secondHalf = samples.filter((s) => s.cycles >= cycles / 2);
  const rssSlopeLate = slope(secondHalf.map((s) => [s.cycles / 1000, s.rss_mb * 1024]));
  return {
    cycles,
    seconds: round(wall, 1),
    cycles_per_s: round(cycles / wall, 1),
    rss_growth_kib_per_1000_cycles: round(rssSlope, 1),
    rss_growth_kib_per_1000_cycles_second_half: round(rssSlopeLate, 1),
    js_heap_growth_kib_per_1000_cycles: round(heapSlope, 1),
    samples,
  };
}

async function mediaChild(wrtc, { minutes }) {
  const { RTCPeerConnection } = wrtc;
  const { RTCVideoSink, RTCAudioSink } = wrtc.nonstandard;
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  let frames = 0;
  let chunks = 0;
  const sinks = [];
  b.ontrack = (e) => {
    if (e.track.kind === 'video') {
      const sink = new RTCVideoSink(e.track);
      sink.onframe = () => frames++;
      sinks.push(sink);
    } else {
      const sink = new RTCAudioSink(e.track);
      sink.ondata = () => chunks++;
      sinks.push(sink);
    }
  };
  const media = syntheticMedia(wrtc);
  for (const t of media.tracks) a.addTrack(t, media.stream);
  const remoteSet = trickleCandidates(a, b, () => {});
  await offerAnswer(a, b, remoteSet);

  const start = performance.now();
  const samples = [];
  const end = start + minutes * 60000;
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, 10000));
    const m = await settledMemory();
    const s = {
      seconds: round((performance.now() - start) / 1000, 1),
      rss_mb: round(m.rss / 2 ** 20, 2),
      frames,
      chunks,
    };
    samples.push(s);
    progress(`  ${s.seconds} s: RSS ${s.rss_mb} MB, ${frames} frames, ${chunks} audio chunks delivered`);
  }
  media.stop();
  for (const sink of sinks) sink.stop();
  a.close();
  b.close();
  const half = samples.filter((s) => s.seconds >= (minutes * 60) / 2);
  const perSecond = slope(half.map((s) => [s.seconds, s.rss_mb]));
  const seconds = samples.length ? samples[samples.length - 1].seconds : 0;
  return {
    minutes,
    frames_delivered: frames,
    delivered_fps: round(frames / seconds, 1),
    audio_chunks_delivered: chunks,
    rss_growth_mb_per_hour: perSecond === null ? null : round(perSecond * 3600, 1),
    samples,
  };
}

function runChild(impl, test, options) {
  return new Promise((resolve) => {
    const proc = spawn(
      process.execPath,
      [
        '--expose-gc',
        __filename,
        '--child',
        test,
        '--impl',
        impl,
        '--cycles',
        String(options.cycles),
        '--sample',
        String(options.sample),
        '--media-minutes',
        String(options.mediaMinutes),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    let reportedAt = null;
    proc.stdout.setEncoding('utf8').on('data', (c) => {
      out += c;
      if (reportedAt === null && out.endsWith('\n')) {
        reportedAt = performance.now();
        setTimeout(() => proc.kill('SIGKILL'), 30000).unref();
      }
    });
    proc.on('exit', (code, signal) => {
      let result = null;
      try {
        result = JSON.parse(out);
      } catch {
        /* crashed before reporting */
      }
      resolve({
        result,
        exit: {
          code,
          signal,
          exited_by_itself: result !== null && signal === null,
          seconds_after_report: reportedAt === null ? null : round((performance.now() - reportedAt) / 1000, 2),
        },
      });
    });
  });
}

async function main() {
  const impls = [];
  const options = { cycles: 10000, sample: 1000, mediaMinutes: 3, tests: [...TESTS] };
  let child = null;
  parseFlags(process.argv.slice(2), (flag, value) => {
    switch (flag) {
      case '--impl':
        impls.push(value());
        return true;
      case '--cycles':
        options.cycles = parseCount(flag, value(), 1);
        return true;
      case '--sample':
        options.sample = parseCount(flag, value(), 1);
        return true;
      case '--media-minutes':
        options.mediaMinutes = Number(value());
        return true;
      case '--tests':
        options.tests = value().split(',').filter(Boolean);
        for (const t of options.tests) if (!TESTS.includes(t)) throw new Error(`unknown test '${t}'`);
        return true;
      case '--child':
        child = value();
        return true;
      default:
        return false;
    }
  });
  if (!(options.mediaMinutes >= 0)) throw new Error('--media-minutes wants a number >= 0');
  if (impls.length === 0) impls.push(path.join(__dirname, '..'));
  if (child) {
    const [{ key, wrtc }] = resolveImpls(impls.slice(0, 1));
    const result =
      child === 'cycles' ? await cyclesChild(wrtc, options) : await mediaChild(wrtc, { minutes: options.mediaMinutes });
    process.stdout.write(`${JSON.stringify({ impl: key, ...result })}\n`);
    return;
  }
  const results = {};
  for (const test of options.tests) {
    if (test === 'media' && options.mediaMinutes === 0) continue;
    for (const impl of impls) {
      progress(`${test}: ${impl}`);
      const r = await runChild(impl, test, options);
      (results[test] ??= {})[r.result?.impl ?? impl] = r;
    }
  }
  process.stdout.write(`${JSON.stringify({ bench: 'soak', machine: machine(), options, results }, null, 2)}\n`);
}

runMain(main);
