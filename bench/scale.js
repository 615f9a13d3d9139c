'use strict';
// Scale benchmark: many connected pairs in one process. Each pair is two RTCPeerConnections in
// this process with an open data channel; every second each end of every open channel sends
// one message. Pairs are set up --batch at a time until --pairs are connected (or set-up
// fails), held for --seconds, then every connection is closed and the process must exit by
// itself.
//
//   node bench/scale.js                                       # this package, 1,000 pairs
//   node bench/scale.js --impl . --impl @roamhq/wrtc          # both, one child process each
//   options: --pairs N (1000)  --batch N (50)  --seconds S (10)  --runs N (1)
//            --workers N (0: all in the child's main thread; N: the pairs split over N
//            worker_threads, each with its own runtime)
//            --media: each pair also carries 640x360 video at 30 fps and Opus audio (one
//            nonstandard RTCVideoSource and one RTCAudioSource, their tracks added to every
//            pair, so each sender encodes for itself, as a server fanning one stream out does)
//
// Prints ONE JSON document on stdout; progress goes to stderr. Figures per implementation:
// - connected: pairs whose channel opened at both ends; failed, and the first errors.
// - setup_s / close_s: wall time to set up all pairs (batches in sequence, pairs within a batch
//   concurrently) and to close all of them.
// - rss_per_pair_kib: (RSS with every pair connected − RSS with one pair), both after GC, over
//   the pairs beyond the first; fds_per_pair and threads_per_pair the same way, and for this
//   package heap_in_use_per_pair_kib, the C heap in use (glibc's mallinfo2): live memory,
//   apart from what the allocator keeps.
// - after_close: RSS (and heap in use), fds and threads two seconds after everything is
//   closed, next to the baseline before the first connection; exited_by_itself: the child's
//   process ended on its own within 30 s of its last report (no timers of ours left, so only
//   the implementation can keep it alive).
// - messages: sent, received and lost (sent − received at the end of the hold, with a second's
//   grace) over the whole run.
// - media (--media): over the hold, frames delivered per second per pair (median, min), audio
//   10 ms chunks delivered per second per pair, and the process's CPU time as a share of one
//   core.
// Each implementation runs in its own child process (node --expose-gc), so a crash or fd
// exhaustion of one does not take the others down; what it reported before dying is kept.

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const {
  progress,
  parseFlags,
  parseCount,
  parsePositive,
  resolveImpls,
  median,
  round,
  machine,
  runMain,
  trickleCandidates,
  offerAnswer,
  syntheticMedia,
} = require('./common');

const PAIR_TIMEOUT_MS = 30000;
const EXIT_TIMEOUT_MS = 30000;
// A child that reports nothing for this long is stuck (an implementation blocking its event
// loop, say, once it runs out of descriptors): killed, and reported as stalled.
const STALL_TIMEOUT_MS = 180000;

// ---------------------------------------------------------------------------------------------
// What the process holds

