// Process and thread lifecycle (ARCHITECTURE.md, "Lifetimes" and "Threads"). Every case runs a
// fixture (test/fixtures/*.js, plain JS loading the package root) in its own child process,
// killed after a timeout that fails the test: a hang, a crash or a leak there cannot take the
// test runner down with it.
import * as assert from 'node:assert/strict';
import { CRASH_PATTERN, describeRun, lastJson, runFixture, type ChildResult } from './child-process.js';

/** Failure guards for one child run on a slow, shared 2-core machine (not measured durations). */
const TIMEOUT_MS = 30000;

function assertCleanExit(name: string, r: ChildResult): void {
  const account = describeRun(name, r);
  assert.equal(r.timedOut, false, `did not exit by itself within ${TIMEOUT_MS} ms\n${account}`);
  assert.equal(r.signal, null, `killed by a signal\n${account}`);
  assert.doesNotMatch(r.stderr, CRASH_PATTERN, `crash output on stderr\n${account}`);
  assert.equal(r.code, 0, `exit code\n${account}`);
}

interface RuntimeInfo {
  runtime: boolean;
  peerConnections: number;
}

describe('lifecycle (child processes)', function () {
  this.timeout(TIMEOUT_MS * 2 + 10000);

  describe('(a) exit once every connection is closed', () => {
    it('exits by itself (code 0) after two connected peers with a data channel are closed', async () => {
      const r = await runFixture('exit-after-close.js', [], { timeoutMs: TIMEOUT_MS });
      assertCleanExit('exit-after-close', r);
      const line = r.stdout
        .trim()
        .split('\n')
        .find((l) => l.startsWith('closed '));
      assert.ok(line, describeRun('exit-after-close', r));
      assert.deepEqual(JSON.parse(line.slice('closed '.length)), { runtime: false, peerConnections: 0 });
    });
  });

  describe('(b) an open connection keeps the process alive', () => {
    for (const mode of ['connected', 'fresh'] as const) {
      it(`stays alive while ${mode === 'connected' ? 'one peer of a connected pair' : 'a never-negotiated peer'} is open, then exits after close()`, async () => {
        const r = await runFixture('alive-while-open.js', [mode], { timeoutMs: TIMEOUT_MS });
        assertCleanExit(`alive-while-open ${mode}`, r);
        const lines = r.stdout.trim().split('\n');
        assert.ok(
          lines.includes('alive stable'),
          `the unref'd 1.5 s timer ran: the open connection kept the process alive\n${describeRun(mode, r)}`,
        );
        const closed = lines.find((l) => l.startsWith('closed '));
        assert.ok(closed, describeRun(mode, r));
        assert.deepEqual(JSON.parse(closed.slice('closed '.length)), { runtime: false, peerConnections: 0 });
      });
    }
  });

  describe('(c) exiting with connections open does not crash', () => {
    for (const mode of ['sync', 'timer', 'busy'] as const) {
      const what = {
        sync: 'process.exit(0) right after connecting two pairs',
        timer: 'process.exit(0) from a timer with two connected pairs open',
        busy: 'process.exit(0) from a message handler while two pairs exchange messages',
      }[mode];
      it(what, async () => {
        const r = await runFixture('exit-with-open.js', [mode], { timeoutMs: TIMEOUT_MS });
        assertCleanExit(`exit-with-open ${mode}`, r);
        assert.match(r.stdout, /^connected$/m, 'the pairs connected before the exit');
      });
    }

    it('process.exit(0) while connections are gathering candidates (4 runs)', async () => {
      // A race with libwebrtc's network thread: one run may pass by luck, so several are made.
      for (let run = 1; run <= 4; run++) {
        const r = await runFixture('exit-with-open.js', ['gathering'], { timeoutMs: TIMEOUT_MS });
        assertCleanExit(`exit-with-open gathering, run ${run}`, r);
      }
    });
  });

  describe('(d) worker_threads', () => {
    it('a worker negotiates two peers, exchanges a data channel message, closes them and exits by itself', async () => {
      const r = await runFixture('worker-main.js', ['message'], { timeoutMs: TIMEOUT_MS });
      assertCleanExit('worker message', r);
      const out = lastJson<{
        message: { type: string; received: string; expected: string; info: RuntimeInfo };
        exitCode: number;
      }>(r.stdout);
      assert.equal(out.message.type, 'result', JSON.stringify(out.message));
      assert.equal(out.message.received, out.message.expected);
      assert.deepEqual(
        out.message.info,
        { runtime: false, peerConnections: 0 },
        "the worker's runtime is gone after close()",
      );
      assert.equal(out.exitCode, 0, 'the worker exited by itself with code 0');
    });

    it('terminate() on a worker with open, busy peers: the main thread survives, still works and exits 0', async () => {
      const r = await runFixture('worker-main.js', ['terminate'], { timeoutMs: TIMEOUT_MS });
      assertCleanExit('worker terminate', r);
      const out = lastJson<{
        message: { type: string };
        terminateCode: number;
        mainReceived: string;
        info: RuntimeInfo;
      }>(r.stdout);
      assert.equal(out.message.type, 'connected');
      assert.equal(out.terminateCode, 1, 'terminate() resolves with exit code 1');
      assert.equal(out.mainReceived, 'main', 'the main thread connected its own pair afterwards');
      assert.deepEqual(out.info, { runtime: false, peerConnections: 0 });
    });

    it('two workers at once, and a pair on the main thread meanwhile', async () => {
      const r = await runFixture('worker-main.js', ['two'], { timeoutMs: TIMEOUT_MS });
      assertCleanExit('two workers', r);
      const out = lastJson<{
        messages: { type: string; received: string; expected: string }[];
        exitCodes: number[];
        mainReceived: string;
        info: RuntimeInfo;
      }>(r.stdout);
      for (const message of out.messages) {
        assert.equal(message.type, 'result', JSON.stringify(message));
        assert.equal(message.received, message.expected);
      }
      assert.notEqual(out.messages[0]!.expected, out.messages[1]!.expected, 'two different workers answered');
      assert.deepEqual(out.exitCodes, [0, 0]);
      assert.equal(out.mainReceived, 'main');
      assert.deepEqual(out.info, { runtime: false, peerConnections: 0 });
    });
  });

  describe('(e) garbage collection', () => {
    it('closed connections are collected, and runtimeInfo() reports nothing left', async () => {
      const r = await runFixture('gc-closed.js', [], { timeoutMs: TIMEOUT_MS, nodeArgs: ['--expose-gc'] });
      assertCleanExit('gc-closed', r);
      const out = lastJson<{ created: number; collected: number; info: RuntimeInfo }>(r.stdout);
      assert.equal(out.created, 50);
      assert.ok(
        out.collected >= 45,
        `most closed RTCPeerConnections are collected (${out.collected} of ${out.created})`,
      );
      assert.deepEqual(out.info, { runtime: false, peerConnections: 0 });
    });
  });

  describe('(f) no event fires after close()', () => {
    const cases = {
      icecandidate: 'close() inside the first icecandidate handler, with more candidates and state changes coming',
      open: "close() inside a data channel's open handler while the other side floods it with messages",
      message: 'close() inside the first message handler while a burst of messages is still arriving',
    } as const;
    for (const [mode, what] of Object.entries(cases)) {
      it(what, async () => {
        const r = await runFixture('no-event-after-close.js', [mode], { timeoutMs: TIMEOUT_MS });
        assertCleanExit(`no-event-after-close ${mode}`, r);
        const out = lastJson<{ closedInside: string | null; after: string[] }>(r.stdout);
        assert.equal(out.closedInside, mode, 'close() was called from inside that handler');
        const isChannelClose = (e: string) => /channel.*:(closing|close)$/.test(e);
        assert.deepEqual(
          out.after.filter((e) => !isChannelClose(e)),
          [],
          'listeners that ran after close()',
        );
        // The one exception, as Chromium does (lib/RTCDataChannel.ts closeAbruptly): the closed
        // connection's own channels fire 'closing' (if open) and 'close', once each.
        const channelEvents = out.after.filter(isChannelClose);
        assert.ok(channelEvents.length <= 2, `channel events after close(): ${channelEvents}`);
        assert.ok(channelEvents.every((e) => /:(closing|close)$/.test(e)));
      });
    }
  });
});
