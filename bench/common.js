'use strict';
// What the benches (negotiation, datachannel, media, screen) share: argument parsing, loading
// the implementations, connecting an in-process pair (with a media track), statistics, CPU and
// RSS, running one measurement in a child process, and building and running the raw libwebrtc
// baselines (bench/raw). Each bench keeps what it measures and prints.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');

const PACKAGE_ROOT = path.join(__dirname, '..');
const RAW_DIR = path.join(__dirname, 'raw');
const RAW_BUILD = path.join(RAW_DIR, 'build');

const progress = (line) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// Arguments and implementations

/**
 * Calls `onFlag(flag, value)` for each argument; `value()` takes the flag's value (`--flag=v`,
 * or else the next argument). `onFlag` returns false for a flag it does not know.
 */
function parseFlags(argv, onFlag) {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = () => {
      if (eq > 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    if (!onFlag(flag, value)) throw new Error(`unknown argument '${a}'`);
  }
}

function parseCount(flag, v, min) {
  if (!/^\d+$/.test(v) || Number(v) < min) throw new Error(`${flag} wants an integer >= ${min}, got '${v}'`);
  return Number(v);
}

/** A positive number (`--seconds 1.5`). */
function parsePositive(flag, v) {
  if (!/^\d+(\.\d+)?$/.test(v) || Number(v) <= 0) throw new Error(`${flag} wants a positive number, got '${v}'`);
  return Number(v);
}

function resolveImpl(name) {
  const isPath = name.startsWith('.') || path.isAbsolute(name);
  const target = isPath ? path.resolve(name) : name;
  // The package root is reported under the package's name, whatever path named it.
  const isRoot = isPath && target === PACKAGE_ROOT;
  const key = isRoot ? require(path.join(PACKAGE_ROOT, 'package.json')).name : name;
  let wrtc;
  try {
    wrtc = require(target);
  } catch (err) {
    const hint = isRoot ? ' (is the package built? `npm run setup`)' : '';
    throw new Error(`cannot load '${name}'${hint}: ${err.message}`);
  }
  if (wrtc && typeof wrtc.RTCPeerConnection !== 'function' && wrtc.default) wrtc = wrtc.default;
  if (!wrtc || typeof wrtc.RTCPeerConnection !== 'function')
    throw new Error(`'${name}' does not export RTCPeerConnection`);
  return { key, wrtc };
}

/**
 * Loads the named implementations; `otherKeys` (the raw baselines) share the results' key
 * space with them, so no two of all those keys may be the same.
 */
function resolveImpls(names, otherKeys = []) {
  const impls = names.map(resolveImpl);
  const keys = [...impls.map((i) => i.key), ...otherKeys];
  if (new Set(keys).size !== keys.length) throw new Error(`the same implementation is named twice: ${keys.join(', ')}`);
  return impls;
}

/** `list` rotated left by `i`: iteration i starts with a different entrant each time. */
const rotated = (list, i) => list.map((_, k) => list[(i + k) % list.length]);

// ---------------------------------------------------------------------------------------------
// Statistics and output

/** The median of the finite numbers in `values`, or null when there are none. */
function median(values) {
  const s = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  const n = s.length;
  if (!n) return null;
  return n % 2 ? s[n >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** The nearest-rank `p` percentile (0 < p <= 1) of the finite numbers in `values`, or null. */
function percentile(values, p) {
  const s = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (!s.length) return null;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
}

const round = (x, digits = 3) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpu_model: cpus[0]?.model?.trim() ?? null,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Runs the bench's main(): its error is one line on stderr and exit code 1. */
function runMain(main) {
  main().catch((err) => {
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = 1;
  });
}

/**
 * Runs `node <script> ...args` and parses the JSON document its stdout ends with (stderr goes
 * to ours, as progress). Returns { doc, status, signal }; doc is null when the child printed no
 * JSON (it crashed or timed out before). A child that printed its JSON and then exited
 * abnormally (some implementations crash in finalizers at exit) still returns its doc: the
 * caller decides what the exit status means.
 */
function runChildJson(script, args, { timeout, maxBuffer = 64 << 20 } = {}) {
  const r = spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer,
    timeout,
    killSignal: 'SIGKILL',
  });
  let doc = null;
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    /* no (complete) document */
  }
  return { doc, status: r.status, signal: r.signal, error: r.error ? r.error.message : null };
}

// ---------------------------------------------------------------------------------------------
// Two peers in this process

function closeAll(...pcs) {
  for (const pc of pcs) {
    try {
      pc.close();
    } catch {
      /* already closed */
    }
  }
}

