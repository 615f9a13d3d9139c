'use strict';
// Built-in Node client for the signaling demo (examples/server.js).
//
//   node examples/client.js ws://127.0.0.1:8080 [--impl <module>]
//
// Connects to the signaling server, negotiates an offering RTCPeerConnection (data channel
// 'chat' + recvonly audio and video transceivers) with MDN's "Signaling and video calling"
// messages, then prints a report: the state changes seen here, the time to
// connectionState 'connected', the answer's m-lines, the echo round-trip time and an echo
// throughput figure. Exit code 0 on success, 1 on any failure.

const path = require('node:path');
const WebSocket = require('ws');

const PACKAGE_ROOT = path.join(__dirname, '..');
const HARD_TIMEOUT_MS = 20000;

// ---------------------------------------------------------------------------------------------
// Implementation loading: a module name (`@roamhq/wrtc`), a path (`.`, `./x`, `/abs`), or the
// package root by default.

function loadImpl(name) {
  const isPath = name === undefined || name.startsWith('.') || path.isAbsolute(name);
  const target = name === undefined ? PACKAGE_ROOT : isPath ? path.resolve(name) : name;
  let impl;
  try {
    impl = require(target);
  } catch (err) {
    const hint =
      target === PACKAGE_ROOT || path.resolve(String(target)) === PACKAGE_ROOT
        ? ' (is the package built? `npm run setup`; or try --impl @roamhq/wrtc)'
        : '';
    err.message = `cannot load WebRTC implementation '${name ?? PACKAGE_ROOT}'${hint}: ${err.message}`;
    throw err;
  }
  if (impl && typeof impl.RTCPeerConnection !== 'function' && impl.default) impl = impl.default;
  if (!impl || typeof impl.RTCPeerConnection !== 'function') {
    throw new Error(`'${name ?? PACKAGE_ROOT}' does not export RTCPeerConnection`);
  }
  return impl;
}

