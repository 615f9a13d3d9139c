// Capture devices against real virtual devices the tests start (test/device-env.ts): an Xvfb
// display showing known colours for getDisplayMedia(), a user-mode PulseAudio with a sine source
// for getUserMedia({ audio }) and a null sink to play received audio to. No camera exists here:
// enumerateDevices() lists none and getUserMedia({ video }) rejects with NotFoundError.
import * as assert from 'node:assert/strict';
import {
  type MediaStreamTrack,
  OverconstrainedError,
  RTCPeerConnection,
  mediaDevices,
  nonstandard,
} from '../lib/index.js';
import { assertError, createPair, negotiate, rejectionOf, usePeers, waitForEvent } from './helpers.js';
import { collectAudio, dominantFrequency, nextFrame, rms } from './media-helpers.js';
import { requirePrograms, startPulseAudio, startXvfb, type Display, type Pulse } from './device-env.js';
import { CRASH_PATTERN, describeRun, fixturesDir, lastJson, runFixture, type ChildResult } from './child-process.js';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const TIMEOUT_MS = 30000;

/** The RGB of pixel (x, y) of an I420 frame. */
function rgbAt(
  frame: { width: number; height: number; data: Uint8Array },
  x: number,
  y: number,
): [number, number, number] {
  const rgba = { width: frame.width, height: frame.height, data: new Uint8Array(frame.width * frame.height * 4) };
  nonstandard.i420ToRgba(frame, rgba);
  const i = (y * frame.width + x) * 4;
  return [rgba.data[i]!, rgba.data[i + 1]!, rgba.data[i + 2]!];
}

const isRed = ([r, g, b]: number[]) => r! > 200 && g! < 60 && b! < 60;
const isBlue = ([r, g, b]: number[]) => b! > 200 && r! < 60 && g! < 60;

function withEnv(name: string, value: string): () => void {
  const old = process.env[name];
  process.env[name] = value;
  return () => {
    if (old === undefined) delete process.env[name];
    else process.env[name] = old;
  };
}

