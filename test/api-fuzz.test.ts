// A fuzz of the whole public API (test/api-fuzz-runner.ts has the details): every constructor,
// method, setter, getter and static found at run time, called with seeded random values —
// garbage of every type, hostile objects, detached buffers, the API's dictionaries with mangled
// members — on objects new, closed, negotiating and connected. Every throw and rejection must be
// a TypeError, RangeError or spec-named DOMException; every promise settles; nothing crashes;
// a connected pair still works afterwards.
//
// The fuzz runs in child processes (test/fixtures/api-fuzz.js): a native crash fails the test
// with the child's signal, its stderr and the last calls it made (a trace file written before
// each call), instead of taking mocha down.
//
//   LWN_FUZZ_SEED=<n>        replay a run (the seed is printed)
//   LWN_FUZZ_ITERATIONS=<n>  calls in all (default 6000, in about ten seconds per child)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CRASH_PATTERN, describeRun, lastJson, runFixture } from './child-process.js';
import { INTERNAL_STATICS, enumerateTargets, type FuzzReport } from './api-fuzz-runner.js';

const SEED =
  process.env.LWN_FUZZ_SEED !== undefined ? Number(process.env.LWN_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const ITERATIONS = process.env.LWN_FUZZ_ITERATIONS !== undefined ? Number(process.env.LWN_FUZZ_ITERATIONS) : 6000;
const CHILDREN = 2;
/** Failure guard per child on a loaded 2-core machine (a hang inside a call shows up here). */
const TIMEOUT_MS = Math.max(240000, ITERATIONS * 60);

/**
 * No capture device is reachable from the children: the fuzz's constraints name no real device
 * either, but a garbage `{ audio: true }` must not open this machine's microphone or screen
 * (the device tests cover those), nor make libpulse spawn a daemon.
 */
const NO_DEVICES = { DISPLAY: '', WAYLAND_DISPLAY: '', PULSE_SERVER: 'unix:/nonexistent/lwn-fuzz' };

describe('API fuzz (child processes)', function () {
  it('finds the API at run time: every exported class and function, their members and statics', function () {
    const { targets, internalStatics } = enumerateTargets();
    const names = new Set(targets.map((t) => t.name));
    for (const expected of [
      'new RTCPeerConnection',
      'RTCPeerConnection.prototype.createOffer',
      'RTCPeerConnection.prototype.onicecandidate=',
      'RTCPeerConnection.generateCertificate',
      'RTCDataChannel.prototype.send',
      'RTCDataChannel.prototype.binaryType=',
      'RTCRtpSender.prototype.setParameters',
      'RTCRtpSender.getCapabilities',
      'RTCRtpTransceiver.prototype.setCodecPreferences',
      'MediaStreamTrack.prototype.applyConstraints',
      'MediaDevices.prototype.getUserMedia',
      'new RTCVideoSource',
      'RTCVideoSource.prototype.onFrame',
      'RTCAudioSource.prototype.onData',
      'nonstandard.i420ToRgba',
      'new RTCError',
    ]) {
      assert.ok(names.has(expected), `${expected} is among the fuzzed targets`);
    }
    // Statics that are lib/'s plumbing, not API: a new one must be listed (or be API, and then
    // fuzzed) — see INTERNAL_STATICS.
    assert.deepEqual(internalStatics, [...INTERNAL_STATICS].sort());
  });

  it(`${ITERATIONS} random calls: only spec error types, every promise settles, no crash, still healthy (seed ${SEED})`, async function () {
    this.timeout(TIMEOUT_MS + 30000);
    console.log(
      `      API fuzz: seed ${SEED} (LWN_FUZZ_SEED=${SEED} to replay), ${ITERATIONS} calls in ${CHILDREN} children`,
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lwn-fuzz-'));
    try {
      const runs = Array.from({ length: CHILDREN }, async (_, i) => {
        const seed = SEED + i;
        const trace = path.join(dir, `trace-${seed}.txt`);
        const iterations = Math.ceil(ITERATIONS / CHILDREN);
        const r = await runFixture('api-fuzz.js', [String(seed), String(iterations), trace], {
          timeoutMs: TIMEOUT_MS,
          env: NO_DEVICES,
        });
        const lastCalls = fs.existsSync(trace)
          ? fs.readFileSync(trace, 'utf8').trimEnd().split('\n').slice(-15).join('\n')
          : '(no trace)';
        const account = `${describeRun(`fuzz child, seed ${seed}`, r)}\n--- the last calls (the last one was running) ---\n${lastCalls}`;
        assert.equal(r.timedOut, false, `the child hung\n${account}`);
        assert.equal(r.signal, null, `the child was killed by a signal (a native crash)\n${account}`);
        assert.doesNotMatch(r.stderr, CRASH_PATTERN, `crash output on stderr\n${account}`);
        assert.equal(r.code, 0, `exit code\n${account}`);
        return lastJson<FuzzReport>(r.stdout);
      });
      const reports = await Promise.all(runs);
      const outcomes: Record<string, number> = {};
      for (const report of reports) {
        for (const [k, v] of Object.entries(report.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + v;
      }
      const calls = reports.reduce((n, r) => n + r.calls, 0);
      const settled = reports.reduce((n, r) => n + r.promises.settled, 0);
      console.log(`      ${calls} calls, ${settled} promises settled; outcomes ${JSON.stringify(outcomes)}`);
      for (const report of reports) {
        assert.deepEqual(
          report.violations,
          [],
          `seed ${report.seed}: calls that broke the rules (LWN_FUZZ_SEED=${report.seed - reports.indexOf(report)} replays)`,
        );
        assert.equal(report.healthy, true, `seed ${report.seed}: a connected pair after the fuzz`);
        assert.equal(report.calls, Math.ceil(ITERATIONS / CHILDREN));
        if (report.calls >= 2500) {
          assert.ok(
            report.targetsCalled >= report.targets * 0.95,
            `seed ${report.seed}: ${report.targetsCalled} of ${report.targets} targets called`,
          );
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sequence arguments too big to copy (child process)', function () {
  this.timeout(120000);

  it('an array of 2^32 - 1 holes or an endless iterable: a TypeError or RangeError, never out of memory', async () => {
    const r = await runFixture('huge-sequences.js', [], { timeoutMs: 100000 });
    const account = describeRun('huge-sequences.js', r);
    assert.equal(r.signal, null, account);
    assert.equal(r.code, 0, account);
    assert.doesNotMatch(r.stderr, CRASH_PATTERN, account);
    const thrown = lastJson<Record<string, string>>(r.stdout);
    assert.equal(Object.keys(thrown).length, 13, account);
    for (const [call, name] of Object.entries(thrown)) {
      assert.ok(name === 'TypeError' || name === 'RangeError', `${call} threw ${name}\n${account}`);
    }
    // A bad element is found first, before the length limit.
    assert.equal(thrown['new MediaStream(holes)'], 'TypeError', account);
    assert.equal(thrown['streams: holes'], 'TypeError', account);
    assert.equal(thrown['certificates: holes'], 'TypeError', account);
  });
});
