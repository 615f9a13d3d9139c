// Raw media at the edges (nonstandard, node-webrtc's names): RTCVideoSource frame formats,
// rotation and timestamps, RTCAudioSource chunking and sample rates, the sinks' bounded queues,
// and the frame conversions. A local track delivers its source's frames to its sinks directly,
// so most of this needs no connection.
import * as assert from 'node:assert/strict';
import { nonstandard, type MediaStreamTrack } from '../lib/index.js';
import type { RTCAudioDataEvent, RTCVideoFrameEvent } from '../lib/nonstandard/index.js';
import { assertError, thrownBy } from './helpers.js';

const { RTCVideoSource, RTCVideoSink, RTCAudioSource, RTCAudioSink, i420ToRgba, rgbaToI420 } = nonstandard;

/** Resolves with the next `count` events of `type` (frames or audio chunks) of a sink. */
function take<E extends Event>(target: EventTarget, type: string, count: number): Promise<E[]> {
  return new Promise((resolve, reject) => {
    const got: E[] = [];
    const timer = setTimeout(() => reject(new Error(`timed out: ${got.length} of ${count} '${type}' events`)), 10000);
    const listener = (event: Event) => {
      got.push(event as E);
      if (got.length < count) return;
      clearTimeout(timer);
      target.removeEventListener(type, listener);
      resolve(got);
    };
    target.addEventListener(type, listener);
  });
}

function solid(width: number, height: number, bytes: [number, number, number, number]): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set(bytes, i);
  return data;
}

