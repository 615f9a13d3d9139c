// Audio and video both ways between Chromium (fake camera and microphone) and the Node peer
// (node-webrtc's nonstandard sources and sinks, which the package exports under the same names),
// and what the audio carries: Opus both ways, Node's 440 Hz tone heard in the page, the fake
// microphone's beeps in Node's sink.
import * as assert from 'node:assert/strict';

import { useInterop, type Session } from './harness.js';
import { implName } from './impl.js';
import { HEIGHT, WIDTH, oneStream, startPatternSource, startToneSource, type RunningSource } from './media-io.js';
import type { MediaStream, Nonstandard, RTCPeerConnection } from './types.js';

/** Node's media: the test pattern and a 440 Hz tone, in one stream. */
function nodeSources(s: Session, defer: (fn: () => void) => void): { sources: RunningSource[]; stream: MediaStream } {
  const ns = s.wrtc.nonstandard as Nonstandard;
  assert.ok(ns, 'the implementation exports nonstandard');
  const sources = [startToneSource(ns, 440), startPatternSource(ns)];
  defer(() => {
    for (const source of sources) source.stop();
  });
  return { sources, stream: new s.wrtc.MediaStream!(sources.map((x) => x.track)) };
}

describe(`interop: media with Chromium [${implName}]`, function () {
  this.timeout(40000);
  const interop = useInterop();

  it('h. audio and video both ways: browser camera+mic to node sinks, node sources to the browser', async function () {
    let media: { sources: RunningSource[]; stream: MediaStream } | undefined;
    const s = await interop.open({
      // MDN's answerer adds its own camera's tracks between setRemoteDescription and createAnswer.
      onRemoteOffer: (pc: RTCPeerConnection) => {
        for (const source of media!.sources) pc.addTrack(source.track, media!.stream);
      },
    });
    media = nodeSources(s, interop.defer);
    s.node.sinkRemoteTracks();

    // The browser's fake devices; adding them makes its negotiationneeded offer.
    const tracks = await s.browser.addUserMedia({ audio: true, video: { width: WIDTH, height: HEIGHT } });
    assert.deepEqual(tracks.map((t) => t.kind).sort(), ['audio', 'video']);
    const camera = tracks.find((t) => t.kind === 'video')!.settings;
    await s.bothConnected(20000);

    // Browser → node: frames of the camera's size, and audio.
    await s.until(() => s.node.view.videoFrames.length >= 10, 'ten video frames in the node sink', 20000);
    await s.until(() => s.node.view.audioSamples >= 4800, '100 ms of audio in the node sink', 20000);
    assert.deepEqual(s.node.view.tracks.map((t) => t.kind).sort(), ['audio', 'video']);
    const sizes = new Set(s.node.view.videoFrames.map((f) => `${f.width}x${f.height}`));
    assert.deepEqual([...sizes], [`${camera.width}x${camera.height}`], 'every frame has the camera size');

    // Node → browser: the tracks unmute when RTP arrives, and the video element presents frames
    // of the size node sent.
    await s.until(
      () => s.browser.view.tracks.length === 2 && s.browser.view.tracks.every((t) => t.unmuted),
      'both remote tracks unmuted in the browser',
      20000,
    );
    await s.until(() => s.browser.view.videoFrames.length >= 10, 'ten decoded frames in the browser', 20000);
    for (const f of s.browser.view.videoFrames) assert.deepEqual(f, { width: WIDTH, height: HEIGHT });
  });

  it("Opus both ways: node's 440 Hz tone heard in the page, the fake microphone's beeps in node's sink", async function () {
    let media: { sources: RunningSource[]; stream: MediaStream } | undefined;
    const s = await interop.open({
      onRemoteOffer: (pc: RTCPeerConnection) => pc.addTrack(media!.sources[0]!.track, media!.stream),
    });
    media = nodeSources(s, interop.defer);
    s.node.sinkRemoteTracks();
    await s.browser.media({ analyseAudio: true });
    // No echo cancellation, noise suppression or gain control: the beeps reach the encoder as
    // they are. No codec preferences: Opus is what both ends choose by themselves.
    await s.browser.addUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    });
    await s.bothConnected(20000);

    // Browser → node: not only samples (silence would count) but the beeps.
    await s.until(
      () => s.node.view.audioPeak >= 1000,
      'non-silent audio (a sample of 1000 or more) in the node sink',
      20000,
    );
    // Node → browser: ten consecutive analyses (a second) with the strongest frequency within
    // 10 Hz of 440 and well above silence.
    const near440 = (t: { frequency: number; level: number }): boolean =>
      Math.abs(t.frequency - 440) <= 10 && t.level > -70;
    await s.until(
      () => {
        const tones = s.browser.view.tones;
        return tones.length >= 10 && tones.slice(-10).every(near440);
      },
      "a second of 440 Hz in the page's AnalyserNode",
      20000,
    );

    // The codec both ways, from each end's getStats(): inbound and outbound are Opus.
    for (const side of [s.node, s.browser]) {
      const streams = await side.stats();
      for (const type of ['outbound-rtp', 'inbound-rtp'] as const) {
        const stream = oneStream(streams, type, 'audio', side.name);
        assert.equal(stream.mimeType, 'audio/opus', `${side.name} ${type} codec`);
        assert.ok(stream.packets > 0, `${side.name} ${type} has packets`);
      }
    }
  });
});
