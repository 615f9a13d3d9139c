// Runs a fixture script (test/fixtures/*.js) in a child Node process with a hard timeout.
// The child is killed (SIGKILL) when the timeout passes, and the result says so; callers fail
// the test then. The timeout is a failure guard, never a measured duration.
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';

/** test/fixtures/ in the source tree (this file runs as dist-test/test/child-process.js). */
export const fixturesDir: string = path.resolve(__dirname, '..', '..', 'test', 'fixtures');

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export function runFixture(
  script: string,
  args: string[] = [],
  options: { timeoutMs: number; nodeArgs?: string[]; env?: Record<string, string> },
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(fixturesDir, script), ...args], {
      // A temporary working directory: a crashing child may leave a core file in its cwd.
      cwd: os.tmpdir(),
      env: { ...process.env, NODE_OPTIONS: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** A readable account of a child run, for assertion messages. */
export function describeRun(name: string, r: ChildResult): string {
  return (
    `${name}: ${r.timedOut ? 'killed after the timeout, ' : ''}exit code ${r.code}, signal ${r.signal}\n` +
    `--- stdout ---\n${r.stdout.slice(-4000)}\n--- stderr ---\n${r.stderr.slice(-4000)}`
  );
}

/** Signs of a native crash or abort on stderr. */
export const CRASH_PATTERN =
  /Segmentation fault|terminate called|Aborted|core dumped|Check failed|Fatal error|FATAL ERROR|double free|corrupted|SIGSEGV|SIGABRT|pure virtual/i;

/** The last line of stdout parsed as JSON. */
export function lastJson<T = unknown>(stdout: string): T {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}