function countFds() {
  return fs.readdirSync('/proc/self/fd').length;
}
function countThreads() {
  const m = /^Threads:\s+(\d+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : null;
}
async function settledRss() {
  for (let i = 0; i < 3; i++) {
    global.gc();
    await new Promise((r) => setTimeout(r, 100));
  }
  return process.memoryUsage.rss();
}
// The C heap in use (glibc's mallinfo2, through this package's binding), which tells live
// memory from pages the allocator keeps: read in this package's runs only, since loading it
// into another implementation's process would change what is measured there.
let heapInUse = () => null;
function readHeapOf(key) {
  if (key !== require('../package.json').name) return;
  const { binding } = require('../dist/binding.js');
  heapInUse = () => binding.heapInUse();
}
async function snapshot() {
  const rss = await settledRss();
  return { rss, heap: heapInUse(), fds: countFds(), threads: countThreads() };
}
/** A snapshot as reported: MB, and the heap in use where it is read (else null). */
function reported(s) {
  const mb = (bytes) => (bytes == null ? null : round(bytes / 2 ** 20, 1));
  return { rss_mb: mb(s.rss), heap_in_use_mb: mb(s.heap), fds: s.fds, threads: s.threads };
}

// ---------------------------------------------------------------------------------------------
// Pairs

/** Sets up one pair; resolves with { a, b, ca, cb } once the channel is open at both ends. */
function connectPair(wrtc, counters, media) {
  const { RTCPeerConnection } = wrtc;
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  const pair = { a, b, ca: null, cb: null, sinks: [], frames: 0, chunks: 0 };
  if (media) {
    for (const track of media.tracks) a.addTrack(track, media.stream);
    b.ontrack = (e) => {
      const { RTCVideoSink, RTCAudioSink } = wrtc.nonstandard;
      if (e.track.kind === 'video') {
        const sink = new RTCVideoSink(e.track);
        sink.onframe = () => pair.frames++;
        pair.sinks.push(sink);
      } else {
        const sink = new RTCAudioSink(e.track);
        sink.ondata = () => pair.chunks++;
        pair.sinks.push(sink);
      }
    };
  }
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`not connected after ${PAIR_TIMEOUT_MS} ms (ice ${a.iceConnectionState}/${b.iceConnectionState})`),
        ),
      PAIR_TIMEOUT_MS,
    );
    let open = 0;
    const opened = () => {
      if (++open === 2) {
        clearTimeout(timer);
        resolve(pair);
      }
    };
    const onMessage = () => counters.received++;
    pair.ca = a.createDataChannel('m');
    pair.ca.onmessage = onMessage;
    pair.ca.onopen = opened;
    b.ondatachannel = (e) => {
      pair.cb = e.channel;
      pair.cb.onmessage = onMessage;
      if (pair.cb.readyState === 'open') opened();
      else pair.cb.onopen = opened;
    };
    const fail = (state) => () => {
      if (a.connectionState === 'failed' || b.connectionState === 'failed') {
        clearTimeout(timer);
        reject(new Error(`connectionState ${state} failed`));
      }
    };
    a.onconnectionstatechange = fail('a');
    b.onconnectionstatechange = fail('b');
    const remoteSet = trickleCandidates(a, b, () => {});
    offerAnswer(a, b, remoteSet).catch((err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  return { pair, done };
}

function closePair(pair) {
  for (const sink of pair.sinks) sink.stop();
  for (const pc of [pair.a, pair.b]) {
    try {
      pc.close();
    } catch {
      /* closed */
    }
  }
}

/**
 * The measured run in one thread: sets up `pairs` pairs, holds them `seconds`, closes them.
 * `report(doc)` gets progress documents ({ phase, ... }).
 */
async function runLoad(wrtc, { pairs, batch, seconds, media: withMedia }, report) {
  const counters = { sent: 0, received: 0 };
  const base = await snapshot();
  const media = withMedia ? syntheticMedia(wrtc) : null;
  const live = [];
  const errors = [];
  let failed = 0;

  const ticker = setInterval(() => {
    for (const p of live) {
      for (const c of [p.ca, p.cb]) {
        if (c && c.readyState === 'open') {
          try {
            c.send('ping');
            counters.sent++;
          } catch (err) {
            if (errors.length < 5) errors.push(`send: ${err.message}`);
          }
        }
      }
    }
  }, 1000);

  async function addBatch(n) {
    const started = [];
    for (let i = 0; i < n; i++) {
      try {
        started.push(connectPair(wrtc, counters, media));
      } catch (err) {
        // A constructor throwing (fds exhausted, say) ends set-up.
        failed += n - i;
        if (errors.length < 5) errors.push(`constructor: ${err.message}`);
        break;
      }
    }
    const results = await Promise.allSettled(started.map((s) => s.done));
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') live.push(r.value);
      else {
        failed++;
        if (errors.length < 5) errors.push(r.reason.message);
        closePair(started[i].pair);
      }
    });
  }

  // One pair first: the baseline the per-pair figures are taken over.
  await addBatch(1);
  const one = await snapshot();
  const setupStart = performance.now();
  while (live.length < pairs && failed === 0) {
    await addBatch(Math.min(batch, pairs - live.length));
    report({
      phase: 'batch',
      connected: live.length,
      failed,
      fds: countFds(),
      threads: countThreads(),
      rss_mb: round(process.memoryUsage.rss() / 2 ** 20, 1),
    });
  }
  const setupS = (performance.now() - setupStart) / 1000;
  const sentBeforeHold = counters.sent;
  const framesBefore = live.map((p) => [p.frames, p.chunks]);
  const cpuStart = process.cpuUsage();
  const holdStart = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const holdS = (performance.now() - holdStart) / 1000;
  const cpuShare = (process.cpuUsage(cpuStart).user + process.cpuUsage(cpuStart).system) / 1e6 / holdS;
  const fps = live.map((p, i) => (p.frames - framesBefore[i][0]) / holdS);
  const chunksPerS = live.map((p, i) => (p.chunks - framesBefore[i][1]) / holdS);
  media?.stop();
  const all = await snapshot();
  clearInterval(ticker);
  await new Promise((r) => setTimeout(r, 1000)); // the last second's messages arrive
  const n = live.length;
  const closeStart = performance.now();
  for (const p of live) closePair(p);
  const closeS = (performance.now() - closeStart) / 1000;
  live.length = 0;
  // Two seconds: libwebrtc-node gives the freed heap back a second after the last close.
  await new Promise((r) => setTimeout(r, 2000));
  const after = await snapshot();
  const per = (key) => (n > 1 ? round((all[key] - one[key]) / (n - 1), 2) : null);
  return {
    pairs_requested: pairs,
    connected: n,
    failed,
    errors,
    setup_s: round(setupS, 2),
    close_s: round(closeS, 3),
    rss_per_pair_kib: n > 1 ? round((all.rss - one.rss) / (n - 1) / 1024, 1) : null,
    heap_in_use_per_pair_kib: n > 1 && all.heap != null ? round((all.heap - one.heap) / (n - 1) / 1024, 1) : null,
    fds_per_pair: per('fds'),
    threads_per_pair: per('threads'),
    baseline: reported(base),
    one_pair: reported(one),
    all_pairs: reported(all),
    after_close: reported(after),
    messages: {
      sent: counters.sent,
      received: counters.received,
      lost: counters.sent - counters.received,
      sent_during_hold: counters.sent - sentBeforeHold,
    },
    hold_cpu_cores: round(cpuShare, 2),
    media: media
      ? {
          sent_fps: media.fps,
          delivered_fps_median: round(median(fps), 1),
          delivered_fps_min: round(Math.min(...fps), 1),
          audio_chunks_per_s_median: round(median(chunksPerS), 1),
          audio_chunks_per_s_min: round(Math.min(...chunksPerS), 1),
        }
      : null,
  };
}

