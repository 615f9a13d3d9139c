'use strict';
const { spawnSync } = require('node:child_process');
// Negotiation benchmark: createAnswer latency, a full offer/answer exchange, and the time to
// connect (ICE and data channel open) for one or more WebRTC implementations in one run.
//
//   node bench/negotiation.js                                   # this package (its root)
//   node bench/negotiation.js --impl . --impl @roamhq/wrtc      # both, interleaved
//   node bench/negotiation.js --impl @roamhq/wrtc --raw         # + raw libwebrtc (bench/raw)
//   --raw-srtp-init-once: also the raw baseline with libsrtp initialised once for the process
//   (see bench/raw/negotiation.cc: Debian's NSS-backed libsrtp2 costs tens of ms per re-init)
//   options: --iterations N (200)  --connect-iterations N (30)  --warmup N (5)
//
// Prints ONE JSON document on stdout; progress goes to stderr.
// Implementations are interleaved iteration by iteration (the order rotating each iteration)
// so that machine noise hits all of them alike.

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

const RAW_PROGRAM = 'negotiation';
const RAW_VARIANTS = {
  raw: { key: 'raw-libtgowt', args: [] },
  rawSrtpInitOnce: { key: 'raw-libtgowt-srtp-init-once', args: ['--srtp-init-once'] },
};

const nowNs = () => process.hrtime.bigint();
const msSince = (t) => Number(process.hrtime.bigint() - t) / 1e6;

