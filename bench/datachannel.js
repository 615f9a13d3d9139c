'use strict';
// Data channel benchmark: throughput (64 KiB and 16 KiB binary messages), message rate
// (100-byte binary messages) and the CPU each costs, for one or more WebRTC implementations
// in one run. Both peers live in this process and talk over loopback.
//
//   node bench/datachannel.js                                   # this package (its root)
//   node bench/datachannel.js --impl . --impl @roamhq/wrtc      # both, interleaved
//   node bench/datachannel.js --impl . --raw                    # + raw libwebrtc (bench/raw)
//   options: --runs N (3)  --seconds S (5)  --max-bytes N (256MiB; throughput only)
//            --low N (1MiB)  --high N (4MiB)  --tests a,b (all: throughput_64KiB,
//            throughput_16KiB, message_rate_100B)  --pacing auto|bufferedamountlow|window
//            --thread-cpu: each run also reports CPU ms per thread (Linux /proc; by thread name)
//
// Prints ONE JSON document on stdout; progress goes to stderr.
//
// Each run connects a fresh pair (not timed), then one ordered, reliable channel A→B carries
// messages of one size until --seconds have passed (or, for throughput, --max-bytes were
// sent); the run ends when B has received everything A sent, and fails unless the byte and
// message counts match. Figures: MB/s (1 MB = 1e6 bytes) and messages/s received, over the
// time from the first send to the last message received, and the process's CPU time
// (process.cpuUsage(): user + system of every thread, so libwebrtc's threads too) over the
// same interval, per MB and per message.
//
// Pacing: the sender keeps what is queued between --low and --high:
// - "bufferedamountlow": bufferedAmountLowThreshold = low; send while bufferedAmount + size
//   <= high; resume on the bufferedamountlow event (the W3C way).
// - "receiver-window": for implementations whose bufferedamountlow never fires (@roamhq/wrtc
//   has none): the bytes sent and not yet received (counted by the receiver, same process)
//   stay <= high; when the window is full, a 1 ms timer polls until it is <= low.
// With --pacing auto (the default) a short probe per implementation picks one, and the JSON
// reports which (and why).
//
// Runs are interleaved: for each run, each measurement, every implementation in turn (the
// order rotating each run), the raw baseline (--raw) among them as a separate process per
// measurement, so that machine noise hits all of them alike. Medians over --runs.

const fs = require('node:fs');
const { performance } = require('node:perf_hooks');
const {
  progress,
  parseFlags,
  parseCount,
  resolveImpls,
  rotated,
  median,
  round,
  machine,
  runMain,
  closeAll,
  trickleCandidates,
  offerAnswer,
  timeoutAfter,
  buildRaw,
  runRaw,
} = require('./common');

const RAW_PROGRAM = 'datachannel';
const RAW_KEY = 'raw-libtgowt';

const TESTS = {
  throughput_64KiB: { size: 64 * 1024, limitBytes: true },
  throughput_16KiB: { size: 16 * 1024, limitBytes: true },
  message_rate_100B: { size: 100, limitBytes: false },
};

const KiB = 1024;
const MiB = 1024 * 1024;
const CONNECT_TIMEOUT_MS = 10000;
// A run fails if nothing arrives for this long, or if draining after the last send takes longer.
const STALL_TIMEOUT_MS = 10000;
const DRAIN_TIMEOUT_MS = 30000;

// ---------------------------------------------------------------------------------------------
// Arguments and implementations

function parseBytes(flag, v) {
  const m = /^(\d+)(|KiB|MiB|GiB|k|M|G)$/.exec(v);
  if (!m) throw new Error(`${flag} wants a byte count (e.g. 268435456, 256MiB), got '${v}'`);
  const unit = { '': 1, KiB, MiB, GiB: 1024 * MiB, k: 1e3, M: 1e6, G: 1e9 }[m[2]];
  return Number(m[1]) * unit;
}