function implLabel(name) {
  if (name === undefined) return 'libwebrtc-node (package root)';
  const isPath = name.startsWith('.') || path.isAbsolute(name);
  if (isPath && path.resolve(name) === PACKAGE_ROOT) return 'libwebrtc-node (package root)';
  return name;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const now = () => Number(process.hrtime.bigint()) / 1e6; // ms

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmtMs(ms) {
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Parses the m-sections of an SDP: kind, port, protocol, direction, mid. */
function parseMLines(sdp) {
  const sections = [];
  let cur = null;
  let sessionDirection = null;
  for (const raw of String(sdp).split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('m=')) {
      const [kind, port, protocol] = line.slice(2).split(' ');
      cur = { kind, port: Number(port), protocol, direction: null, mid: null };
      sections.push(cur);
    } else if (line.startsWith('a=mid:')) {
      if (cur) cur.mid = line.slice(6);
    } else if (/^a=(sendrecv|sendonly|recvonly|inactive)$/.test(line)) {
      if (cur) cur.direction = line.slice(2);
      else sessionDirection = line.slice(2);
    }
  }
  for (const s of sections) {
    // RFC 8866: direction defaults to the session-level one, else sendrecv; it has no
    // meaning for an application (data channel) section.
    if (s.direction === null && s.kind !== 'application') s.direction = sessionDirection ?? 'sendrecv';
  }
  return sections;
}

function toBytes(data) {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

function sameBytes(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function describeData(data) {
  if (typeof data === 'string') return `string(${data.length})`;
  const b = toBytes(data);
  if (b) return `${Object.prototype.toString.call(data).slice(8, -1)}(${b.length} bytes)`;
  return Object.prototype.toString.call(data);
}

// ---------------------------------------------------------------------------------------------
// The client

/**
 * Runs the demo client against a signaling server.
 * @param {object} opts
 * @param {string} opts.url    ws:// URL of examples/server.js
 * @param {object} opts.wrtc   the implementation (exports RTCPeerConnection, RTCIceCandidate)
 * @param {string} [opts.label] the implementation's name, for the report
 * @param {(line: string) => void} [opts.out] where the report goes (default: stdout)
 * @param {{stage: string}} [opts.progress] updated with the current stage (for timeouts)
 * @returns {Promise<boolean>} true on success
 */
async function runClient({
  url,
  wrtc,
  label = '?',
  out = (l) => process.stdout.write(l + '\n'),
  progress = { stage: '' },
}) {
  const { RTCPeerConnection, RTCIceCandidate } = wrtc;
  const t0 = now();
  const since = () => now() - t0;
  const report = [];
  const problems = [];
  const notes = [];
  let ws = null;
  let pc = null;
  let dc = null;

  const fail = (msg) => {
    problems.push(msg);
  };

  try {
    // --- signaling socket ---------------------------------------------------------------------
    progress.stage = 'connecting to the signaling server';
    ws = new WebSocket(url);
    await withTimeout(
      new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      }),
      5000,
      `the WebSocket connection to ${url}`,
    );
    const send = (msg) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
    };
    const tSocket = since();

    // --- peer connection --------------------------------------------------------------------------
    progress.stage = 'negotiating';
    pc = new RTCPeerConnection();

    // The state sequence: one line per change of a state attribute. Repeated events for an
    // unchanged value are counted, not listed (the spec fires one event per change).
    const states = [];
    const lastSeen = {};
    const duplicates = {};
    const watch = (event, attr, name) => {
      pc.addEventListener(event, () => {
        const value = pc[attr];
        if (lastSeen[name] === value) {
          duplicates[event] = (duplicates[event] ?? 0) + 1;
          return;
        }
        lastSeen[name] = value;
        states.push({ t: since(), name, value });
      });
    };
    watch('signalingstatechange', 'signalingState', 'signaling');
    watch('icegatheringstatechange', 'iceGatheringState', 'iceGathering');
    watch('iceconnectionstatechange', 'iceConnectionState', 'iceConnection');
    watch('connectionstatechange', 'connectionState', 'connection');

    let negotiationNeeded = 0;
    pc.addEventListener('negotiationneeded', () => {
      negotiationNeeded++;
    });

    const connected = new Promise((resolve, reject) => {
      pc.addEventListener('connectionstatechange', () => {
        if (pc.connectionState === 'connected') resolve(since());
        else if (pc.connectionState === 'failed' || pc.connectionState === 'closed') {
          reject(new Error(`connectionState became '${pc.connectionState}'`));
        }
      });
    });
    connected.catch(() => {});

    // MDN: send every candidate; the end-of-candidates null is not sent.
    let localCandidates = 0;
    pc.addEventListener('icecandidate', (e) => {
      if (e.candidate) {
        localCandidates++;
        send({ type: 'new-ice-candidate', candidate: e.candidate });
      }
    });

    dc = pc.createDataChannel('chat');
    dc.binaryType = 'arraybuffer';
    const opened = new Promise((resolve, reject) => {
      dc.addEventListener('open', () => resolve(since()));
      dc.addEventListener('close', () => reject(new Error("data channel 'chat' closed before it opened")));
    });
    opened.catch(() => {});
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addTransceiver('video', { direction: 'recvonly' });

    // --- signaling messages --------------------------------------------------------------------
    // Messages are handled one at a time, in order: a candidate that arrives while the answer
    // is still being applied waits for it. Candidates that arrive before any answer are kept
    // until the remote description is set.
    let answerSdp = null;
    let remoteCandidates = 0;
    let earlyCandidates = 0;
    const pendingCandidates = [];
    let gotAnswer;
    const answered = new Promise((resolve, reject) => {
      gotAnswer = { resolve, reject };
    });
    answered.catch(() => {});
    let chain = Promise.resolve();
    const addCandidate = async (init) => {
      try {
        await pc.addIceCandidate(new RTCIceCandidate(init));
      } catch (err) {
        fail(`addIceCandidate failed: ${err.name}: ${err.message}`);
      }
    };
    const handle = async (msg) => {
      switch (msg.type) {
        case 'video-answer': {
          answerSdp = msg.sdp;
          await pc.setRemoteDescription({ type: 'answer', sdp: msg.sdp });
          for (const c of pendingCandidates.splice(0)) await addCandidate(c);
          gotAnswer.resolve(since());
          break;
        }
        case 'new-ice-candidate': {
          if (!msg.candidate || !msg.candidate.candidate) break; // end-of-candidates: nothing to do
          remoteCandidates++;
          if (!pc.remoteDescription) {
            earlyCandidates++;
            pendingCandidates.push(msg.candidate);
          } else {
            await addCandidate(msg.candidate);
          }
          break;
        }
        case 'hang-up':
          throw new Error('the server hung up');
        case 'error':
          throw new Error(`the server reported: ${msg.message}`);
        default:
          notes.push(`ignored a '${msg.type}' message from the server`);
      }
    };
    ws.on('message', (data) => {
      let msg;
      try {
        msg = JSON.parse(String(data));
      } catch {
        fail('the server sent a message that is not JSON');
        return;
      }
      chain = chain
        .then(() => handle(msg))
        .catch((err) => {
          fail(`while handling '${msg.type}': ${err.message}`);
          gotAnswer.reject(err);
        });
    });
    const socketClosed = new Promise((resolve) => ws.once('close', resolve));
    socketClosed.then(() => gotAnswer.reject(new Error('the signaling socket closed')));

    // --- offer ---------------------------------------------------------------------------------
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    send({ type: 'video-offer', sdp: pc.localDescription.sdp });
    const tOfferSent = since();

    const tAnswer = await withTimeout(answered, 10000, "the server's video-answer");
    const tConnected = await withTimeout(connected, 10000, "connectionState 'connected'");
    const tOpen = await withTimeout(opened, 10000, "the data channel 'chat' to open");

    // --- echo checks -----------------------------------------------------------------------------
    progress.stage = 'echo round trips';
    let onEcho = null;
    dc.addEventListener('message', (e) => {
      if (onEcho) onEcho(e.data);
      else fail(`unexpected message on 'chat': ${describeData(e.data)}`);
    });
    const channelClosed = new Promise((resolve) => dc.addEventListener('close', resolve));
    const nextEcho = (ms) =>
      withTimeout(
        Promise.race([
          new Promise((resolve) => {
            onEcho = (d) => {
              onEcho = null;
              resolve(d);
            };
          }),
          channelClosed.then(() => {
            throw new Error("the data channel 'chat' closed");
          }),
        ]),
        ms,
        'an echo',
      );

    // Correctness first: strings (ASCII, non-ASCII) and binary come back unchanged.
    const samples = [
      'hello from the Node client',
      'unicode: h\u00e9llo \u4e16\u754c \u{1f600}',
      Uint8Array.from({ length: 1024 }, (_, i) => (i * 31 + 7) & 0xff),
    ];
    for (const sample of samples) {
      dc.send(sample);
      const back = await nextEcho(3000);
      const ok = typeof sample === 'string' ? back === sample : sameBytes(toBytes(back), sample);
      if (!ok) fail(`echo mismatch: sent ${describeData(sample)}, got ${describeData(back)}`);
    }

    // Round-trip time: 20 small messages, one at a time.
    const rtts = [];
    for (let i = 0; i < 22; i++) {
      const msg = `ping ${i}`;
      const t = now();
      dc.send(msg);
      const back = await nextEcho(3000);
      const rtt = now() - t;
      if (back !== msg) fail(`echo mismatch on '${msg}': got ${describeData(back)}`);
      if (i >= 2) rtts.push(rtt); // the first two warm the path up
    }

    // Throughput: 16 KiB binary messages for 2 s, paced by bufferedAmount.
    progress.stage = 'echo throughput';
    const tput = await measureThroughput(
      dc,
      (fn) => {
        onEcho = fn;
      },
      channelClosed,
    );
    onEcho = null;

    // --- report ----------------------------------------------------------------------------------
    const pad = (s, n) => String(s).padEnd(n);
    report.push(`libwebrtc-node demo: Node client report`);
    report.push(`  implementation: ${label}`);
    report.push(`  signaling:      ${url} (socket open after ${fmtMs(tSocket)} ms)`);
    report.push('');
    report.push('client state changes (ms since start):');
    for (const s of states) report.push(`  ${fmtMs(s.t).padStart(8)}  ${pad(s.name, 13)} ${s.value}`);
    const dupList = Object.entries(duplicates).map(([k, v]) => `${k} x${v}`);
    if (dupList.length) report.push(`  (events repeating an unchanged state: ${dupList.join(', ')})`);
    report.push('');
    report.push(`offer sent at ${fmtMs(tOfferSent)} ms, answer applied at ${fmtMs(tAnswer)} ms`);
    report.push(
      `connectionState 'connected' after ${fmtMs(tConnected)} ms; data channel 'chat' open after ${fmtMs(tOpen)} ms`,
    );
    report.push(
      `ICE candidates: ${localCandidates} sent, ${remoteCandidates} received` +
        (earlyCandidates ? ` (${earlyCandidates} arrived before the answer and were held)` : ''),
    );
    report.push(`negotiationneeded fired ${negotiationNeeded} time(s)`);
    report.push('');
    report.push('answer m-lines:');
    report.push(`  ${pad('kind', 12)} ${pad('port', 6)} ${pad('protocol', 22)} ${pad('direction', 10)} mid`);
    for (const m of parseMLines(answerSdp)) {
      report.push(
        `  ${pad(m.kind, 12)} ${pad(m.port, 6)} ${pad(m.protocol, 22)} ${pad(m.direction ?? '-', 10)} ${m.mid ?? '-'}`,
      );
    }
    report.push('');
    report.push(
      `echo check: ${samples.length} messages (ASCII string, non-ASCII string, 1 KiB binary) came back ` +
        (problems.some((p) => p.startsWith('echo mismatch')) ? 'ALTERED' : 'unchanged'),
    );
    report.push(
      `echo round trip: median ${fmtMs(median(rtts))} ms over ${rtts.length} messages ` +
        `(min ${fmtMs(Math.min(...rtts))}, max ${fmtMs(Math.max(...rtts))})`,
    );
    report.push(
      `echo throughput: ${tput.mbps.toFixed(1)} MB/s each way ` +
        `(${tput.messages} x 16 KiB in ${(tput.seconds).toFixed(2)} s, ${(tput.bytes / 1e6).toFixed(1)} MB echoed; ` +
        `paced by ${tput.pacing})`,
    );
    if (tput.lost) fail(`throughput: ${tput.lost} messages were not echoed back`);
    for (const n of notes) report.push(`note: ${n}`);
  } catch (err) {
    fail(err.message);
  } finally {
    // --- teardown ---------------------------------------------------------------------------------
    progress.stage = 'closing';
    try {
      if (dc) dc.close();
    } catch (err) {
      fail(`dc.close() threw: ${err.message}`);
    }
    try {
      if (pc) pc.close();
    } catch (err) {
      fail(`pc.close() threw: ${err.message}`);
    }
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ type: 'hang-up' }));
      ws.close(1000, 'done');
      await withTimeout(new Promise((resolve) => ws.once('close', resolve)), 2000, 'the socket to close').catch(() =>
        ws.terminate(),
      );
    } else if (ws && ws.readyState === WebSocket.CONNECTING) {
      ws.terminate();
    }
  }

  for (const line of report) out(line);
  if (problems.length) {
    if (report.length) out('');
    for (const p of problems) out(`FAILED: ${p}`);
    return false;
  }
  out('');
  out('result: OK');
  return true;
}