describe('capture devices: screens and windows (Xvfb)', function () {
  this.timeout(TIMEOUT_MS * 2);
  usePeers();
  let display: Display | undefined;
  let restore: () => void = () => {};
  let blue: { id: number; close(): Promise<void> };

  before(async function () {
    requirePrograms(this, ['Xvfb', 'xterm', 'xwininfo', 'xprop']);
    display = await startXvfb(640, 480);
    restore = withEnv('DISPLAY', display.name);
    // A red window over most of the screen, and a blue one apart from it, at the top left.
    await display.window('#ff0000', 'lwn-red', '70x30+220+150');
    blue = await display.window('#0000ff', 'lwn-blue', '20x5+0+0');
  });
  after(async () => {
    restore();
    await display?.stop();
  });

  it('nonstandard.getDisplaySources() lists the screen and the windows, with titles', async () => {
    const sources = await nonstandard.getDisplaySources();
    assert.ok(sources.some((s) => s.kind === 'screen' && /^screen:\d+$/.test(s.id)));
    const window = sources.find((s) => s.title === 'lwn-blue');
    assert.ok(window, JSON.stringify(sources));
    assert.equal(window!.id, `window:${blue.id}`);
  });

  it('getDisplayMedia() captures the primary screen: frames through RTCVideoSink show what is on it', async () => {
    const stream = await mediaDevices.getDisplayMedia({ video: { frameRate: 10 } });
    const [track] = stream.getVideoTracks();
    try {
      assert.equal(stream.getAudioTracks().length, 0);
      const frame = await nextFrame(track!, (f) => isRed(rgbAt(f, 500, 300)), TIMEOUT_MS);
      assert.deepEqual([frame.width, frame.height], [640, 480]);
      assert.ok(isBlue(rgbAt(frame, 5, 5)), 'the blue window at the top left is on the screen too');
      const settings = track!.getSettings();
      assert.equal(settings.displaySurface, 'monitor');
      assert.equal(settings.width, 640);
      assert.equal(settings.frameRate, 10);
    } finally {
      track!.stop();
    }
  });

  it('getDisplayMedia({ source }) captures the window chosen by id, not the screen', async () => {
    const stream = await mediaDevices.getDisplayMedia({ video: true, source: `window:${blue.id}` });
    const [track] = stream.getVideoTracks();
    try {
      const frame = await nextFrame(track!, () => true, TIMEOUT_MS);
      assert.ok(frame.width < 640, `the window's size, not the screen's (${frame.width}x${frame.height})`);
      assert.ok(isBlue(rgbAt(frame, frame.width >> 1, frame.height >> 1)), 'blue: the window');
      assert.equal(track!.getSettings().displaySurface, 'window');
    } finally {
      track!.stop();
    }
  });

  it('a screen track works with addTrack() and replaceTrack(): the far end receives the screen', async () => {
    const { a, b } = createPair();
    const first = (await mediaDevices.getDisplayMedia({ video: { frameRate: 10 } })).getVideoTracks()[0]!;
    const sender = a.addTrack(first);
    const remote = waitForEvent<Event & { track: MediaStreamTrack }>(b, 'track', TIMEOUT_MS);
    await negotiate(a, b);
    const { track } = await remote;
    await nextFrame(track, (f) => f.width === 640 && isRed(rgbAt(f, 500, 300)), TIMEOUT_MS);
    const windowTrack = (
      await mediaDevices.getDisplayMedia({ video: true, source: `window:${blue.id}` })
    ).getVideoTracks()[0]!;
    await sender.replaceTrack(windowTrack);
    await nextFrame(track, (f) => f.width < 640 && isBlue(rgbAt(f, f.width >> 1, f.height >> 1)), TIMEOUT_MS);
    first.stop();
    windowTrack.stop();
  });

  it('closing the captured window ends the track with an ended event', async () => {
    const closing = await display!.window('#00ff00', 'lwn-closing', '20x5+0+200');
    const [track] = (
      await mediaDevices.getDisplayMedia({ video: true, source: `window:${closing.id}` })
    ).getVideoTracks();
    await nextFrame(track!, () => true, TIMEOUT_MS);
    const ended = waitForEvent(track!, 'ended', TIMEOUT_MS);
    await closing.close();
    await ended;
    assert.equal(track!.readyState, 'ended');
  });

  it('refuses what getDisplayMedia() cannot take: video false, min or exact constraints, advanced (TypeError); an unknown source (NotFoundError)', async () => {
    assertError(await rejectionOf(mediaDevices.getDisplayMedia({ video: false })), 'TypeError');
    assertError(await rejectionOf(mediaDevices.getDisplayMedia({ video: { width: { min: 100 } } })), 'TypeError');
    assertError(await rejectionOf(mediaDevices.getDisplayMedia({ video: { advanced: [] } as never })), 'TypeError');
    assertError(await rejectionOf(mediaDevices.getDisplayMedia({ video: true, source: 'window:1' })), 'NotFoundError');
    assertError(await rejectionOf(mediaDevices.getDisplayMedia({ video: true, source: 'bogus' })), 'NotFoundError');
  });

  it('applyConstraints() on a screen track: a new size and frame rate in place', async () => {
    const [track] = (await mediaDevices.getDisplayMedia({ video: { frameRate: 10 } })).getVideoTracks();
    try {
      await nextFrame(track!, (f) => f.width === 640, TIMEOUT_MS);
      await track!.applyConstraints({ width: 320, height: 240, frameRate: 5 });
      await nextFrame(track!, (f) => f.width === 320 && f.height === 240, TIMEOUT_MS);
      assert.equal(track!.getSettings().frameRate, 5);
      assert.deepEqual(track!.getConstraints(), { width: 320, height: 240, frameRate: 5 });
    } finally {
      track!.stop();
    }
  });
});

