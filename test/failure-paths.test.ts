// Failure paths (a forged DTLS fingerprint, DTLS alerts, timeouts and garbage, ICE failure and
// restart, SCTP abort), each followed by close(), process.exit(), a worker's terminate() or
// garbage collection — every combination in a child process of its own
// (test/fixtures/failure.js), which must report the spec's states and then exit cleanly: no
// abort, no hang, nothing delivered over a connection whose DTLS failed.
//
// The runs are independent and mostly wait on timers (ICE takes ~15 s to fail), so they start
// together in before() and each test awaits its own.
import * as assert from 'node:assert/strict';
import { CRASH_PATTERN, describeRun, lastJson, runFixture, type ChildResult } from './child-process.js';

/** Opt-in runs that take minutes (LIBWEBRTC_NODE_LONG_TESTS=1). */
const LONG = process.env.LIBWEBRTC_NODE_LONG_TESTS === '1';

const ALL_SCENARIOS = [
  'fingerprint-datachannel',
  'fingerprint-audio',
  'dtls-alert',
  'dtls-silent',
  'dtls-garbage',
  'ice-vanish',
  'ice-restart',
  'sctp-abort',
  'dtls-timeout',
] as const;
const TEARDOWNS = ['close', 'exit', 'terminate', 'gc'] as const;
type Scenario = (typeof ALL_SCENARIOS)[number];
/** A remote that never answers DTLS fails the handshake only after OpenSSL's ~8 minutes. */
const SLOW: Scenario[] = ['dtls-timeout'];
const SCENARIOS = ALL_SCENARIOS.filter((s) => LONG || !SLOW.includes(s));
type Teardown = (typeof TEARDOWNS)[number];

/** Failure guard per child run on a loaded 2-core machine, never a measured duration. */
const TIMEOUT_MS = LONG ? 20 * 60000 : 90000;
const CONCURRENCY = 6;

interface States {
  connectionState: string;
  iceConnectionState: string;
  dtls: string | null;
  sctp: string | null;
}
interface Report {
  result: Record<string, unknown> & { a: States; b?: States };
  events: string[];
  afterClose: string[];
  opened: number;
  messages: number;
  errors: { errorDetail: string; sctpCauseCode: number | null }[];
  teardown: {
    after?: (States & { signalingState: string })[];
    info?: { runtime: boolean; peerConnections: number };
    terminateCode?: number;
    connections?: number;
    keptWhileOpen?: number;
    collectedAfterClose?: number;
  };
}

function assertCleanExit(name: string, r: ChildResult): void {
  const account = describeRun(name, r);
  assert.equal(r.timedOut, false, `did not exit by itself within ${TIMEOUT_MS} ms\n${account}`);
  assert.equal(r.signal, null, `killed by a signal\n${account}`);
  assert.doesNotMatch(r.stderr, CRASH_PATTERN, `crash output on stderr\n${account}`);
  assert.equal(r.code, 0, `exit code\n${account}`);
}

/** What each scenario must have reported before its teardown. */
const expectations: Record<Scenario, (report: Report) => void> = {
  'fingerprint-datachannel': (r) => {
    for (const side of ['a', 'b'] as const) {
      assert.equal(r.result[side]!.connectionState, 'failed', side);
      assert.equal(r.result[side]!.dtls, 'failed', `${side}: RTCDtlsTransport.state when connectionState is 'failed'`);
    }
    assert.equal(r.opened, 0, 'a forged fingerprint never gets as far as an open data channel');
    assert.equal(r.messages, 0);
    assert.ok(
      !r.events.includes('b:datachannel:forged'),
      'no datachannel event at the side that refused the certificate',
    );
  },
  'fingerprint-audio': (r) => {
    assert.equal(r.result.a.connectionState, 'failed');
    assert.equal(r.result.b!.connectionState, 'failed');
    assert.ok(!r.events.some((e) => e.endsWith(':connectionState:connected')), 'never connected');
  },
  'dtls-alert': (r) => {
    assert.equal(r.result.a.connectionState, 'failed');
    assert.equal(r.result.a.dtls, 'failed');
    assert.equal(r.opened, 0);
  },
  'dtls-silent': (r) => dtlsNeverCompletes(r),
  'dtls-timeout': (r) => {
    assert.equal(r.result.a.connectionState, 'failed', 'DTLS gives up on a remote that never answers');
    assert.equal(r.result.a.dtls, 'failed');
    assert.equal(r.opened, 0);
  },
  'dtls-garbage': (r) => dtlsNeverCompletes(r),
  'ice-vanish': (r) => {
    assert.equal(r.result.echoed, 'before', 'connected and echoing before the remote vanished');
    assert.equal(r.result.a.iceConnectionState, 'failed');
    assert.equal(r.result.a.connectionState, 'failed');
    const ice = r.events.filter((e) => e.startsWith('a:iceConnectionState:'));
    assert.ok(
      ice.indexOf('a:iceConnectionState:disconnected') < ice.indexOf('a:iceConnectionState:failed'),
      `disconnected, then failed: ${ice}`,
    );
  },
  'ice-restart': (r) => {
    const failed = r.result.failed as States;
    assert.equal(failed.iceConnectionState, 'failed');
    assert.equal(failed.connectionState, 'failed');
    assert.equal(r.result.echoedAfter, 'after', 'the data channel works again after restartIce()');
    assert.equal(r.result.a.connectionState, 'connected');
  },
  'sctp-abort': (r) => {
    assert.deepEqual(
      r.errors,
      [{ errorDetail: 'sctp-failure', sctpCauseCode: 12 }],
      'the ABORT reaches the channel as an RTCError',
    );
    assert.equal(r.result.channel, 'closed');
  },
};