/**
 * Sends 16 KiB binary messages for `durationMs`, keeping the sender's bufferedAmount under a
 * high-water mark (refilled on 'bufferedamountlow') and at most WINDOW bytes not yet echoed
 * (so the echoing peer's own send buffer stays bounded too). Counts the echoed bytes.
 */
async function measureThroughput(dc, setOnEcho, channelClosed, durationMs = 2000) {
  const SIZE = 16 * 1024;
  const LOW = 256 * 1024;
  const HIGH = 1024 * 1024;
  const WINDOW = 4 * 1024 * 1024;
  const payload = new Uint8Array(SIZE);
  for (let i = 0; i < SIZE; i++) payload[i] = i & 0xff;

  // Does the implementation implement bufferedAmountLowThreshold / 'bufferedamountlow'? We
  // cannot tell until an event fires, so waits are also woken by echoes (always progress).
  dc.bufferedAmountLowThreshold = LOW;
  let lowEvents = 0;
  let wake = null;
  const onLow = () => {
    lowEvents++;
    if (wake) wake();
  };
  dc.addEventListener('bufferedamountlow', onLow);

  let sent = 0;
  let echoedBytes = 0;
  let echoedMessages = 0;
  let badEchoes = 0;
  let tLastEcho = 0;
  setOnEcho((data) => {
    const b = toBytes(data);
    if (!b || b.length !== SIZE) badEchoes++;
    echoedBytes += b ? b.length : 0;
    echoedMessages++;
    tLastEcho = now();
    if (wake) wake();
  });
  let closed = false;
  channelClosed.then(() => {
    closed = true;
    if (wake) wake();
  });

  const tStart = now();
  while (!closed && now() - tStart < durationMs) {
    while (!closed && dc.bufferedAmount < HIGH && sent * SIZE - echoedBytes < WINDOW && now() - tStart < durationMs) {
      dc.send(payload);
      sent++;
    }
    // Wait for room: a 'bufferedamountlow' event or an echo, with a timer as a backstop.
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 50);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });
  }
  // Drain: wait for the outstanding echoes (bounded).
  const drainDeadline = now() + 5000;
  while (!closed && echoedMessages < sent && now() < drainDeadline) {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 50);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });
  }
  dc.removeEventListener('bufferedamountlow', onLow);
  setOnEcho(null);
  const seconds = ((tLastEcho || now()) - tStart) / 1000;
  if (badEchoes) throw new Error(`throughput: ${badEchoes} echoed messages were not ${SIZE}-byte binary messages`);
  return {
    messages: sent,
    bytes: echoedBytes,
    seconds,
    mbps: echoedBytes / 1e6 / seconds,
    lost: sent - echoedMessages,
    pacing:
      lowEvents > 0
        ? `bufferedAmount < 1 MiB, refilled on 'bufferedamountlow' (threshold 256 KiB, ${lowEvents} events)`
        : "bufferedAmount < 1 MiB and a 4 MiB echo window ('bufferedamountlow' never fired)",
  };
}

