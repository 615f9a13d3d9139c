// Media and the process's lifetime, in child processes (test/fixtures/media-lifecycle.js):
// exiting with media flowing, a worker terminated mid-media, media objects alone never keep a
// process alive, and sinks or tracks garbage-collected without stop() never call into freed JS.
import * as assert from 'node:assert/strict';
import { CRASH_PATTERN, describeRun, lastJson, runFixture, type ChildResult } from './child-process.js';

const TIMEOUT_MS = 45000;

function assertCleanExit(name: string, r: ChildResult): void {
  const account = describeRun(name, r);
  assert.equal(r.timedOut, false, `did not exit by itself within ${TIMEOUT_MS} ms\n${account}`);
  assert.equal(r.signal, null, `killed by a signal\n${account}`);
  assert.doesNotMatch(r.stderr, CRASH_PATTERN, `crash output on stderr\n${account}`);
  assert.equal(r.code, 0, `exit code\n${account}`);
}

describe('media lifecycle (child processes)', function () {
  this.timeout(TIMEOUT_MS * 2);

  it('process.exit(0) from a frame handler while video and audio flow both ways: no crash', async () => {
    const r = await runFixture('media-lifecycle.js', ['exit'], { timeoutMs: TIMEOUT_MS });
    assertCleanExit('exit', r);
    assert.match(r.stdout, /^flowing$/m);
  });

  it('sources, tracks and sinks with no connection do not keep the process alive', async () => {
    const r = await runFixture('media-lifecycle.js', ['idle'], { timeoutMs: TIMEOUT_MS });
    assertCleanExit('idle', r);
    assert.match(r.stdout, /^idle$/m);
  });

  it('terminate() on a worker with media flowing: the main thread exits by itself, holding nothing', async () => {
    const r = await runFixture('media-lifecycle.js', ['worker'], { timeoutMs: TIMEOUT_MS });
    assertCleanExit('worker', r);
    const out = lastJson<{ terminateCode: number; info: { runtime: boolean; peerConnections: number } }>(r.stdout);
    assert.equal(out.terminateCode, 1);
    assert.deepEqual(out.info, { runtime: false, peerConnections: 0 });
  });

  it('garbage collection: dropped tracks are collected and let go of libwebrtc; dropped sinks keep delivering through gc() while their tracks live; the process exits by itself', async () => {
    const r = await runFixture('media-lifecycle.js', ['gc'], { timeoutMs: TIMEOUT_MS, nodeArgs: ['--expose-gc'] });
    assertCleanExit('gc', r);
    const out = lastJson<{
      tracksCollected: number;
      afterTracks: { runtime: boolean };
      callsBefore: number;
      callsAfter: number;
    }>(r.stdout);
    assert.equal(out.tracksCollected, 5, 'the five unreferenced tracks were collected');
    assert.equal(out.afterTracks.runtime, false, "with them went the last hold on libwebrtc's threads");
    assert.ok(
      out.callsBefore > 0 && out.callsAfter > out.callsBefore,
      `sinks delivered through gc() rounds (${out.callsBefore} → ${out.callsAfter})`,
    );
  });
});