describe('capture devices: microphones and speakers (PulseAudio)', function () {
  this.timeout(TIMEOUT_MS * 2);
  usePeers();
  let pulse: Pulse | undefined;
  let restore: () => void = () => {};

  before(async function () {
    requirePrograms(this, ['pulseaudio', 'pactl']);
    pulse = await startPulseAudio(440);
    restore = withEnv('PULSE_SERVER', pulse.server);
  });
  after(async () => {
    await nonstandard.setAudioOutputDevice(null).catch(() => undefined);
    restore();
    await pulse?.stop();
  });

  it('enumerateDevices(): the microphone and the speaker, with deviceIds that stay the same; no camera', async () => {
    const first = await mediaDevices.enumerateDevices();
    const second = await mediaDevices.enumerateDevices();
    assert.deepEqual(
      second.map((d) => d.toJSON()),
      first.map((d) => d.toJSON()),
    );
    const input = first.find((d) => d.kind === 'audioinput' && d.deviceId === 'tone');
    assert.ok(input, JSON.stringify(first));
    assert.equal(
      first[0],
      first.find((d) => d.kind === 'audioinput'),
      'the default input comes first',
    );
    assert.ok(first.some((d) => d.kind === 'audiooutput' && d.deviceId === 'speaker'));
    assert.ok(!first.some((d) => d.kind === 'videoinput'), 'no camera on this machine');
    const json = input!.toJSON();
    assert.deepEqual(Object.keys(json), ['deviceId', 'kind', 'label', 'groupId']);
    assert.equal(Object.prototype.toString.call(input), '[object InputDeviceInfo]');
    assert.deepEqual(
      (input as unknown as { getCapabilities(): { echoCancellation: boolean[] } }).getCapabilities().echoCancellation,
      [true, false],
    );
  });

  it('deviceIds are the same in another process (across restarts)', async () => {
    const here = (await mediaDevices.enumerateDevices()).map((d) => `${d.kind}:${d.deviceId}`);
    const packageRoot = path.join(fixturesDir, '..', '..');
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        `require(${JSON.stringify(packageRoot)}).mediaDevices.enumerateDevices().then((d) => console.log(JSON.stringify(d.map((x) => x.kind + ':' + x.deviceId))))`,
      ],
      { encoding: 'utf8', timeout: 30000, env: { ...process.env, PULSE_SERVER: pulse!.server } },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), here);
  });

  it('getUserMedia({ audio: true }) captures the source: the 440 Hz tone arrives', async () => {
    const stream = await mediaDevices.getUserMedia({ audio: true });
    const [track] = stream.getAudioTracks();
    try {
      assert.equal(track!.label, 'Sine source at 440 Hz');
      const settings = track!.getSettings();
      assert.equal(settings.deviceId, 'tone');
      assert.equal(settings.echoCancellation, true, 'processing is on by default, as in browsers');
      const audio = await collectAudio(track!, 500, (s) => rms(s) > 500, TIMEOUT_MS);
      const frequency = dominantFrequency(audio.samples, audio.sampleRate, audio.channelCount);
      assert.ok(Math.abs(frequency - 440) < 20, `${frequency} Hz`);
    } finally {
      track!.stop();
    }
  });

  it('audio constraints: channelCount and sampleRate choose the format; processing off; OverconstrainedError for an unknown deviceId', async () => {
    const [track] = (
      await mediaDevices.getUserMedia({
        audio: {
          deviceId: { exact: 'tone' },
          sampleRate: 16000,
          echoCancellation: false,
          noiseSuppression: false,
          autoGainControl: false,
        },
      })
    ).getAudioTracks();
    try {
      const audio = await collectAudio(track!, 300, (s) => rms(s) > 500, TIMEOUT_MS);
      assert.equal(audio.sampleRate, 16000);
      assert.equal(track!.getSettings().noiseSuppression, false);
      assert.ok(Math.abs(dominantFrequency(audio.samples, audio.sampleRate, audio.channelCount) - 440) < 20);
      await track!.applyConstraints({ noiseSuppression: true });
      assert.equal(track!.getSettings().noiseSuppression, true);
    } finally {
      track!.stop();
    }
    const error = await rejectionOf(mediaDevices.getUserMedia({ audio: { deviceId: { exact: 'nope' } } }));
    assert.ok(error instanceof OverconstrainedError);
    assert.equal((error as OverconstrainedError).constraint, 'deviceId');
  });

  it('received audio plays to the chosen speaker: its monitor, recorded back, has the sent tone', async () => {
    await nonstandard.setAudioOutputDevice('speaker');
    const { a, b } = createPair();
    const source = new nonstandard.RTCAudioSource();
    const sent = source.createTrack();
    let phase = 0;
    const timer = setInterval(() => {
      const samples = new Int16Array(480);
      for (let i = 0; i < 480; i++) samples[i] = Math.round(12000 * Math.sin((2 * Math.PI * 1000 * phase++) / 48000));
      source.onData({ samples, sampleRate: 48000 });
    }, 10);
    try {
      a.addTrack(sent);
      await negotiate(a, b);
      const monitor = (
        await mediaDevices.getUserMedia({
          audio: {
            deviceId: { exact: 'speaker.monitor' },
            echoCancellation: false,
            noiseSuppression: false,
            autoGainControl: false,
          },
        })
      ).getAudioTracks()[0]!;
      const audio = await collectAudio(monitor, 500, (s) => rms(s) > 500, TIMEOUT_MS);
      monitor.stop();
      const frequency = dominantFrequency(audio.samples, audio.sampleRate, audio.channelCount);
      assert.ok(Math.abs(frequency - 1000) < 30, `${frequency} Hz recorded from the speaker's monitor`);
    } finally {
      clearInterval(timer);
      sent.stop();
      await nonstandard.setAudioOutputDevice(null);
    }
  });

  it('devicechange fires when a device comes and when it goes', async () => {
    const came = waitForEvent(mediaDevices, 'devicechange', TIMEOUT_MS);
    // The watcher starts with the listener; give its first listing a moment before the change.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const module = pulse!.pactl('load-module', 'module-null-sink', 'sink_name=extra').trim();
    await came;
    assert.ok((await mediaDevices.enumerateDevices()).some((d) => d.deviceId === 'extra'));
    const went = waitForEvent(mediaDevices, 'devicechange', TIMEOUT_MS);
    pulse!.pactl('unload-module', module);
    await went;
    assert.ok(!(await mediaDevices.enumerateDevices()).some((d) => d.deviceId === 'extra'));
  });

  it('a source that goes away ends its track (ended)', async () => {
    const module = pulse!.pactl('load-module', 'module-sine-source', 'source_name=brief', 'frequency=300').trim();
    const [track] = (await mediaDevices.getUserMedia({ audio: { deviceId: { exact: 'brief' } } })).getAudioTracks();
    const ended = waitForEvent(track!, 'ended', TIMEOUT_MS);
    pulse!.pactl('unload-module', module);
    await ended;
    assert.equal(track!.readyState, 'ended');
  });
});