function parseArgs(argv) {
  const opts = {
    impls: [],
    runs: 3,
    seconds: 5,
    maxBytes: 256 * MiB,
    low: 1 * MiB,
    high: 4 * MiB,
    tests: Object.keys(TESTS),
    pacing: 'auto',
    raw: false,
    threadCpu: false,
  };
  parseFlags(argv, (flag, value) => {
    switch (flag) {
      case '--impl':
        opts.impls.push(value());
        break;
      case '--runs':
        opts.runs = parseCount(flag, value(), 1);
        break;
      case '--seconds': {
        const v = value();
        if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0)
          throw new Error(`--seconds wants a positive number, got '${v}'`);
        opts.seconds = Number(v);
        break;
      }
      case '--max-bytes':
        opts.maxBytes = parseBytes(flag, value());
        break;
      case '--low':
        opts.low = parseBytes(flag, value());
        break;
      case '--high':
        opts.high = parseBytes(flag, value());
        break;
      case '--tests': {
        opts.tests = value().split(',').filter(Boolean);
        for (const t of opts.tests)
          if (!TESTS[t]) throw new Error(`unknown test '${t}' (known: ${Object.keys(TESTS).join(', ')})`);
        break;
      }
      case '--pacing': {
        const v = value();
        if (!['auto', 'bufferedamountlow', 'window'].includes(v))
          throw new Error(`--pacing wants auto, bufferedamountlow or window, got '${v}'`);
        opts.pacing = v;
        break;
      }
      case '--raw':
        opts.raw = true;
        break;
      case '--thread-cpu':
        opts.threadCpu = true;
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
  if (opts.high <= opts.low) throw new Error('--high must be above --low');
  for (const t of opts.tests) {
    if (TESTS[t].size > opts.high - opts.low) throw new Error(`--high - --low must hold one ${t} message`);
  }
  if (opts.impls.length === 0 && !opts.raw) opts.impls.push('.');
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Statistics

/** The per-run figures derived from the raw counts (the same for JS and raw runs). */
function figures(r) {
  const ok = r.bytes_received === r.bytes_sent && r.messages_received === r.messages_sent;
  return {
    ...r,
    ok,
    MB_per_s: round(r.bytes_received / 1e6 / r.seconds),
    messages_per_s: round(r.messages_received / r.seconds, 1),
    cpu_us_per_MB: r.bytes_received ? round(r.cpu_us / (r.bytes_received / 1e6), 1) : null,
    cpu_us_per_message: r.messages_received ? round(r.cpu_us / r.messages_received) : null,
  };
}

function summarize(runs, failures) {
  const good = runs.filter((r) => r.ok);
  const out = {
    median: {
      MB_per_s: round(median(good.map((r) => r.MB_per_s))),
      messages_per_s: round(median(good.map((r) => r.messages_per_s)), 1),
      cpu_us_per_MB: round(median(good.map((r) => r.cpu_us_per_MB)), 1),
      cpu_us_per_message: round(median(good.map((r) => r.cpu_us_per_message))),
    },
    n: good.length,
    runs,
  };
  if (failures.length) out.failures = failures;
  return out;
}

/** CPU ms (user + system) per thread name of this process, from /proc (Linux), or null. */
function threadCpu() {
  const ticks = 100; // USER_HZ
  const out = {};
  let tids;
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return null;
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[name] = (out[name] ?? 0) + ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
    } catch {
      /* the thread ended */
    }
  }
  return out;
}

function threadCpuDelta(before, after) {
  if (!before || !after) return null;
  const d = {};
  for (const [name, ms] of Object.entries(after)) {
    const v = Math.round(ms - (before[name] ?? 0));
    if (v > 0) d[name] = v;
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// Connections

/** Two connected peers and an open ordered, reliable channel A→B (candidates trickled in-process). */
async function connectPair({ RTCPeerConnection }) {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  let timeout;
  try {
    const remoteSet = trickleCandidates(a, b, () => {
      /* the pair was closed meanwhile */
    });

    const opened = (dc) =>
      new Promise((resolve) => {
        if (dc.readyState === 'open') resolve(dc);
        else dc.addEventListener('open', () => resolve(dc), { once: true });
      });
    const dc = a.createDataChannel('bench', { ordered: true });
    dc.binaryType = 'arraybuffer';
    const openA = opened(dc);
    const openB = new Promise((resolve) => {
      b.addEventListener('datachannel', (e) => resolve(opened(e.channel)), { once: true });
    });

    await offerAnswer(a, b, remoteSet);

    timeout = timeoutAfter(
      CONNECT_TIMEOUT_MS,
      () =>
        `channel not open after ${CONNECT_TIMEOUT_MS} ms ` + `(ice ${a.iceConnectionState}/${b.iceConnectionState})`,
    );
    const [, rc] = await Promise.race([Promise.all([openA, openB]), timeout.promise]);
    rc.binaryType = 'arraybuffer';
    return { a, b, dc, rc };
  } catch (err) {
    closeAll(a, b);
    throw err;
  } finally {
    timeout?.cancel();
  }
}

// ---------------------------------------------------------------------------------------------
// Pacing probe: does bufferedamountlow fire?

async function probePacing(wrtc, { low, high }) {
  const { a, b, dc, rc } = await connectPair(wrtc);
  let timer;
  try {
    rc.onmessage = () => {};
    let fired = false;
    const event = new Promise((resolve) => {
      dc.addEventListener(
        'bufferedamountlow',
        () => {
          fired = true;
          resolve();
        },
        { once: true },
      );
    });
    if (!('bufferedAmountLowThreshold' in dc))
      return { pacing: 'receiver-window', reason: 'no bufferedAmountLowThreshold attribute' };
    dc.bufferedAmountLowThreshold = low;
    const payload = new Uint8Array(64 * KiB);
    let peak = 0;
    for (let sent = 0; sent + payload.length <= high; sent += payload.length) {
      dc.send(payload);
      peak = Math.max(peak, dc.bufferedAmount);
    }
    if (peak <= low) {
      return { pacing: 'receiver-window', reason: `bufferedAmount never rose above the threshold (peak ${peak})` };
    }
    await Promise.race([
      event,
      new Promise((resolve) => {
        timer = setTimeout(resolve, 3000);
      }),
    ]);
    return fired
      ? { pacing: 'bufferedamountlow', reason: 'bufferedamountlow fired' }
      : {
          pacing: 'receiver-window',
          reason: `no bufferedamountlow within 3 s (bufferedAmount now ${dc.bufferedAmount}, peak ${peak})`,
        };
  } finally {
    clearTimeout(timer);
    closeAll(a, b);
  }
}

// ---------------------------------------------------------------------------------------------
// One measurement

/**
 * Sends `size`-byte messages A→B for `seconds` (or until `maxBytes`, when given) on a fresh
 * pair, paced by `pacing`; resolves with the raw counts once B received everything.
 */
async function measureOnce(wrtc, { size, seconds, maxBytes, low, high, pacing, withThreadCpu }) {
  const { a, b, dc, rc } = await connectPair(wrtc);
  const timers = new Set();
  const later = (fn, ms) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
    return t;
  };
  try {
    const payload = new Uint8Array(size);
    for (let i = 0; i < size; i++) payload[i] = i & 0xff;
    const useEvent = pacing === 'bufferedamountlow';

    let sentBytes = 0;
    let sentMessages = 0;
    let receivedBytes = 0;
    let receivedMessages = 0;
    let sendDone = false;
    let finished = false;
    let t0 = 0;
    let tEnd = 0;
    let cpu0 = null;
    let cpu1 = null;
    let lastProgress = 0; // receivedBytes at the last stall check
    let lowEvents = 0; // bufferedamountlow events seen (for failure reports)
    let resolveDone;
    let rejectDone;
    const done = new Promise((resolve, reject) => {
      resolveDone = resolve;
      rejectDone = reject;
    });

    const finish = () => {
      if (finished) return;
      finished = true;
      tEnd = performance.now();
      cpu1 = process.cpuUsage(cpu0);
      resolveDone();
    };
    const fail = (why) => {
      if (finished) return;
      finished = true;
      rejectDone(new Error(why));
    };

    rc.onmessage = (e) => {
      receivedBytes += e.data.byteLength;
      receivedMessages++;
      if (sendDone && receivedBytes >= sentBytes) finish();
    };
    for (const [ch, side] of [
      [dc, 'A'],
      [rc, 'B'],
    ]) {
      ch.addEventListener('close', () =>
        fail(`channel ${side} closed during the run ` + `(sent ${sentBytes}, received ${receivedBytes})`),
      );
    }

    let deadline = 0;
    const endSending = () => {
      sendDone = true;
      if (receivedBytes >= sentBytes) finish();
      else
        later(
          () =>
            fail(
              `not drained ${DRAIN_TIMEOUT_MS} ms after the last send ` +
                `(sent ${sentBytes}, received ${receivedBytes})`,
            ),
          DRAIN_TIMEOUT_MS,
        );
    };
    const queued = useEvent ? () => dc.bufferedAmount : () => sentBytes - receivedBytes;

    const pump = () => {
      if (sendDone || finished) return;
      if (performance.now() >= deadline) return endSending();
      let room = high - queued();
      let n = 0;
      while (room >= size) {
        if (maxBytes && sentBytes + size > maxBytes) return endSending();
        dc.send(payload);
        sentBytes += size;
        sentMessages++;
        room -= size;
        if ((++n & 1023) === 0 && performance.now() >= deadline) return endSending();
      }
      if (useEvent) {
        // bufferedamountlow fires when bufferedAmount crosses the threshold downwards. If it
        // already went down meanwhile (it drains on libwebrtc's threads), go on at once.
        if (dc.bufferedAmount <= low) setImmediate(pump);
      } else {
        const poll = () => {
          if (sendDone || finished) return;
          if (sentBytes - receivedBytes <= low) pump();
          else later(poll, 1);
        };
        later(poll, 1);
      }
    };
    if (useEvent) {
      dc.bufferedAmountLowThreshold = low;
      dc.onbufferedamountlow = () => {
        lowEvents++;
        pump();
      };
    }
    const stallCheck = () => {
      if (finished) return;
      if (receivedBytes === lastProgress) {
        return fail(
          `no message received for ${STALL_TIMEOUT_MS} ms (sent ${sentBytes}, received ${receivedBytes}` +
            `${useEvent ? `, bufferedAmount ${dc.bufferedAmount}, ${lowEvents} bufferedamountlow events` : ''})`,
        );
      }
      lastProgress = receivedBytes;
      later(stallCheck, STALL_TIMEOUT_MS);
    };

    const threads0 = withThreadCpu ? threadCpu() : null;
    cpu0 = process.cpuUsage();
    t0 = performance.now();
    deadline = t0 + seconds * 1000;
    later(stallCheck, STALL_TIMEOUT_MS);
    pump();
    await done;
    const threads = withThreadCpu ? threadCpuDelta(threads0, threadCpu()) : null;

    const counts = {
      seconds: round((tEnd - t0) / 1000, 6),
      bytes_sent: sentBytes,
      bytes_received: receivedBytes,
      messages_sent: sentMessages,
      messages_received: receivedMessages,
      cpu_us: cpu1.user + cpu1.system,
    };
    if (threads) counts.thread_cpu_ms = threads;
    return counts;
  } finally {
    for (const t of timers) clearTimeout(t);
    dc.onbufferedamountlow = null;
    rc.onmessage = null;
    closeAll(a, b);
  }
}

// ---------------------------------------------------------------------------------------------
// The raw libwebrtc baseline (bench/raw)

/** One raw run of one test (a process of its own): its raw counts and its pacing. */
function runRawTest(test, { seconds, maxBytes, low, high, withThreadCpu }) {
  const doc = runRaw(
    RAW_PROGRAM,
    [
      '--tests',
      test,
      '--runs',
      '1',
      '--seconds',
      String(seconds),
      '--max-bytes',
      String(maxBytes),
      '--low',
      String(low),
      '--high',
      String(high),
      ...(withThreadCpu ? ['--thread-cpu'] : []),
    ],
    { maxBuffer: 16 * 1024 * 1024, timeout: seconds * 1000 + 120000 },
  );
  const res = doc?.results?.[RAW_KEY];
  const run = res?.[test]?.runs?.[0];
  if (!run) {
    const why = res?.[test]?.failures?.[0];
    throw new Error(`raw: no results["${RAW_KEY}"]["${test}"].runs[0] in its output${why ? `: ${why}` : ''}`);
  }
  const { MB_per_s, messages_per_s, cpu_us_per_MB, cpu_us_per_message, ok, ...counts } = run;
  return { counts, pacing: res.pacing };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    process.stderr.write(
      'usage: node bench/datachannel.js [--impl <module>]... [--raw] [--runs N] ' +
        '[--seconds S] [--max-bytes N] [--low N] [--high N] [--tests a,b] [--pacing auto|bufferedamountlow|window] [--thread-cpu]\n',
    );
    return;
  }
  const impls = resolveImpls(opts.impls, opts.raw ? [RAW_KEY] : []);
  const keys = impls.map((i) => i.key);
  if (opts.raw) keys.push(RAW_KEY);
  if (opts.raw) buildRaw(RAW_PROGRAM);

  const entrants = [...impls];
  if (opts.raw) entrants.push({ key: RAW_KEY, raw: true });

  const pacing = {};
  for (const { key, wrtc } of impls) {
    if (opts.pacing === 'auto') {
      progress(`${key}: probing bufferedamountlow`);
      const probe = await probePacing(wrtc, opts);
      pacing[key] = probe;
      progress(`  ${probe.pacing} (${probe.reason})`);
    } else {
      pacing[key] = {
        pacing: opts.pacing === 'window' ? 'receiver-window' : 'bufferedamountlow',
        reason: 'forced by --pacing',
      };
    }
  }

  const runs = Object.fromEntries(
    keys.map((k) => [k, Object.fromEntries(opts.tests.map((t) => [t, { runs: [], failures: [] }]))]),
  );
  for (let i = 0; i < opts.runs; i++) {
    for (const test of opts.tests) {
      const { size, limitBytes } = TESTS[test];
      const params = {
        size,
        seconds: opts.seconds,
        maxBytes: limitBytes ? opts.maxBytes : 0,
        low: opts.low,
        high: opts.high,
        withThreadCpu: opts.threadCpu,
      };
      for (const entrant of rotated(entrants, i)) {
        const slot = runs[entrant.key][test];
        try {
          let counts;
          if (entrant.raw) {
            const r = runRawTest(test, params);
            counts = r.counts;
            pacing[RAW_KEY] ??= { pacing: r.pacing, reason: 'bench/raw/datachannel.cc' };
          } else {
            counts = await measureOnce(entrant.wrtc, { ...params, pacing: pacing[entrant.key].pacing });
          }
          const run = figures(counts);
          slot.runs.push(run);
          if (!run.ok)
            slot.failures.push(
              `run ${i + 1}: received ${run.bytes_received} bytes / ${run.messages_received} messages of ${run.bytes_sent} / ${run.messages_sent} sent`,
            );
          progress(
            `run ${i + 1}/${opts.runs} ${test} ${entrant.key}: ${run.MB_per_s} MB/s, ${run.messages_per_s} msg/s, ` +
              `cpu ${run.cpu_us_per_MB} us/MB, ${run.cpu_us_per_message} us/msg${run.ok ? '' : ' (COUNTS DIFFER)'}` +
              `${run.thread_cpu_ms ? `; thread cpu ms ${JSON.stringify(run.thread_cpu_ms)}` : ''}`,
          );
        } catch (err) {
          slot.failures.push(`run ${i + 1}: ${err.message}`);
          progress(`run ${i + 1}/${opts.runs} ${test} ${entrant.key}: FAILED: ${err.message}`);
        }
      }
    }
  }

  const results = {};
  for (const key of keys) {
    results[key] = { pacing: pacing[key]?.pacing ?? null, pacing_reason: pacing[key]?.reason ?? null };
    for (const test of opts.tests) results[key][test] = summarize(runs[key][test].runs, runs[key][test].failures);
  }

  const ratios = {};
  if (opts.raw) {
    for (const { key } of impls) {
      const r = {};
      for (const test of opts.tests) {
        const metric = TESTS[test].limitBytes ? 'MB_per_s' : 'messages_per_s';
        const ours = results[key][test].median[metric];
        const raw = results[RAW_KEY][test].median[metric];
        r[test] = ours !== null && raw ? round(ours / raw) : null;
      }
      ratios[`${key} / ${RAW_KEY}`] = r;
    }
  }

  const doc = {
    machine: machine(),
    config: {
      runs: opts.runs,
      seconds: opts.seconds,
      max_bytes: opts.maxBytes,
      low_threshold: opts.low,
      high_water: opts.high,
      pacing: opts.pacing,
      tests: Object.fromEntries(
        opts.tests.map((t) => [
          t,
          { message_bytes: TESTS[t].size, max_bytes: TESTS[t].limitBytes ? opts.maxBytes : null },
        ]),
      ),
    },
    results,
  };
  if (opts.raw) doc.ratios = ratios;
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

runMain(main);