// ---------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const opts = { url: undefined, impl: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--impl') opts.impl = argv[++i];
    else if (a.startsWith('--impl=')) opts.impl = a.slice(7);
    else if (a === '-h' || a === '--help') opts.help = true;
    else if (!a.startsWith('-') && opts.url === undefined) opts.url = a;
    else throw new Error(`unknown argument '${a}'`);
  }
  return opts;
}

/**
 * Arms the hard timeout: after `ms` it prints what the process was doing (or that it did not
 * exit by itself) and exits non-zero. Unref'd: it never keeps the process alive.
 */
function armHardTimeout(progress, ms = HARD_TIMEOUT_MS) {
  const timer = setTimeout(() => {
    if (progress.stage === 'exiting') {
      const handles =
        typeof process._getActiveHandles === 'function'
          ? process._getActiveHandles().map((h) => h?.constructor?.name ?? typeof h)
          : [];
      process.stderr.write(
        `error: the process did not exit by itself after everything was closed ` +
          `(${ms / 1000} s guard; active handles: ${handles.join(', ') || 'none visible from JS'})\n`,
      );
    } else {
      process.stderr.write(`error: timed out after ${ms / 1000} s while ${progress.stage || 'starting'}\n`);
    }
    process.exit(2);
  }, ms);
  timer.unref();
  return timer;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 64;
    return;
  }
  if (opts.help || !opts.url) {
    process.stderr.write('usage: node examples/client.js ws://127.0.0.1:PORT [--impl <module>]\n');
    process.exitCode = opts.help ? 0 : 64;
    return;
  }
  const progress = { stage: 'loading the implementation' };
  armHardTimeout(progress);
  let wrtc;
  try {
    wrtc = loadImpl(opts.impl);
  } catch (err) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = 1;
    return;
  }
  const ok = await runClient({ url: opts.url, wrtc, label: implLabel(opts.impl), progress });
  progress.stage = 'exiting';
  process.exitCode = ok ? 0 : 1;
}

module.exports = { runClient, loadImpl, implLabel, parseMLines, armHardTimeout };

if (require.main === module) main();