/**
 * Sends each peer's candidates straight to the other one, held until the receiver has a
 * remote description (addIceCandidate() rejects before). Returns `remoteSet(pc)`, to call
 * once `pc`'s setRemoteDescription() resolved. `onError(err, to)` sees failed additions.
 */
function trickleCandidates(a, b, onError) {
  const ready = new Map();
  for (const [from, to] of [
    [a, b],
    [b, a],
  ]) {
    let resolve;
    const p = new Promise((r) => {
      resolve = r;
    });
    ready.set(to, resolve);
    from.addEventListener('icecandidate', (e) => {
      if (!e.candidate) return;
      const c = e.candidate;
      p.then(() => to.addIceCandidate(c)).catch((err) => onError(err, to));
    });
  }
  return (pc) => ready.get(pc)();
}

/**
 * Offer from `a`, answer from `b`; `remoteSet(pc)` after each setRemoteDescription().
 * `editAnswer(sdp)`, when given, returns the SDP the answer is applied with on both sides
 * (e.g. to ask for stereo Opus, as browser code does).
 */
async function offerAnswer(a, b, remoteSet, { editAnswer } = {}) {
  const offer = await a.createOffer();
  await a.setLocalDescription(offer);
  await b.setRemoteDescription(offer);
  remoteSet(b);
  let answer = await b.createAnswer();
  if (editAnswer) answer = { type: answer.type, sdp: editAnswer(answer.sdp) };
  await b.setLocalDescription(answer);
  await a.setRemoteDescription(answer);
  remoteSet(a);
}

/**
 * A promise that rejects `ms` from now with new Error(why()) (why() is called then, to report
 * the state at that time), to race against; cancel() when done with it.
 */
function timeoutAfter(ms, why) {
  let timer;
  const promise = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(why())), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

// ---------------------------------------------------------------------------------------------
// Media over a pair, and what a process spends

/**
 * A connected pair sending `track` from a to b; resolves with { a, b, remoteTrack } once b
 * has the remote track and ICE is connected. `degradation`: the sender's degradationPreference,
 * set before the offer; `editAnswer`: see offerAnswer().
 */
async function connectTrack(
  { RTCPeerConnection, MediaStream },
  track,
  { degradation = null, editAnswer, timeoutMs = 15000 } = {},
) {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  let timeout;
  try {
    const remoteSet = trickleCandidates(a, b, () => {
      /* the pair was closed meanwhile */
    });
    const gotTrack = new Promise((resolve) => {
      b.addEventListener('track', (e) => resolve(e.track), { once: true });
    });
    const connected = (pc) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const s = pc.iceConnectionState;
          if (s === 'connected' || s === 'completed') resolve();
          else if (s === 'failed' || s === 'closed') reject(new Error(`iceConnectionState ${s}`));
        };
        pc.addEventListener('iceconnectionstatechange', check);
        check();
      });
    const iceA = connected(a);
    const iceB = connected(b);
    for (const p of [gotTrack, iceA, iceB]) p.catch(() => {});
    const sender = MediaStream ? a.addTrack(track, new MediaStream([track])) : a.addTrack(track);
    // Before the offer: set later, @roamhq/wrtc rejects any setParameters() ("modified SSRC").
    let degradationSet = null;
    if (degradation) {
      try {
        await sender.setParameters({ ...sender.getParameters(), degradationPreference: degradation });
        degradationSet = sender.getParameters().degradationPreference === degradation ? true : 'ignored';
      } catch (err) {
        degradationSet = `${err.name}: ${err.message}`;
      }
    }
    await offerAnswer(a, b, remoteSet, { editAnswer });
    timeout = timeoutAfter(
      timeoutMs,
      () => `not connected after ${timeoutMs} ms ` + `(ice ${a.iceConnectionState}/${b.iceConnectionState})`,
    );
    const [remoteTrack] = await Promise.race([Promise.all([gotTrack, iceA, iceB]), timeout.promise]);
    return { a, b, remoteTrack, degradationSet };
  } catch (err) {
    closeAll(a, b);
    throw err;
  } finally {
    timeout?.cancel();
  }
}

/** What the sending side's outbound-rtp stats say about a video stream (best effort). */
async function senderVideoStats(pc) {
  try {
    const report = await pc.getStats();
    let out = null;
    const byId = new Map();
    report.forEach((s) => {
      byId.set(s.id, s);
      if (s.type === 'outbound-rtp' && (s.kind ?? s.mediaType) === 'video') out = s;
    });
    if (!out) return null;
    const codec = out.codecId ? byId.get(out.codecId) : null;
    return {
      codec: codec?.mimeType ?? null,
      encoder: out.encoderImplementation ?? null,
      sent_resolution: out.frameWidth && out.frameHeight ? `${out.frameWidth}x${out.frameHeight}` : null,
      quality_limitation_reason: out.qualityLimitationReason ?? null,
      target_bitrate_kbps: typeof out.targetBitrate === 'number' ? Math.round(out.targetBitrate / 1000) : null,
    };
  } catch {
    return null;
  }
}

