// Real virtual devices for the device tests, started and stopped by the tests themselves: an
// Xvfb display with solid-coloured windows on it, and a user-mode PulseAudio server with a null
// sink (a speaker whose monitor can be recorded) and a sine source (a microphone playing a known
// tone). When a program is missing, the test skips and says why (scripts/setup.sh installs them).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The environment for the device programs: ours without what instruments this process (the
 * AddressSanitizer run preloads its runtime, which PulseAudio refuses to run under).
 */
function programEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { LD_PRELOAD, ASAN_OPTIONS, UBSAN_OPTIONS, LSAN_OPTIONS, ...env } = process.env;
  void [LD_PRELOAD, ASAN_OPTIONS, UBSAN_OPTIONS, LSAN_OPTIONS];
  return { ...env, ...extra };
}

export function which(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}

/** Skips the current test (or hook's suite) with the reason printed, unless every program is there. */
export function requirePrograms(context: Mocha.Context, programs: string[]): void {
  const missing = programs.filter((p) => !which(p));
  if (missing.length === 0) return;
  const reason = `skipped: ${missing.join(', ')} not installed (bash scripts/setup.sh --devices installs them)`;
  console.log(`      ${reason}`);
  context.skip();
}

async function until(what: string, ready: () => boolean, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export interface Display {
  name: string;
  stop(): Promise<void>;
  /** A window of one colour; resolves with its X id once the capturer can list it. */
  window(colour: string, title: string, geometry: string): Promise<{ id: number; close(): Promise<void> }>;
}

/** An Xvfb display of `width`×`height` on a free display number. */
export async function startXvfb(width = 640, height = 480): Promise<Display> {
  let number = 90 + (process.pid % 50);
  while (fs.existsSync(`/tmp/.X11-unix/X${number}`) || fs.existsSync(`/tmp/.X${number}-lock`)) number++;
  const name = `:${number}`;
  const server = spawn(
    'Xvfb',
    // -noreset: without it the server resets whenever its last client leaves, and a client
    // connecting during the reset (our polling xwininfo, a starting xterm) can be turned away.
    [name, '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '-noreset', '+extension', 'Composite'],
    { stdio: 'ignore', env: programEnv({}) },
  );
  const env = programEnv({ DISPLAY: name });
  // Ready when it answers a client, not when its socket appears.
  await until(
    `Xvfb ${name}`,
    () =>
      fs.existsSync(`/tmp/.X11-unix/X${number}`) &&
      spawnSync('xwininfo', ['-root'], { env, stdio: 'ignore' }).status === 0,
    30000,
  );
  const windows: ChildProcess[] = [];
  return {
    name,
    async stop() {
      await Promise.all(windows.map(kill));
      await kill(server);
    },
    async window(colour, title, geometry) {
      // xterm with no text: one colour. No window manager runs, so the window is marked as a
      // managed application window (WM_STATE Normal) as one would, for capturers to list it.
      // On a loaded machine (the sanitizer run) an xterm can fail to start: it is started
      // again, and its own words are in the error when it never shows.
      let child: ChildProcess | undefined;
      let stderr = '';
      let attempts = 0;
      const start = () => {
        attempts++;
        stderr = '';
        child = spawn(
          'xterm',
          ['-bg', colour, '-fg', colour, '-title', title, '-geometry', geometry, '-e', 'sleep 3600'],
          { env, stdio: ['ignore', 'ignore', 'pipe'] },
        );
        child.stderr!.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        windows.push(child);
      };
      start();
      let id = 0;
      try {
        await until(
          `window '${title}'`,
          () => {
            const exited = child!.exitCode !== null || child!.signalCode !== null;
            if (exited && attempts < 3) start();
            const r = spawnSync('xwininfo', ['-name', title], { env, encoding: 'utf8' });
            const match = /Window id: (0x[0-9a-f]+)/.exec(r.stdout ?? '');
            if (match && /Map State: IsViewable/.test(r.stdout)) id = Number.parseInt(match[1]!, 16);
            return id !== 0;
          },
          30000,
        );
      } catch (error) {
        const status = child!.exitCode ?? child!.signalCode ?? 'running';
        throw new Error(
          `${(error as Error).message} (xterm started ${attempts} times, last: ${status}; stderr: ${stderr.trim() || 'none'})`,
        );
      }
      spawnSync('xprop', ['-id', String(id), '-f', 'WM_STATE', '32c', '-set', 'WM_STATE', '1'], { env });
      const shown = child!;
      return { id, close: () => kill(shown) };
    },
  };
}

export interface Pulse {
  server: string;
  /** pactl against this server. */
  pactl(...args: string[]): string;
  stop(): Promise<void>;
}

/**
 * A user-mode PulseAudio with a null sink 'speaker' (48 kHz stereo; its monitor records what it
 * plays) and a sine source 'tone' at `frequency` Hz, as the defaults.
 */
export async function startPulseAudio(frequency = 440): Promise<Pulse> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lwn-pulse-'));
  const socket = path.join(dir, 'native');
  fs.writeFileSync(
    path.join(dir, 'default.pa'),
    [
      `load-module module-native-protocol-unix socket=${socket} auth-anonymous=1`,
      'load-module module-null-sink sink_name=speaker rate=48000 channels=2',
      `load-module module-sine-source source_name=tone frequency=${frequency} rate=48000`,
      'set-default-sink speaker',
      'set-default-source tone',
      '',
    ].join('\n'),
  );
  const env = programEnv({ HOME: dir, XDG_RUNTIME_DIR: dir, XDG_CONFIG_HOME: dir });
  const daemon = spawn(
    'pulseaudio',
    [
      '-n',
      '-F',
      path.join(dir, 'default.pa'),
      '--daemonize=no',
      '--exit-idle-time=-1',
      '--disable-shm=yes',
      '--use-pid-file=no',
    ],
    { env, stdio: 'ignore' },
  );
  const server = `unix:${socket}`;
  const pactl = (...args: string[]) =>
    spawnSync('pactl', args, { env: programEnv({ PULSE_SERVER: server }), encoding: 'utf8' }).stdout ?? '';
  await until('PulseAudio', () => fs.existsSync(socket) && pactl('info').includes('Server Name'));
  return {
    server,
    pactl,
    async stop() {
      await kill(daemon);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