// ---------------------------------------------------------------------------------------------
// The child: one implementation, in its main thread or split over workers

async function child(options) {
  const [{ key, wrtc }] = resolveImpls([options.impl]);
  readHeapOf(key);
  const out = (doc) => process.stdout.write(`${JSON.stringify({ impl: key, ...doc })}\n`);
  if (options.workers === 0) {
    const result = await runLoad(wrtc, options, out);
    out({ phase: 'result', ...result });
    return;
  }
  // Workers: each runs pairs/workers of the load with its own runtime; the figures are the
  // process's (fds, threads, RSS read in the main thread after every worker reported).
  const { Worker } = require('node:worker_threads');
  const base = await snapshot();
  const per = Math.ceil(options.pairs / options.workers);
  const start = performance.now();
  const results = await Promise.all(
    Array.from(
      { length: options.workers },
      (_, i) =>
        new Promise((resolve, reject) => {
          const w = new Worker(__filename, {
            argv: [
              '--worker',
              '--impl',
              options.impl,
              '--pairs',
              String(Math.min(per, options.pairs - i * per)),
              '--batch',
              String(options.batch),
              '--seconds',
              String(options.seconds),
              ...(options.media ? ['--media'] : []),
            ],
          });
          let last = null;
          w.on('message', (doc) => {
            if (doc.phase === 'result') last = doc;
            else out({ ...doc, worker: i });
          });
          w.on('error', reject);
          w.on('exit', (code) =>
            last ? resolve(last) : reject(new Error(`worker ${i} exited ${code} without a result`)),
          );
        }),
    ),
  );
  const wall = (performance.now() - start) / 1000;
  const after = await snapshot();
  const sum = (k) => results.reduce((s, r) => s + r[k], 0);
  out({
    phase: 'result',
    workers: options.workers,
    connected: sum('connected'),
    failed: sum('failed'),
    errors: results.flatMap((r) => r.errors).slice(0, 5),
    setup_s_per_worker: results.map((r) => r.setup_s),
    setup_s: round(Math.max(...results.map((r) => r.setup_s)), 2),
    wall_s: round(wall, 2),
    baseline: reported(base),
    after_close: reported(after),
    messages: {
      sent: results.reduce((s, r) => s + r.messages.sent, 0),
      received: results.reduce((s, r) => s + r.messages.received, 0),
    },
  });
}