/** Samples RSS every 250 ms until stop(); stop() returns the peak in MB. */
function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 250);
  return () => {
    clearInterval(timer);
    return round(Math.max(peak, process.memoryUsage.rss()) / 2 ** 20, 1);
  };
}

function cpuMsSince(start) {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/**
 * One 640x360 video source at 30 fps (a moving bar, so the encoder has work) and one 48 kHz mono
 * audio source (a 440 Hz tone in 10 ms chunks), paced by a drift-free timer; their tracks go to
 * every pair (bench/scale.js) or the one call (bench/soak.js).
 */
function syntheticMedia(wrtc) {
  const { RTCVideoSource, RTCAudioSource } = wrtc.nonstandard;
  const video = new RTCVideoSource();
  const audio = new RTCAudioSource();
  const tracks = [video.createTrack(), audio.createTrack()];
  const stream = new wrtc.MediaStream(tracks);
  const width = 640;
  const height = 360;
  const fps = 30;
  const data = new Uint8ClampedArray(width * height * 1.5).fill(128);
  const samples = new Int16Array(480);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 48000));
  const start = performance.now();
  let frames = 0;
  let chunks = 0;
  const timer = setInterval(() => {
    const elapsed = performance.now() - start;
    while (chunks * 10 <= elapsed) {
      audio.onData({ samples, sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 });
      chunks++;
    }
    const due = Math.floor(elapsed / (1000 / fps));
    if (due >= frames) {
      frames = due + 1; // a frame whose slot passed is skipped, as a camera would
      const bar = (frames * 8) % width;
      data.fill(128, 0, width * height);
      for (let y = 0; y < height; y++) data.fill(235, y * width + bar, y * width + Math.min(bar + 32, width));
      video.onFrame({ width, height, data });
    }
  }, 5);
  return {
    tracks,
    stream,
    fps,
    stop() {
      clearInterval(timer);
      for (const t of tracks) t.stop();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The raw libwebrtc baselines (bench/raw)

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'build') continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds bench/raw when the program `name` is missing or older than any source there. */
function buildRaw(name) {
  const bin = path.join(RAW_BUILD, name);
  const binTime = fs.existsSync(bin) ? fs.statSync(bin).mtimeMs : 0;
  if (binTime && binTime >= newestMtime(RAW_DIR)) return;
  const step = (cmd, args) => {
    progress(`raw: ${cmd} ${args.join(' ')}`);
    const r = spawnSync(cmd, args, { stdio: ['ignore', process.stderr, process.stderr] });
    if (r.error) throw new Error(`raw: cannot run ${cmd}: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`raw: ${cmd} failed with exit code ${r.status}`);
  };
  if (!fs.existsSync(path.join(RAW_BUILD, 'CMakeCache.txt'))) {
    step('cmake', ['-S', RAW_DIR, '-B', RAW_BUILD, '-DCMAKE_BUILD_TYPE=Release']);
  }
  // -j1 and niced: the machine is small and other builds may be running. Every target (not
  // --target <name>): only the default target re-runs cmake when CMakeLists.txt changed.
  step('nice', ['-n', '10', 'cmake', '--build', RAW_BUILD, '-j1']);
  // make leaves the binary untouched when it was up to date but older than a file it does
  // not depend on (the other program's source): mark it checked.
  const now = new Date();
  fs.utimesSync(bin, now, now);
}

/** Runs the raw program `name` with `args`; its stdout parsed as JSON. */
function runRaw(name, args, { maxBuffer, timeout }) {
  const bin = path.join(RAW_BUILD, name);
  const r = spawnSync(bin, args, { stdio: ['ignore', 'pipe', process.stderr], maxBuffer, timeout });
  if (r.error) throw new Error(`raw: cannot run ${bin}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`raw: ${bin} exited with ${r.status ?? r.signal}`);
  try {
    return JSON.parse(r.stdout.toString());
  } catch (err) {
    throw new Error(`raw: output is not JSON: ${err.message}`);
  }
}

module.exports = {
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
  trickleCandidates,
  offerAnswer,
  timeoutAfter,
  runChildJson,
  connectTrack,
  senderVideoStats,
  rssSampler,
  cpuMsSince,
  syntheticMedia,
  buildRaw,
  runRaw,
};