function dtlsNeverCompletes(r: Report): void {
  assert.equal(r.result.a.iceConnectionState, 'connected', 'ICE with the ICE-lite peer connects');
  assert.equal(r.result.a.connectionState, 'connecting');
  assert.equal(r.result.a.dtls, 'connecting');
  assert.ok((r.result.peer as { dtlsRecords: number }).dtlsRecords >= 2, 'the ClientHello was retransmitted');
  assert.equal(r.opened, 0);
}

/** What each teardown must leave. */
function checkTeardown(teardown: Teardown, r: Report): void {
  switch (teardown) {
    case 'close':
      for (const after of r.teardown.after!) {
        assert.deepEqual(
          {
            signalingState: after.signalingState,
            connectionState: after.connectionState,
            iceConnectionState: after.iceConnectionState,
          },
          { signalingState: 'closed', connectionState: 'closed', iceConnectionState: 'closed' },
        );
        if (after.dtls !== null) assert.equal(after.dtls, 'closed');
      }
      // Only the closed connection's own channels fire after close() (as Chromium does).
      assert.deepEqual(
        r.afterClose.filter((e) => !/:channel:(closing|close)$/.test(e)),
        [],
        'events after close()',
      );
      assert.deepEqual(r.teardown.info, { runtime: false, peerConnections: 0 });
      break;
    case 'exit':
      break;
    case 'terminate':
      assert.equal(r.teardown.terminateCode, 1, 'terminate() resolves with exit code 1');
      assert.deepEqual(r.teardown.info, { runtime: false, peerConnections: 0 }, 'the main thread holds nothing');
      break;
    case 'gc':
      assert.equal(
        r.teardown.keptWhileOpen,
        r.teardown.connections,
        'an unclosed connection is not collected (spec: it can still fire events)',
      );
      assert.equal(r.teardown.collectedAfterClose, r.teardown.connections, 'collected once closed');
      assert.deepEqual(r.teardown.info, { runtime: false, peerConnections: 0 });
      break;
  }
}

describe('failure paths, each followed by close / exit / terminate / gc (child processes)', function () {
  const runs = new Map<string, Promise<ChildResult>>();
  const key = (s: Scenario, t: Teardown) => `${s} ${t}`;

  before(() => {
    // A small pool: at most CONCURRENCY children at a time, all started now.
    const queue = SCENARIOS.flatMap((s) => TEARDOWNS.map((t) => [s, t] as const));
    let running = 0;
    const waiting: (() => void)[] = [];
    const slot = () =>
      running < CONCURRENCY ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve));
    for (const [s, t] of queue) {
      runs.set(
        key(s, t),
        (async () => {
          await slot();
          running++;
          try {
            return await runFixture('failure.js', [s, t], {
              timeoutMs: TIMEOUT_MS,
              nodeArgs: t === 'gc' ? ['--expose-gc'] : [],
            });
          } finally {
            running--;
            waiting.shift()?.();
          }
        })(),
      );
    }
  });

  for (const scenario of SLOW.filter((s) => !SCENARIOS.includes(s))) {
    it(`${scenario}: opt-in, takes about 8 minutes (LIBWEBRTC_NODE_LONG_TESTS=1 npm test)`, function () {
      this.skip();
    });
  }

  for (const scenario of SCENARIOS) {
    for (const teardown of TEARDOWNS) {
      it(`${scenario}, then ${teardown}`, async function () {
        this.timeout(TIMEOUT_MS * 8);
        const r = await runs.get(key(scenario, teardown))!;
        assertCleanExit(key(scenario, teardown), r);
        const report = lastJson<Report>(r.stdout);
        try {
          expectations[scenario](report);
          checkTeardown(teardown, report);
        } catch (error) {
          (error as Error).message += `\n${describeRun(key(scenario, teardown), r)}`;
          throw error;
        }
      });
    }
  }
});