describe('capture devices: cameras (none on this machine)', () => {
  it('getUserMedia({ video: true }) rejects with NotFoundError; TypeError for {} and for nothing requested', async () => {
    assertError(await rejectionOf(mediaDevices.getUserMedia({ video: true })), 'NotFoundError');
    assertError(await rejectionOf(mediaDevices.getUserMedia({})), 'TypeError');
    assertError(await rejectionOf(mediaDevices.getUserMedia({ audio: false, video: false })), 'TypeError');
    assertError(await rejectionOf(mediaDevices.getUserMedia(42 as never)), 'TypeError');
    assert.ok(RTCPeerConnection, 'the package still loads and runs without devices');
  });

  it('with no PulseAudio server: enumerateDevices() lists no audio device, getUserMedia({ audio }) rejects with NotReadableError saying why', () => {
    const packageRoot = path.join(fixturesDir, '..', '..');
    const script = `const { mediaDevices } = require(${JSON.stringify(packageRoot)});
      (async () => {
        const devices = await mediaDevices.enumerateDevices();
        const error = await mediaDevices.getUserMedia({ audio: true }).then(() => null, (e) => e);
        console.log(JSON.stringify({ audio: devices.filter((d) => d.kind !== 'videoinput').length, name: error && error.name, message: error && error.message }));
      })();`;
    const r = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      timeout: 30000,
      env: { ...process.env, PULSE_SERVER: 'unix:/nonexistent/pulse/native' },
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { audio: number; name: string; message: string };
    assert.equal(out.audio, 0);
    assert.equal(out.name, 'NotReadableError');
    assert.match(out.message, /PulseAudio/);
  });

  it("the README's manual camera check (examples/camera-check.js) says there is none, exit code 2", () => {
    const r = spawnSync(process.execPath, [path.join(fixturesDir, '..', '..', 'examples', 'camera-check.js')], {
      encoding: 'utf8',
      timeout: 30000,
    });
    assert.equal(r.status, 2, `${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /no camera found/);
  });
});

describe('capture devices: workers and the process lifetime (child processes)', function () {
  this.timeout(TIMEOUT_MS * 4);
  let display: Display | undefined;
  let pulse: Pulse | undefined;
  let env: Record<string, string> = {};

  before(async function () {
    requirePrograms(this, ['Xvfb', 'xterm', 'xwininfo', 'xprop', 'pulseaudio', 'pactl']);
    display = await startXvfb(320, 240);
    await display.window('#ff0000', 'lwn-lifetime', '20x5+0+0');
    pulse = await startPulseAudio(440);
    env = { DISPLAY: display.name, PULSE_SERVER: pulse.server };
  });
  after(async () => {
    await display?.stop();
    await pulse?.stop();
  });

  function assertCleanExit(name: string, r: ChildResult): void {
    const account = describeRun(name, r);
    assert.equal(r.timedOut, false, `did not exit by itself\n${account}`);
    assert.equal(r.signal, null, `killed by a signal\n${account}`);
    assert.doesNotMatch(r.stderr, CRASH_PATTERN, `crash output on stderr\n${account}`);
    assert.equal(r.code, 0, `exit code\n${account}`);
  }

  it('every device path, then every track stopped: the process exits by itself', async () => {
    const r = await runFixture('device-lifecycle.js', ['all'], { timeoutMs: TIMEOUT_MS * 2, env });
    assertCleanExit('all', r);
    assert.match(r.stdout, /^stopped$/m);
  });

  it('process.exit(0) with the screen and the microphone capturing and audio playing out: no crash', async () => {
    const r = await runFixture('device-lifecycle.js', ['exit'], { timeoutMs: TIMEOUT_MS * 2, env });
    assertCleanExit('exit', r);
    assert.match(r.stdout, /^capturing$/m);
  });

  it('in worker threads: every device path in one; another terminate()d while capturing; the main thread exits by itself', async () => {
    const r = await runFixture('device-lifecycle.js', ['worker'], { timeoutMs: TIMEOUT_MS * 3, env });
    assertCleanExit('worker', r);
    assert.match(r.stdout, /^worker-all: stopped$/m);
    assert.match(r.stdout, /^worker-exit: capturing$/m);
    const out = lastJson<{
      allCode: number;
      terminateCode: number;
      info: { runtime: boolean; peerConnections: number };
    }>(r.stdout);
    assert.equal(out.allCode, 0, 'the first worker ended by itself');
    assert.equal(out.terminateCode, 1);
    assert.deepEqual(out.info, { runtime: false, peerConnections: 0 });
  });
});
