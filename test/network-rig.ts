// A real network for test/network-faults.test.ts: two network namespaces joined by a wire in
// user space (test/fixtures/tun-wire.py: two TUN devices, loss, delay, rate cap, a 'down'
// switch), a peer process in each (test/fixtures/netpeer.js), signaling relayed through this
// process. This kernel has no sch_netem, so loss and delay are the wire's; a bandwidth cap can be
// the kernel's own tbf qdisc on a device (Rig.tc()).
//
//   nsA: devA 10.77.0.1 peer 10.77.0.2 ──fd── tun-wire.py ──fd── devB 10.77.0.2 peer 10.77.0.1 :nsB
//
// Names are unique per test run (the pid and a counter); destroy() removes everything, and an
// exit hook removes any namespace a failed run left behind. Timeouts here only turn "never
// happened" into a readable failure; nothing measures how long anything took.
import { execFile, execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { promisify } from 'node:util';
import { fixturesDir } from './child-process.js';

const execFileAsync = promisify(execFile);

/** Namespaces made and not yet deleted: the exit hook deletes them if a run ends early. */
const liveNamespaces = new Set<string>();
process.on('exit', () => {
  for (const ns of liveNamespaces) {
    try {
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
});

async function ip(...args: string[]): Promise<void> {
  await execFileAsync('ip', args, { timeout: 15000 });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A line-oriented JSON child: every stdout line that parses is a message. */
class JsonChild {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stderrTail: string[] = [];
  readonly stray: string[] = [];
  exited: { code: number | null; signal: string | null } | null = null;
  #listeners = new Set<(message: any) => void>();
  #exitWaiters: Array<() => void> = [];

  constructor(command: string, args: string[]) {
    this.child = spawn(command, args, {
      cwd: os.tmpdir(), // a crashing child may leave a core file in its cwd
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        this.stray.push(line);
        return;
      }
      for (const listener of [...this.#listeners]) listener(message);
    });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail.push(chunk);
      while (this.stderrTail.length > 50) this.stderrTail.shift();
    });
    this.child.stdin.on('error', () => {
      /* the child is gone; its exit is reported */
    });
    this.child.on('exit', (code, signal) => {
      this.exited = { code, signal };
      for (const w of this.#exitWaiters) w();
    });
  }

  send(message: unknown): void {
    if (!this.exited) this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  /** Calls `listener` for every message until it returns true; resolves then. */
  until<T>(predicate: (message: any) => T | undefined | false, ms: number, what: string): Promise<T> {
    let listener!: (message: any) => void;
    const found = new Promise<T>((resolve, reject) => {
      listener = (message) => {
        const value = predicate(message);
        if (value !== undefined && value !== false) {
          this.#listeners.delete(listener);
          resolve(value);
        }
      };
      this.#listeners.add(listener);
      this.#exitWaiters.push(() =>
        reject(new Error(`${what}: the process exited (${JSON.stringify(this.exited)})\n${this.diagnostics()}`)),
      );
    });
    return withTimeout(found, ms, what).finally(() => this.#listeners.delete(listener));
  }

  on(listener: (message: any) => void): void {
    this.#listeners.add(listener);
  }

  diagnostics(): string {
    return `stderr: ${this.stderrTail.join('').slice(-3000)}\nstray stdout: ${this.stray.slice(-10).join('\n')}`;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.#exitWaiters.push(resolve));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(timer);
  }
}

export interface WireCounters {
  in: number;
  out: number;
  lost: number;
  downDropped: number;
  queueDropped: number;
  writeErrors: number;
}
export interface WireReply {
  settings: { loss: number; delayMs: number; rateKbps: number; queueMs: number; down: boolean };
  ab: WireCounters;
  ba: WireCounters;
  error?: string;
}

/** test/fixtures/tun-wire.py: set() merges settings and resolves with the counters. */
export class Wire {
  readonly #process: JsonChild;
  #chain: Promise<unknown> = Promise.resolve();

  private constructor(process: JsonChild) {
    this.#process = process;
  }

  static async create(devA: string, devB: string): Promise<Wire> {
    const p = new JsonChild('python3', [path.join(fixturesDir, 'tun-wire.py'), devA, devB]);
    const spawned = new Promise<void>((resolve, reject) => {
      p.child.once('spawn', resolve);
      p.child.once('error', reject);
    });
    try {
      await spawned;
      await p.until((m) => m.ready === true || undefined, 10000, 'the wire saying it is ready');
    } catch (error) {
      await p.stop();
      throw new Error(`${(error as Error).message}\n${p.diagnostics()}`);
    }
    return new Wire(p);
  }

  set(update: Partial<WireReply['settings']>): Promise<WireReply> {
    const result = this.#chain.then(async () => {
      const reply = this.#process.until<WireReply>((m) => (m.settings ? m : undefined), 10000, 'the wire answering');
      this.#process.send(update);
      const r = await reply;
      if (r.error) throw new Error(`the wire refused ${JSON.stringify(update)}: ${r.error}`);
      return r;
    });
    this.#chain = result.catch(() => undefined);
    return result;
  }

  stop(): Promise<void> {
    return this.#process.stop();
  }
}

export interface PeerStats {
  connectionState: string;
  iceConnectionState: string;
  outbound: Record<string, any> | null;
  remoteInbound: Record<string, any> | null;
  inbound: Record<string, any> | null;
  pair: Record<string, any> | null;
  dataChannel: Record<string, any> | null;
  sink: { frames: number; width: number; height: number };
}

/** test/fixtures/netpeer.js in a namespace, with its state changes recorded. */
export class NetPeer {
  readonly name: string;
  readonly process: JsonChild;
  /** Every distinct connectionState / iceConnectionState in order (repeats collapsed). */
  readonly connectionStates: string[] = ['new'];
  readonly iceConnectionStates: string[] = ['new'];
  connectionState = 'new';
  iceConnectionState = 'new';
  readonly errors: string[] = [];
  #nextId = 1;

  constructor(name: string, ns: string, args: string[]) {
    this.name = name;
    this.process = new JsonChild('ip', [
      'netns',
      'exec',
      ns,
      process.execPath,
      path.join(fixturesDir, 'netpeer.js'),
      ...args,
    ]);
    this.process.on((m) => {
      if (m.event === 'state') {
        this.connectionState = m.connectionState;
        this.iceConnectionState = m.iceConnectionState;
        if (this.connectionStates.at(-1) !== m.connectionState) this.connectionStates.push(m.connectionState);
        if (this.iceConnectionStates.at(-1) !== m.iceConnectionState)
          this.iceConnectionStates.push(m.iceConnectionState);
      } else if (m.event === 'error') {
        this.errors.push(m.message);
      }
    });
  }

  async request<T = unknown>(cmd: string, extra: Record<string, unknown> = {}, ms = 20000): Promise<T> {
    const id = this.#nextId++;
    const reply = this.process.until((m) => (m.id === id ? m : undefined), ms, `${this.name}: '${cmd}'`);
    this.process.send({ id, cmd, ...extra });
    const r = await reply;
    if (r.error) throw new Error(`${this.name}: '${cmd}' failed: ${r.error}`);
    return r.result as T;
  }

  stats(): Promise<PeerStats> {
    return this.request<PeerStats>('stats');
  }

  /** Resolves once connectionState and iceConnectionState are in the given sets. */
  waitForStates(connection: readonly string[], ice: readonly string[], ms: number, what: string): Promise<void> {
    const ok = () => connection.includes(this.connectionState) && ice.includes(this.iceConnectionState);
    if (ok()) return Promise.resolve();
    return this.process
      .until(
        (m) => (m.event === 'state' && ok()) || undefined,
        ms,
        `${this.name}: ${what} (now ${this.connectionState}/${this.iceConnectionState})`,
      )
      .then(() => undefined);
  }

  event(name: string, ms: number, predicate: (m: any) => boolean = () => true): Promise<any> {
    return this.process.until(
      (m) => (m.event === name && predicate(m) ? m : undefined),
      ms,
      `${this.name}: the '${name}' event`,
    );
  }

  diagnostics(): string {
    return `${this.name} (${this.connectionStates.join('>')}; errors ${JSON.stringify(this.errors)}) ${this.process.diagnostics()}`;
  }
}

let rigCount = 0;

/** Two namespaces, the wire between them, a peer in each ('a' offers, 'b' answers). */
export class Rig {
  readonly nsA: string;
  readonly nsB: string;
  readonly devA: string;
  readonly devB: string;
  wire: Wire | null = null;
  a: NetPeer | null = null;
  b: NetPeer | null = null;

  constructor() {
    const tag = `${process.pid}${String.fromCharCode(97 + (rigCount++ % 26))}`;
    this.nsA = `lwnfA${tag}`;
    this.nsB = `lwnfB${tag}`;
    this.devA = `lwa${tag}`; // interface names: 15 characters at most
    this.devB = `lwb${tag}`;
  }

  /** Makes the namespaces and the wire, with the addresses up. */
  async build(): Promise<void> {
    await ip('netns', 'add', this.nsA);
    liveNamespaces.add(this.nsA);
    await ip('netns', 'add', this.nsB);
    liveNamespaces.add(this.nsB);
    this.wire = await Wire.create(this.devA, this.devB);
    for (const [dev, ns, local, peer] of [
      [this.devA, this.nsA, '10.77.0.1', '10.77.0.2'],
      [this.devB, this.nsB, '10.77.0.2', '10.77.0.1'],
    ] as const) {
      await ip('link', 'set', dev, 'netns', ns);
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      await ip('-n', ns, 'addr', 'add', `${local}/32`, 'peer', `${peer}/32`, 'dev', dev);
      await ip('-n', ns, 'link', 'set', dev, 'up');
    }
  }

  /** Starts the peers and connects them: a data channel, and video from 'a' if asked. */
  async connect(options: { video?: [number, number] } = {}, ms = 40000): Promise<{ a: NetPeer; b: NetPeer }> {
    const a = (this.a = new NetPeer('A', this.nsA, [
      'offer',
      ...(options.video ? ['--send-video', options.video.join('x')] : []),
    ]));
    const b = (this.b = new NetPeer('B', this.nsB, ['answer']));
    a.process.on((m) => m.signal && b.process.send({ signal: m.signal }));
    b.process.on((m) => m.signal && a.process.send({ signal: m.signal }));
    const opened = Promise.all([a.event('open', ms), b.event('open', ms)]);
    const track = options.video ? b.event('track', ms) : Promise.resolve();
    await a.request('start');
    await Promise.all([
      opened,
      track,
      a.waitForStates(['connected'], ['connected', 'completed'], ms, 'connecting'),
      b.waitForStates(['connected'], ['connected', 'completed'], ms, 'connecting'),
    ]);
    return { a, b };
  }

  /** `tc OBJECT VERB dev DEVICE ...` in a side's namespace: tc('a', 'qdisc', 'add', 'root', 'tbf', ...). */
  async tc(side: 'a' | 'b', object: string, verb: string, ...rest: string[]): Promise<void> {
    const [ns, dev] = side === 'a' ? [this.nsA, this.devA] : [this.nsB, this.devB];
    await execFileAsync('ip', ['netns', 'exec', ns, 'tc', object, verb, 'dev', dev, ...rest], { timeout: 15000 });
  }

  diagnostics(): string {
    return [this.a?.diagnostics(), this.b?.diagnostics()].filter(Boolean).join('\n');
  }

  async destroy(): Promise<void> {
    await Promise.all([this.a?.process.stop(), this.b?.process.stop()]);
    await this.wire?.stop();
    for (const ns of [this.nsA, this.nsB]) {
      if (!liveNamespaces.has(ns)) continue;
      try {
        await ip('netns', 'del', ns);
      } catch {
        /* not made */
      }
      liveNamespaces.delete(ns);
    }
  }
}

/** Why this machine cannot run the rig (null when it can): made and destroyed once to find out. */
export async function rigUnavailable(): Promise<string | null> {
  if (process.platform !== 'linux') return `network namespaces are Linux's (this is ${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return 'making network namespaces and TUN devices needs root';
  try {
    fs.accessSync('/dev/net/tun', fs.constants.R_OK | fs.constants.W_OK);
  } catch (error) {
    return `/dev/net/tun is not usable: ${(error as Error).message}`;
  }
  for (const [command, args] of [
    ['ip', ['-V']],
    ['python3', ['--version']],
    ['tc', ['-V']],
  ] as const) {
    try {
      await execFileAsync(command, [...args], { timeout: 10000 });
    } catch (error) {
      return `${command} is not usable: ${(error as Error).message}`;
    }
  }
  const rig = new Rig();
  try {
    await rig.build();
    await rig.tc('a', 'qdisc', 'add', 'root', 'tbf', 'rate', '1mbit', 'burst', '10kb', 'latency', '100ms');
    return null;
  } catch (error) {
    return `could not make namespaces joined by TUN devices with a tbf qdisc: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    await rig.destroy();
  }
}