// ---------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const opts = { impls: [], iterations: 200, connectIterations: 30, warmup: 5, raw: false, rawSrtpInitOnce: false };
  parseFlags(argv, (flag, value) => {
    switch (flag) {
      case '--impl':
        opts.impls.push(value());
        break;
      case '--iterations':
        opts.iterations = parseCount(flag, value(), 0);
        break;
      case '--connect-iterations':
        opts.connectIterations = parseCount(flag, value(), 0);
        break;
      case '--warmup':
        opts.warmup = parseCount(flag, value(), 0);
        break;
      case '--raw':
        opts.raw = true;
        break;
      case '--raw-srtp-init-once':
        opts.rawSrtpInitOnce = true;
        break;
      case '--child':
        opts.child = true;
        break;
      case '--in-process':
        opts.inProcess = true;
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
  if (opts.impls.length === 0 && !opts.raw && !opts.rawSrtpInitOnce) opts.impls.push('.');
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Statistics

function summarize(samples, failures = 0) {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  const out = {
    median_ms: round(median(s)),
    p95_ms: n ? round(s[Math.min(n - 1, Math.ceil(0.95 * n) - 1)]) : null, // nearest rank
    n,
  };
  if (failures) out.failures = failures;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Measurements

/**
 * One fresh pair: offerer with a data channel + audio + video transceivers. Returns the time
 * of answerer.createAnswer() alone and of the whole exchange (createOffer → ... →
 * offerer.setRemoteDescription), in ms.
 */
async function exchangeOnce({ RTCPeerConnection }) {
  const offerer = new RTCPeerConnection();
  const answerer = new RTCPeerConnection();
  try {
    offerer.createDataChannel('bench');
    offerer.addTransceiver('audio');
    offerer.addTransceiver('video');
    const t0 = nowNs();
    const offer = await offerer.createOffer();
    await offerer.setLocalDescription(offer);
    await answerer.setRemoteDescription(offer);
    const tA = nowNs();
    const answer = await answerer.createAnswer();
    const createAnswerMs = msSince(tA);
    await answerer.setLocalDescription(answer);
    await offerer.setRemoteDescription(answer);
    const exchangeMs = msSince(t0);
    return { createAnswerMs, exchangeMs };
  } finally {
    closeAll(offerer, answerer);
  }
}

/**
 * One connection: from constructing two peers (the offerer with a data channel, candidates
 * trickled directly in-process) to both ICE connected/completed, and to the data channel open
 * on both sides. Returns { iceMs, openMs } in ms.
 */
async function connectOnce({ RTCPeerConnection }, timeoutMs = 10000) {
  const t0 = nowNs();
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  let timeout;
  const errors = [];
  try {
    const remoteSet = trickleCandidates(a, b, (err, to) => {
      if (to.signalingState !== 'closed') errors.push(`addIceCandidate: ${err.message}`);
    });

    const iceUp = (pc) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const s = pc.iceConnectionState;
          if (s === 'connected' || s === 'completed') resolve(msSince(t0));
          else if (s === 'failed' || s === 'closed') reject(new Error(`iceConnectionState ${s}`));
        };
        pc.addEventListener('iceconnectionstatechange', check);
      });
    const iceA = iceUp(a);
    const iceB = iceUp(b);

    const channelOpen = (dc) =>
      new Promise((resolve) => {
        if (dc.readyState === 'open') resolve(msSince(t0));
        else dc.addEventListener('open', () => resolve(msSince(t0)));
      });
    const dc = a.createDataChannel('bench');
    const openA = channelOpen(dc);
    const openB = new Promise((resolve) => {
      b.addEventListener('datachannel', (e) => resolve(channelOpen(e.channel)));
    });
    // Settled after this function may have given up on them (a failure, then close()).
    for (const p of [iceA, iceB, openA, openB]) p.catch(() => {});

    await offerAnswer(a, b, remoteSet);

    timeout = timeoutAfter(
      timeoutMs,
      () =>
        `not connected after ${timeoutMs} ms` +
        ` (ice ${a.iceConnectionState}/${b.iceConnectionState}${errors.length ? `; ${errors[0]}` : ''})`,
    );
    const [ia, ib] = await Promise.race([Promise.all([iceA, iceB]), timeout.promise]);
    const [oa, ob] = await Promise.race([Promise.all([openA, openB]), timeout.promise]);
    return { iceMs: Math.max(ia, ib), openMs: Math.max(oa, ob) };
  } finally {
    timeout?.cancel();
    closeAll(a, b);
  }
}

// ---------------------------------------------------------------------------------------------
// The raw libwebrtc baseline (bench/raw)

function runRawHalf({ key, args }, { iterations, connectIterations, warmup }) {
  const doc = runRaw(
    RAW_PROGRAM,
    [
      '--iterations',
      String(iterations),
      '--connect-iterations',
      String(connectIterations),
      '--warmup',
      String(warmup),
      '--samples',
      ...args,
    ],
    { maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60 * 1000 },
  );
  const res = doc?.results?.[key];
  if (!res) throw new Error(`raw: no results["${key}"] in its output`);
  return res;
}

// ---------------------------------------------------------------------------------------------

/** The JS measurements for `impls`, all in this process, appended to `samples`. */
async function measureInProcess(impls, opts, samples) {
  progress(`warm-up: ${opts.warmup} exchanges and ${Math.min(opts.warmup, 2)} connections per implementation`);
  for (let i = 0; i < opts.warmup; i++) for (const impl of impls) await exchangeOnce(impl.wrtc);
  for (let i = 0; i < Math.min(opts.warmup, 2); i++) for (const impl of impls) await connectOnce(impl.wrtc);

  progress(`createAnswer + exchange: ${opts.iterations} iterations x ${impls.length} implementation(s)`);
  for (let i = 0; i < opts.iterations; i++) {
    for (const { key, wrtc } of rotated(impls, i)) {
      const { createAnswerMs, exchangeMs } = await exchangeOnce(wrtc);
      samples[key].createAnswer.push(createAnswerMs);
      samples[key].exchange.push(exchangeMs);
    }
    if ((i + 1) % 50 === 0) progress(`  ${i + 1}/${opts.iterations}`);
  }

  progress(`connect: ${opts.connectIterations} iterations x ${impls.length} implementation(s)`);
  for (let i = 0; i < opts.connectIterations; i++) {
    for (const { key, wrtc } of rotated(impls, i)) {
      try {
        const { iceMs, openMs } = await connectOnce(wrtc);
        samples[key].connect_ice.push(iceMs);
        samples[key].connect_datachannel_open.push(openMs);
      } catch (err) {
        samples[key].connectFailures++;
        progress(`  ${key}: connect iteration ${i} failed: ${err.message}`);
      }
    }
    if ((i + 1) % 10 === 0) progress(`  ${i + 1}/${opts.connectIterations}`);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    process.stderr.write(
      'usage: node bench/negotiation.js [--impl <module>]... [--raw] ' +
        '[--raw-srtp-init-once] [--iterations N] [--connect-iterations N] [--warmup N] [--in-process]\n',
    );
    return;
  }
  const impls = resolveImpls(opts.impls);
  if (opts.child) {
    const samples = {
      createAnswer: [],
      exchange: [],
      connect_ice: [],
      connect_datachannel_open: [],
      connectFailures: 0,
    };
    await measureInProcess(impls, opts, { [impls[0].key]: samples });
    process.stdout.write(JSON.stringify({ samples }));
    return;
  }
  const raws = Object.entries(RAW_VARIANTS)
    .filter(([flag]) => opts[flag])
    .map(([, v]) => v);
  if (raws.length) buildRaw(RAW_PROGRAM);

  const samples = Object.fromEntries(
    impls.map(({ key }) => [
      key,
      {
        createAnswer: [],
        exchange: [],
        connect_ice: [],
        connect_datachannel_open: [],
        connectFailures: 0,
      },
    ]),
  );

  // The raw baseline runs in two halves, before and after the in-process measurements, so
  // that a slow phase of the machine does not fall entirely on one side.
  const rawHalves = new Map(raws.map((v) => [v, []]));
  const rawHalf = (n) => ({
    iterations: n === 0 ? Math.ceil(opts.iterations / 2) : Math.floor(opts.iterations / 2),
    connectIterations: n === 0 ? Math.ceil(opts.connectIterations / 2) : Math.floor(opts.connectIterations / 2),
    warmup: opts.warmup,
  });
  for (const v of raws) {
    progress(`${v.key}: first half`);
    rawHalves.get(v).push(runRawHalf(v, rawHalf(0)));
  }

  const exitCrashes = {};
  if (impls.length && (opts.inProcess || impls.length === 1)) {
    await measureInProcess(impls, opts, samples);
  } else if (impls.length) {
    // Each implementation in its own process, in alternating blocks, as the raw program runs:
    // in one process, one library's teardown work (threads, GC, finalizers) would land in the
    // other's measurements.
    const blocks = Math.max(1, Math.min(4, opts.iterations, opts.connectIterations || opts.iterations));
    const share = (total, b) => Math.floor(total / blocks) + (b < total % blocks ? 1 : 0);
    for (let b = 0; b < blocks; b++) {
      for (const k of rotated(
        impls.map((_, i) => i),
        b,
      )) {
        const { key } = impls[k];
        progress(`${key}: block ${b + 1}/${blocks} in a child process`);
        const child = spawnSync(
          process.execPath,
          [
            __filename,
            '--child',
            '--impl',
            opts.impls[k],
            '--iterations',
            String(share(opts.iterations, b)),
            '--connect-iterations',
            String(share(opts.connectIterations, b)),
            '--warmup',
            String(opts.warmup),
          ],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 },
        );
        let got;
        try {
          got = JSON.parse(child.stdout).samples;
        } catch {
          throw new Error(`${key}: child process failed (${child.status ?? child.signal}) before its results`);
        }
        // @roamhq/wrtc can crash at exit after printing (a finalizer bug of node-webrtc's):
        // its results stand, and the crash is counted.
        if (child.status !== 0) exitCrashes[key] = (exitCrashes[key] ?? 0) + 1;
        for (const metric of Object.keys(samples[key])) {
          if (metric === 'connectFailures') samples[key].connectFailures += got.connectFailures;
          else samples[key][metric].push(...got[metric]);
        }
      }
    }
  }

  if (rawHalf(1).iterations > 0 || rawHalf(1).connectIterations > 0) {
    for (const v of [...raws].reverse()) {
      progress(`${v.key}: second half`);
      rawHalves.get(v).push(runRawHalf(v, rawHalf(1)));
    }
  }

  const results = {};
  for (const { key } of impls) {
    const s = samples[key];
    const crashes = exitCrashes[key];
    results[key] = {
      ...(crashes ? { child_exit_crashes: crashes } : {}),
      createAnswer: summarize(s.createAnswer),
      exchange: summarize(s.exchange),
      connect_ice: summarize(s.connect_ice, s.connectFailures),
      connect_datachannel_open: summarize(s.connect_datachannel_open, s.connectFailures),
    };
  }
  for (const [v, halves] of rawHalves) {
    const merged = {};
    for (const metric of ['createAnswer', 'exchange', 'connect_ice', 'connect_datachannel_open']) {
      const all = halves.flatMap((h) => h[metric]?.samples_ms ?? []);
      const failures = halves.reduce((n, h) => n + (h[metric]?.failures ?? 0), 0);
      merged[metric] = summarize(all, failures);
    }
    results[v.key] = merged;
  }

  const doc = {
    machine: machine(),
    config: { iterations: opts.iterations, connect_iterations: opts.connectIterations, warmup: opts.warmup },
    results,
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

runMain(main);
