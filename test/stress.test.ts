// Stress (ARCHITECTURE.md, "Build and distribution": keep the libtgowt link a tested fact):
// 200 cycles of create → negotiate → data channel message → close in ONE child process, then a
// clean exit by itself with nothing left in the runtime.
import * as assert from 'node:assert/strict';
import { CRASH_PATTERN, describeRun, lastJson, runFixture } from './child-process.js';

const CYCLES = 200;
/** Generous: 2 shared cores. A failure guard, not a measured duration. */
const TIMEOUT_MS = 10 * 60 * 1000;

describe('stress', function () {
  this.timeout(TIMEOUT_MS + 10000);

  it(`${CYCLES} cycles of create → negotiate → message → close in one process, then a clean exit`, async () => {
    const r = await runFixture('stress.js', [String(CYCLES)], { timeoutMs: TIMEOUT_MS });
    const account = describeRun('stress', r);
    assert.equal(r.timedOut, false, `did not finish and exit within the timeout\n${account}`);
    assert.equal(r.signal, null, `killed by a signal\n${account}`);
    assert.doesNotMatch(r.stderr, CRASH_PATTERN, account);
    assert.equal(r.code, 0, account);
    const out = lastJson<{ cycles: number; info: { runtime: boolean; peerConnections: number } }>(r.stdout);
    assert.equal(out.cycles, CYCLES);
    assert.deepEqual(out.info, { runtime: false, peerConnections: 0 }, 'runtimeInfo() after the last close()');
  });
});
