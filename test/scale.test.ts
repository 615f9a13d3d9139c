// Scale, the short version of bench/scale.js (which runs 1,000 pairs): many connections set up
// at once hold a few file descriptors each, not one socket per connection started meanwhile
// (peer/port_allocator.h), every one of them connects and carries data, and once all are closed
// the descriptors and threads are back to where they were and the process exits by itself; the
// thread count does not grow with the connections; a second after the last close the freed
// heap goes back to the system. And a worker terminated in the middle of calls leaves no
// thread behind.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { CRASH_PATTERN, describeRun, lastJson, runFixture } from './child-process.js';

const BENCH = path.resolve(__dirname, '..', '..', 'bench', 'scale.js');
/** Failure guards on 2 shared cores, not measured durations. */
const TIMEOUT_MS = 5 * 60 * 1000;

interface ScaleRun {
  result: {
    connected: number;
    failed: number;
    errors: string[];
    fds_per_pair: number;
    threads_per_pair: number;
    baseline: { fds: number; threads: number };
    after_close: { fds: number; threads: number };
    messages: { sent: number; received: number };
  } | null;
  exit: { code: number | null; signal: string | null; exited_by_itself: boolean };
}

function runBench(args: string[]): Promise<{ doc: { runs: Record<string, ScaleRun[]> }; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BENCH, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      try {
        resolve({ doc: JSON.parse(stdout), stderr });
      } catch {
        reject(new Error(`bench/scale.js exited ${code} without its JSON\n${stderr.slice(-3000)}`));
      }
    });
  });
}

describe('scale', function () {
  this.timeout(TIMEOUT_MS + 10000);

  it('150 pairs set up 50 at a time: all connect and exchange messages, ≤ 8 descriptors per pair, everything released at close, then the process exits by itself', async () => {
    const { doc, stderr } = await runBench(['--pairs', '150', '--batch', '50', '--seconds', '2']);
    const [run] = Object.values(doc.runs)[0]!;
    const account = `${JSON.stringify(run, null, 1)}\n${stderr.slice(-2000)}`;
    assert.ok(run!.result, `the child reported\n${account}`);
    const r = run!.result!;
    assert.equal(r.connected, 150, account);
    assert.equal(r.failed, 0, account);
    assert.ok(r.messages.sent > 0 && r.messages.received === r.messages.sent, `every message arrived\n${account}`);
    // One UDP socket per network and connection, a few TCP ones while gathering: 28 per pair
    // before the port allocator stopped re-gathering for every new connection.
    assert.ok(r.fds_per_pair <= 8, `descriptors per connected pair: ${r.fds_per_pair}\n${account}`);
    // libwebrtc's per-connection task queues (pacer, send controller) share the runtime's pool
    // (runtime/task_queue_pool.h): the thread count does not grow with the connections. It was
    // 4 per pair, 600 threads here, with libwebrtc's own task queue factory.
    assert.ok(r.threads_per_pair < 0.1, `threads per connected pair: ${r.threads_per_pair}\n${account}`);
    assert.ok(
      r.after_close.fds <= r.baseline.fds + 1,
      `descriptors after close ${r.after_close.fds}, before ${r.baseline.fds}\n${account}`,
    );
    assert.ok(
      r.after_close.threads <= r.baseline.threads,
      `threads after close ${r.after_close.threads}, before ${r.baseline.threads}\n${account}`,
    );
    assert.equal(run!.exit.signal, null, account);
    assert.equal(run!.exit.code, 0, account);
    assert.equal(run!.exit.exited_by_itself, true, account);
  });

  it('a second after the last connection closes, the freed heap is given back: a trim of our own then finds nothing left', async () => {
    const r = await runFixture('heap-trim.js', ['100'], { timeoutMs: 120000, nodeArgs: ['--expose-gc'] });
    const account = describeRun('heap-trim.js', r);
    assert.equal(r.code, 0, account);
    const mb = lastJson<{ before: number; open: number; closed: number; trimmed: number }>(r.stdout);
    assert.ok(mb.open - mb.before > 20, `100 pairs took memory: ${JSON.stringify(mb)}`);
    // Without the package's trim, the closed pairs' freed pages stayed resident: this trim gave
    // back 15 MB of them here.
    assert.ok(mb.closed - mb.trimmed < 5, `left for a later trim: ${JSON.stringify(mb)}`);
  });

  it('a worker terminated mid-call (media and data flowing, or mid-negotiation) leaves no thread behind', async () => {
    const r = await runFixture('worker-terminate.js', [], { timeoutMs: TIMEOUT_MS });
    const account = describeRun('worker-terminate', r);
    assert.equal(r.timedOut, false, `did not exit by itself\n${account}`);
    assert.equal(r.signal, null, account);
    assert.doesNotMatch(r.stderr, CRASH_PATTERN, account);
    assert.equal(r.code, 0, account);
    const out = lastJson<{ baseline: number; peak: number; after: number }>(r.stdout);
    assert.ok(out.peak > out.baseline, `the workers' calls ran libwebrtc threads: ${JSON.stringify(out)}`);
    assert.ok(out.after <= out.baseline, `threads after the workers were terminated: ${JSON.stringify(out)}`);
  });
});
