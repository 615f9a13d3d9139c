// The desktop-capture example end to end: examples/desktop-capture.js in a child process,
// capturing an Xvfb screen with known colours on it and a PulseAudio source playing 440 Hz (both
// started here), streamed to its viewer page (examples/public/viewer.html) in Chromium. The page
// must show the screen's colours where they are, and hear the tone; a window chosen by id must
// be what the page shows. Only this package has capture devices: other WRTC_IMPLs skip.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import type { Page } from 'playwright-core';

import { requirePrograms, startPulseAudio, startXvfb, type Display, type Pulse } from '../device-env.js';
import { launchChromium, waitFor, type Browser } from './harness.js';
import { packageRoot } from './impl.js';

interface App {
  child: ChildProcess;
  output: string[];
  url: string;
}

async function startApp(args: string[], env: Record<string, string>): Promise<App> {
  const output: string[] = [];
  const changes = new EventEmitter();
  const child = spawn(
    process.execPath,
    [path.join(packageRoot, 'examples', 'desktop-capture.js'), '--port', '0', ...args],
    {
      cwd: packageRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const collect = (chunk: Buffer): void => {
    output.push(chunk.toString());
    changes.emit('change');
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  child.once('exit', () => changes.emit('change'));
  const url = await waitFor(
    changes,
    () => {
      if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}):\n${output.join('')}`);
      return /open (http:\/\/\S+viewer\.html) in a browser/.exec(output.join(''))?.[1];
    },
    20000,
    'the app to print its URL',
    () => output.join(''),
  );
  return { child, output, url };
}

/** SIGTERM (the app's Ctrl-C); resolves with how it ended, killing it after 10 s. */
async function stop(child: ChildProcess): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null)
    return `already exited (${child.exitCode ?? child.signalCode})`;
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(`exit ${code ?? signal}`)),
  );
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
  const how = await exited;
  clearTimeout(timer);
  return how;
}

interface Seen {
  width: number;
  height: number;
  /** RGB at each asked point, given as fractions of the frame. */
  pixels: number[][];
}

/** Draws the page's received video into a canvas and reads the asked points. */
async function look(page: Page, points: [number, number][]): Promise<Seen | null> {
  return page.evaluate((pts) => {
    const video = (
      globalThis as unknown as { document: { getElementById(id: string): any; createElement(t: string): any } }
    ).document.getElementById('remote');
    if (!video || video.videoWidth === 0 || video.readyState < 2) return null;
    const canvas = (globalThis as any).document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext('2d');
    context.drawImage(video, 0, 0);
    const pixels = pts.map(([fx, fy]) =>
      Array.from(
        context
          .getImageData(Math.floor(fx * canvas.width), Math.floor(fy * canvas.height), 1, 1)
          .data.slice(0, 3) as number[],
      ),
    );
    return { width: video.videoWidth, height: video.videoHeight, pixels };
  }, points);
}

/** The page's received audio through an AnalyserNode: the strongest frequency, or null. */
async function hear(page: Page): Promise<number | null> {
  return page.evaluate(async () => {
    const g = globalThis as any;
    const track = g.remoteStream.getAudioTracks()[0];
    if (!track) return null;
    g.__context ??= new g.AudioContext();
    const context = g.__context;
    const analyser = context.createAnalyser();
    analyser.fftSize = 8192;
    analyser.smoothingTimeConstant = 0;
    context.createMediaStreamSource(new g.MediaStream([track])).connect(analyser);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const bins = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(bins);
    let best = 1;
    for (let i = 2; i < bins.length; i++) if (bins[i]! > bins[best]!) best = i;
    if (!Number.isFinite(bins[best]) || bins[best]! < -80) return null;
    return (best * context.sampleRate) / analyser.fftSize;
  });
}

/** Polls `probe` (a page query) until `ok`; the page has no event for "this pixel is red". */
async function until<T>(
  what: string,
  probe: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await probe();
  }
  return last;
}

const isRed = ([r, g, b]: number[]) => r! > 180 && g! < 80 && b! < 80;
const isBlue = ([r, g, b]: number[]) => b! > 180 && r! < 80 && g! < 80;

describe('interop: the desktop-capture example (examples/desktop-capture.js) in Chromium', function () {
  this.timeout(90000);
  let display: Display | undefined;
  let pulse: Pulse | undefined;
  let browser: Browser | undefined;
  let app: App | undefined;
  let blue: { id: number } | undefined;
  let env: Record<string, string> = {};

  before(async function () {
    if (process.env.WRTC_IMPL) {
      console.log(`      skipped: capture devices are this package's (WRTC_IMPL=${process.env.WRTC_IMPL})`);
      this.skip();
    }
    requirePrograms(this, ['Xvfb', 'xterm', 'xwininfo', 'xprop', 'pulseaudio', 'pactl']);
    display = await startXvfb(640, 480);
    // Red on the right half, blue at the top left: where each is tells a screen from a window
    // (xterm sizes are in characters, positions in pixels).
    await display.window('#ff0000', 'lwn-right', '60x40+330+0');
    blue = await display.window('#0000ff', 'lwn-left', '20x10+0+0');
    pulse = await startPulseAudio(440);
    env = { DISPLAY: display.name, PULSE_SERVER: pulse.server };
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await display?.stop();
    await pulse?.stop();
  });
  afterEach(async function () {
    if (app) {
      if (this.currentTest?.state === 'failed') console.log(`app output:\n${app.output.join('')}`);
      await stop(app.child);
      app = undefined;
    }
  });

  it('the screen and the microphone: the page shows the screen (colours in place) and hears 440 Hz; Ctrl-C ends the app', async () => {
    app = await startApp(['--frame-rate', '15'], env);
    assert.match(app.output.join(''), /capturing monitor 640x480 at 15 fps and 'Sine source at 440 Hz'/);
    const page = await browser!.context.newPage();
    try {
      await page.goto(app.url);
      const seen = await until(
        'the screen in the page',
        () =>
          look(page, [
            [0.75, 0.5],
            [0.01, 0.01],
            [0.25, 0.75],
          ]),
        (s) => s !== null && s.width === 640 && isRed(s.pixels[0]!) && isBlue(s.pixels[1]!),
        30000,
      );
      assert.deepEqual([seen!.width, seen!.height], [640, 480]);
      assert.ok(!isRed(seen!.pixels[2]!) && !isBlue(seen!.pixels[2]!), 'the bare screen, bottom left, is neither');
      const frequency = await until(
        'the tone in the page',
        () => hear(page),
        (f) => f !== null && Math.abs(f - 440) < 15,
        30000,
      );
      assert.ok(Math.abs(frequency! - 440) < 15, `${frequency} Hz`);
    } finally {
      await page.close();
    }
    assert.equal(await stop(app.child), 'exit 0', app.output.join(''));
  });

  it('--source window:<id>: the page shows that window alone', async () => {
    app = await startApp(['--source', `window:${blue!.id}`, '--no-audio'], env);
    assert.match(app.output.join(''), /capturing window \d+x\d+/);
    const page = await browser!.context.newPage();
    try {
      await page.goto(app.url);
      const seen = await until(
        'the window in the page',
        () => look(page, [[0.5, 0.5]]),
        (s) => s !== null && isBlue(s.pixels[0]!),
        30000,
      );
      assert.ok(seen!.width < 320, `the window's width, not the screen's: ${seen!.width}`);
    } finally {
      await page.close();
    }
  });
});