async function worker(options) {
  const { parentPort } = require('node:worker_threads');
  const [{ wrtc }] = resolveImpls([options.impl]);
  const result = await runLoad(wrtc, options, (doc) => parentPort.postMessage(doc));
  parentPort.postMessage({ phase: 'result', ...result });
}

/** Runs one implementation's child; resolves with its last result and how the process ended. */
function runChild(impl, options) {
  return new Promise((resolve) => {
    const args = [
      '--expose-gc',
      __filename,
      '--child',
      '--impl',
      impl,
      '--pairs',
      String(options.pairs),
      '--batch',
      String(options.batch),
      '--seconds',
      String(options.seconds),
      '--workers',
      String(options.workers),
      ...(options.media ? ['--media'] : []),
    ];
    const started = performance.now();
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    let result = null;
    let lastBatch = null;
    let reportedAt = null;
    let stderr = '';
    let stalled = false;
    let stallTimer = null;
    const watch = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => {
        stalled = true;
        proc.kill('SIGKILL');
      }, STALL_TIMEOUT_MS);
    };
    watch();
    proc.stdout.setEncoding('utf8').on('data', (chunk) => {
      if (result === null) watch();
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let doc;
        try {
          doc = JSON.parse(line);
        } catch {
          continue;
        }
        if (doc.phase === 'result') {
          result = doc;
          clearTimeout(stallTimer);
          reportedAt = performance.now();
          // From here the child has nothing left of ours: it must end by itself.
          setTimeout(() => proc.kill('SIGKILL'), EXIT_TIMEOUT_MS).unref();
        } else {
          lastBatch = doc;
          progress(
            `${impl}: ${doc.worker !== undefined ? `worker ${doc.worker}: ` : ''}${doc.connected} connected, ${doc.failed} failed, ${doc.fds} fds, ${doc.threads} threads, ${doc.rss_mb} MB`,
          );
        }
      }
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(stallTimer);
      const exitS = reportedAt !== null ? round((performance.now() - reportedAt) / 1000, 2) : null;
      resolve({
        result,
        last_progress: result ? undefined : lastBatch,
        exit: {
          code,
          signal,
          stalled,
          exited_by_itself: result !== null && signal === null,
          seconds_after_report: exitS,
        },
        stderr_tail: code === 0 && signal === null ? undefined : stderr.split('\n').filter(Boolean).slice(-8),
        wall_s: round((performance.now() - started) / 1000, 1),
      });
    });
  });
}

async function main() {
  const impls = [];
  const options = { pairs: 1000, batch: 50, seconds: 10, runs: 1, workers: 0, media: false };
  let mode = 'parent';
  parseFlags(process.argv.slice(2), (flag, value) => {
    switch (flag) {
      case '--impl':
        impls.push(value());
        return true;
      case '--pairs':
        options.pairs = parseCount(flag, value(), 1);
        return true;
      case '--batch':
        options.batch = parseCount(flag, value(), 1);
        return true;
      case '--seconds':
        options.seconds = parsePositive(flag, value());
        return true;
      case '--runs':
        options.runs = parseCount(flag, value(), 1);
        return true;
      case '--workers':
        options.workers = parseCount(flag, value(), 0);
        return true;
      case '--media':
        options.media = true;
        return true;
      case '--child':
        mode = 'child';
        return true;
      case '--worker':
        mode = 'worker';
        return true;
      default:
        return false;
    }
  });
  if (impls.length === 0) impls.push(path.join(__dirname, '..'));
  if (mode === 'child') return child({ ...options, impl: impls[0] });
  if (mode === 'worker') return worker({ ...options, impl: impls[0] });

  const runs = {};
  for (let run = 0; run < options.runs; run++) {
    for (const impl of impls) {
      progress(
        `run ${run + 1}/${options.runs}: ${impl}, ${options.pairs} pairs, ${options.batch} at a time${options.workers ? `, ${options.workers} workers` : ''}`,
      );
      const r = await runChild(impl, options);
      const key = r.result?.impl ?? impl;
      (runs[key] ??= []).push(r);
    }
  }
  process.stdout.write(`${JSON.stringify({ bench: 'scale', machine: machine(), options, runs }, null, 2)}\n`);
}

runMain(main);