describe('nonstandard: RTCVideoSource and RTCVideoSink', () => {
  const tracks: MediaStreamTrack[] = [];
  afterEach(() => tracks.splice(0).forEach((t) => t.stop()));
  function source(init?: { isScreencast?: boolean }) {
    const s = new RTCVideoSource(init);
    const track = s.createTrack();
    tracks.push(track);
    return { s, track };
  }

  it('takes I420 (node-webrtc), NV12, RGBA and BGRA frames; a sink gets them as I420 with the right luma', async () => {
    const { s, track } = source();
    const sink = new RTCVideoSink(track);
    const frames = take<RTCVideoFrameEvent>(sink, 'frame', 4);
    const w = 64;
    const h = 48;
    const i420 = new Uint8Array((w * h * 3) / 2).fill(128);
    i420.fill(100, 0, w * h);
    s.onFrame({ width: w, height: h, data: i420 });
    const nv12 = new Uint8Array((w * h * 3) / 2).fill(128);
    nv12.fill(150, 0, w * h);
    s.onFrame({ width: w, height: h, data: nv12, format: 'nv12' });
    s.onFrame({ width: w, height: h, data: solid(w, h, [255, 0, 0, 255]), format: 'rgba' });
    s.onFrame({ width: w, height: h, data: solid(w, h, [255, 0, 0, 255]), format: 'bgra' }); // blue
    const [a, b, c, d] = (await frames).map((e) => e.frame);
    sink.stop();
    for (const f of [a!, b!, c!, d!]) {
      assert.equal(f.width, w);
      assert.equal(f.height, h);
      assert.equal(f.data.byteLength, (w * h * 3) / 2);
    }
    assert.equal(a!.data[0], 100);
    assert.equal(b!.data[0], 150);
    // BT.601 studio range: red is Y ≈ 82, blue Y ≈ 41.
    assert.ok(Math.abs(c!.data[0]! - 82) <= 2, `red luma ${c!.data[0]}`);
    assert.ok(Math.abs(d!.data[0]! - 41) <= 2, `blue luma ${d!.data[0]}`);
  });

  it('passes rotation and timestamp through to the sink', async () => {
    const { s, track } = source();
    const sink = new RTCVideoSink(track);
    const frames = take<RTCVideoFrameEvent>(sink, 'frame', 1);
    s.onFrame({ width: 16, height: 16, data: new Uint8Array(16 * 16 * 1.5), rotation: 90, timestamp: 1234567 });
    const [{ frame }] = (await frames) as [RTCVideoFrameEvent];
    sink.stop();
    assert.equal(frame.rotation, 90);
    assert.equal(frame.timestamp, 1234567);
  });

  it('refuses bad frames with TypeError: wrong byteLength, format, rotation, size, data type', () => {
    const { s } = source();
    const ok = { width: 4, height: 4, data: new Uint8Array(24) };
    s.onFrame(ok);
    assertError(
      thrownBy(() => s.onFrame({ ...ok, data: new Uint8Array(23) })),
      'TypeError',
    );
    assertError(
      thrownBy(() => s.onFrame({ ...ok, format: 'yuv' as never })),
      'TypeError',
    );
    assertError(
      thrownBy(() => s.onFrame({ ...ok, rotation: 45 as never })),
      'TypeError',
    );
    assertError(
      thrownBy(() => s.onFrame({ ...ok, width: 0 })),
      'TypeError',
    );
    assertError(
      thrownBy(() => s.onFrame({ ...ok, data: [1, 2] as never })),
      'TypeError',
    );
    assertError(
      thrownBy(() => s.onFrame(null as never)),
      'TypeError',
    );
    assertError(
      thrownBy(() => new RTCVideoSink({} as MediaStreamTrack)),
      'TypeError',
    );
    assertError(
      thrownBy(() => new RTCVideoSink(new RTCAudioSource().createTrack())),
      'TypeError',
    );
  });

  it('a slow consumer loses the oldest frames, counted in droppedFrames; memory stays bounded', async () => {
    const { s, track } = source();
    const sink = new RTCVideoSink(track);
    let delivered = 0;
    sink.onframe = () => delivered++;
    const data = new Uint8Array(320 * 240 * 1.5);
    // The JS thread is busy feeding: nothing is delivered meanwhile, so the queue overflows.
    for (let i = 0; i < 100; i++) s.onFrame({ width: 320, height: 240, data });
    await take(sink, 'frame', 1).catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    sink.stop();
    assert.equal(delivered + sink.droppedFrames, 100, 'every frame either delivered or counted as dropped');
    assert.ok(delivered <= 4, `at most the queue's capacity delivered (${delivered})`);
    assert.ok(sink.droppedFrames >= 96);
  });

  it('stop() on the sink, or on its track, ends delivery at once', async () => {
    const { s, track } = source();
    const sink = new RTCVideoSink(track);
    let frames = 0;
    sink.onframe = () => frames++;
    s.onFrame({ width: 16, height: 16, data: new Uint8Array(384) });
    sink.stop();
    s.onFrame({ width: 16, height: 16, data: new Uint8Array(384) });
    const other = new RTCVideoSink(track);
    other.onframe = () => frames++;
    track.stop();
    s.onFrame({ width: 16, height: 16, data: new Uint8Array(384) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(frames, 0);
    assert.equal(sink.stopped, true);
  });

  it("applyConstraints({ frameRate }) on a source's track thins its frames evenly, by their timestamps; a clone is not thinned", async () => {
    const { s, track } = source();
    const clone = track.clone();
    tracks.push(clone);
    await track.applyConstraints({ frameRate: { max: 10 } });
    const counted = [track, clone].map((t) => {
      const sink = new RTCVideoSink(t);
      let delivered = 0;
      sink.onframe = () => delivered++;
      return () => delivered + sink.droppedFrames;
    });
    const data = new Uint8Array(64 * 48 * 1.5);
    // Three seconds of 30 fps, by their timestamps, fed at once.
    for (let i = 0; i < 90; i++)
      s.onFrame({ width: 64, height: 48, data, timestamp: 1_000_000 + Math.round((i * 1e6) / 30) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [thinned, whole] = counted.map((count) => count());
    assert.equal(whole, 90, 'the clone passes every frame');
    assert.ok(thinned! >= 28 && thinned! <= 32, `about 10 fps of 30 pass: ${thinned} of 90`);
    assert.deepEqual(track.getConstraints(), { frameRate: { max: 10 } });
    await track.applyConstraints({});
    const again = new RTCVideoSink(track);
    let after = 0;
    again.onframe = () => after++;
    for (let i = 90; i < 93; i++)
      s.onFrame({ width: 64, height: 48, data, timestamp: 1_000_000 + Math.round((i * 1e6) / 30) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(after + again.droppedFrames, 3, 'no limit once the constraint is gone');
  });

  it('isScreencast and needsDenoising are kept; getSettings() reports the size fed', () => {
    const s = new RTCVideoSource({ isScreencast: true });
    assert.equal(s.isScreencast, true);
    assert.equal(s.needsDenoising, null);
    const track = s.createTrack();
    tracks.push(track);
    s.onFrame({ width: 32, height: 16, data: new Uint8Array(32 * 16 * 1.5) });
    const settings = track.getSettings();
    assert.equal(settings.width, 32);
    assert.equal(settings.height, 16);
    assert.equal(settings.aspectRatio, 2);
  });
});

describe('nonstandard: RTCAudioSource and RTCAudioSink', () => {
  const tracks: MediaStreamTrack[] = [];
  afterEach(() => tracks.splice(0).forEach((t) => t.stop()));

  it('cuts any chunk length into 10 ms frames, at any sample rate that has whole 10 ms frames, mono or stereo', async () => {
    for (const [rate, channels] of [
      [44100, 2],
      [16000, 1],
      [8000, 1],
      [96000, 2],
    ] as const) {
      const source = new RTCAudioSource();
      const track = source.createTrack();
      tracks.push(track);
      const sink = new RTCAudioSink(track);
      const chunks = take<RTCAudioDataEvent>(sink, 'data', 3);
      // 7 ms pieces: three whole 10 ms frames need five of them.
      const piece = Math.round(rate * 0.007);
      let n = 0;
      for (let k = 0; k < 5; k++) {
        const samples = new Int16Array(piece * channels);
        for (let i = 0; i < samples.length; i++) samples[i] = n++ % 1000;
        source.onData({ samples, sampleRate: rate, channelCount: channels });
      }
      const got = await chunks;
      sink.stop();
      for (const chunk of got) {
        assert.equal(chunk.sampleRate, rate);
        assert.equal(chunk.channelCount, channels);
        assert.equal(chunk.numberOfFrames, rate / 100);
        assert.equal(chunk.samples.length, (rate / 100) * channels);
        assert.equal(chunk.bitsPerSample, 16);
      }
      // The samples arrive in order, with nothing lost between the pieces.
      const all = got.flatMap((c) => [...c.samples]);
      assert.deepEqual(all.slice(0, 5), [0, 1, 2, 3, 4]);
      assert.equal(all[all.length - 1], (all.length - 1) % 1000);
    }
  });

  it('refuses what libwebrtc cannot take with TypeError: sample rates without whole 10 ms frames, other sample sizes or channel counts', () => {
    const source = new RTCAudioSource();
    const samples = new Int16Array(480);
    source.onData({ samples, sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 });
    assertError(
      thrownBy(() => source.onData({ samples, sampleRate: 22050 })),
      'TypeError',
    );
    assertError(
      thrownBy(() => source.onData({ samples, sampleRate: 48000, bitsPerSample: 8 as never })),
      'TypeError',
    );
    assertError(
      thrownBy(() => source.onData({ samples, sampleRate: 48000, channelCount: 3 })),
      'TypeError',
    );
    assertError(
      thrownBy(() => source.onData({ samples: new Float32Array(480) as never, sampleRate: 48000 })),
      'TypeError',
    );
    assertError(
      thrownBy(() => source.onData({ samples, sampleRate: 48000, numberOfFrames: 100 })),
      'TypeError',
    );
  });

  it('a slow consumer loses the oldest chunks, counted in droppedChunks', async () => {
    const source = new RTCAudioSource();
    const track = source.createTrack();
    tracks.push(track);
    const sink = new RTCAudioSink(track);
    let delivered = 0;
    sink.ondata = () => delivered++;
    // 1.5 s of audio while the JS thread is busy: the one-second queue overflows.
    source.onData({ samples: new Int16Array(48000 * 1.5), sampleRate: 48000 });
    await take(sink, 'data', 1).catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    sink.stop();
    assert.equal(delivered + sink.droppedChunks, 150);
    assert.equal(sink.droppedChunks, 50);
  });
});

describe('nonstandard: i420ToRgba and rgbaToI420', () => {
  it('round-trip a gray picture, and check sizes', () => {
    const w = 8;
    const h = 6;
    const rgba = { width: w, height: h, data: solid(w, h, [128, 128, 128, 255]) };
    const i420 = { width: w, height: h, data: new Uint8Array((w * h * 3) / 2) };
    rgbaToI420(rgba, i420);
    assert.ok(Math.abs(i420.data[0]! - 126) <= 2, `luma ${i420.data[0]}`);
    const back = { width: w, height: h, data: new Uint8ClampedArray(w * h * 4) };
    i420ToRgba(i420, back);
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(back.data[c]! - 128) <= 3, `channel ${c}: ${back.data[c]}`);
    assert.equal(back.data[3], 255);
    assertError(
      thrownBy(() => i420ToRgba(i420, { width: w, height: h, data: new Uint8Array(10) })),
      'TypeError',
    );
    assertError(
      thrownBy(() => rgbaToI420(rgba, { width: w + 2, height: h, data: new Uint8Array(((w + 2) * h * 3) / 2) })),
      'InvalidAccessError',
    );
  });
});
