// Video codecs with Chromium: VP8, VP9 and H.264 each negotiated on purpose (one side's
// RTCRtpTransceiver.setCodecPreferences() in its offer), then used both ways: Node's test pattern
// goes to the page, the page sends the track it received straight back, and Node's RTCVideoSink
// must get the pattern again (so both encoders and both decoders ran). getStats() on both ends
// must name the chosen codec for what is sent and what is received. AV1: this libwebrtc has no
// AV1 encoder, and the Node side must not claim one.
import * as assert from 'node:assert/strict';

import { useInterop, type Session, type SideName } from './harness.js';
import { implName, loadImpl } from './impl.js';
import {
  HEIGHT,
  TestPattern,
  WIDTH,
  codecsOf,
  oneStream,
  rtpmapNames,
  startPatternSource,
  type RtpStreamStats,
  type RunningSource,
} from './media-io.js';
import type { MediaStream, Nonstandard, WrtcModule } from './types.js';

/** The video streams of one end: what it sends and what it receives. */
async function videoStreams(s: Session, side: SideName): Promise<{ out: RtpStreamStats; in: RtpStreamStats }> {
  const streams = await s.side(side).stats();
  return {
    out: oneStream(streams, 'outbound-rtp', 'video', side),
    in: oneStream(streams, 'inbound-rtp', 'video', side),
  };
}

/**
 * Opens a session where Node sends the test pattern on one sendrecv video transceiver and the
 * page loops the received track back on it; `chooser` offers, with `codecs` (mimeTypes) as its
 * transceiver's preferences. Returns once both ends are connected.
 */
async function loopbackSession(
  interop: ReturnType<typeof useInterop>,
  chooser: SideName,
  codecs: readonly string[],
): Promise<Session> {
  const pattern = new TestPattern();
  let track: RunningSource | undefined;
  let stream: MediaStream | undefined;
  const s = await interop.open({
    // When the page offers, node answers with its pattern on the transceiver the offer made.
    onRemoteOffer: (pc) => {
      if (chooser === 'browser') pc.addTrack(track!.track, stream!);
    },
  });
  const ns = s.wrtc.nonstandard as Nonstandard;
  assert.ok(ns, 'the implementation exports nonstandard');
  track = startPatternSource(ns, pattern);
  interop.defer(() => track!.stop());
  stream = new s.wrtc.MediaStream!([track.track]);
  s.node.sinkRemoteTracks(pattern);
  await s.browser.media({ loopback: true });

  if (chooser === 'node') {
    const transceiver = s.node.pc.addTransceiver(track.track, { direction: 'sendrecv', streams: [stream] });
    const capabilities = s.wrtc.RTCRtpReceiver!.getCapabilities('video')!.codecs;
    transceiver.setCodecPreferences(codecs.flatMap((codec) => codecsOf(capabilities, codec)));
  } else {
    await s.browser.addTransceiver('video', 'sendrecv', codecs);
  }
  await s.bothConnected(20000);
  return s;
}

/** The encoding names in the offer and the answer's video section, without the resiliency
 *  codecs (rtx, red, ulpfec, flexfec). */
function negotiated(s: Session, offerer: SideName): { offer: string[]; answer: string[] } {
  const media = (sdp: string | undefined) =>
    rtpmapNames(sdp ?? '', 'video').filter((name) => !/^(rtx|red|ulpfec|flexfec-03)$/i.test(name));
  const answerer = offerer === 'node' ? 'browser' : 'node';
  return {
    offer: media(s.side(offerer).view.sentSdp('video-offer')[0]),
    answer: media(s.side(answerer).view.sentSdp('video-answer')[0]),
  };
}

/**
 * Video flows both ways with `mimeType` and is decoded on both ends: the page presents frames
 * of the pattern's size, Node's sink gets the pattern back, both ends' stats name the codec on
 * both streams, and their framesDecoded keep growing.
 */
async function assertVideoBothWays(s: Session, mimeType: string): Promise<void> {
  const node = s.node.view;
  const browser = s.browser.view;
  const matching = () => node.videoFrames.filter((f) => f.patternError === null).length;
  await s.until(() => browser.videoFrames.length >= 10, "ten frames of node's video presented in the page", 20000);
  await s.until(() => matching() >= 10, "ten frames of the pattern back in node's sink", 20000);
  for (const f of browser.videoFrames) assert.deepEqual(f, { width: WIDTH, height: HEIGHT }, 'a frame in the page');
  for (const f of node.videoFrames) assert.deepEqual([f.width, f.height], [WIDTH, HEIGHT], "a frame in node's sink");
  // Lossy coding may blur the first frames; once the pattern came through, it stays.
  const first = node.videoFrames.findIndex((f) => f.patternError === null);
  const later = node.videoFrames.slice(first).filter((f) => f.patternError !== null);
  assert.deepEqual(later, [], "every frame in node's sink after the first good one is the pattern");

  const before = { node: await videoStreams(s, 'node'), browser: await videoStreams(s, 'browser') };
  for (const side of ['node', 'browser'] as const) {
    assert.equal(before[side].out.mimeType, mimeType, `${side} outbound-rtp codec`);
    assert.equal(before[side].in.mimeType, mimeType, `${side} inbound-rtp codec`);
    assert.ok(
      (before[side].out.framesEncoded ?? 0) > 0,
      `${side} has encoded frames: ${JSON.stringify(before[side].out)}`,
    );
    assert.ok(
      (before[side].in.framesDecoded ?? 0) > 0,
      `${side} has decoded frames: ${JSON.stringify(before[side].in)}`,
    );
  }
  // Frames keep arriving and being decoded.
  const seen = { node: node.videoFrames.length, browser: browser.videoFrames.length };
  await s.until(
    () => node.videoFrames.length >= seen.node + 10 && browser.videoFrames.length >= seen.browser + 10,
    'ten more frames on each end',
    20000,
  );
  for (const side of ['node', 'browser'] as const) {
    const after = await videoStreams(s, side);
    assert.equal(after.in.mimeType, mimeType, `${side} inbound-rtp codec, later`);
    assert.ok(
      (after.in.framesDecoded ?? 0) > (before[side].in.framesDecoded ?? 0),
      `${side} framesDecoded grows: ${before[side].in.framesDecoded} then ${after.in.framesDecoded}`,
    );
  }
  const last = node.videoFrames[node.videoFrames.length - 1]!;
  assert.equal(last.patternError, null, "the latest frame in node's sink is the pattern");
}

describe(`interop: video codecs with Chromium [${implName}]`, function () {
  this.timeout(60000);
  const interop = useInterop();

  for (const mimeType of ['video/VP8', 'video/VP9', 'video/H264']) {
    const name = mimeType.slice('video/'.length);
    for (const chooser of ['node', 'browser'] as const) {
      it(`${name}, chosen by the ${chooser}'s setCodecPreferences(): video both ways, decoded on both ends`, async function () {
        const s = await loopbackSession(interop, chooser, [mimeType]);
        const sdp = negotiated(s, chooser);
        assert.deepEqual([...new Set(sdp.offer)], [name], `the ${chooser}'s offer has only ${name}`);
        assert.deepEqual([...new Set(sdp.answer)], [name], `the answer has only ${name}`);
        await assertVideoBothWays(s, mimeType);
      });
    }
  }

  it("AV1: node's RTCRtpSender.getCapabilities('video') lists VP8, VP9 and H.264, and no AV1", function () {
    const wrtc = loadImpl() as WrtcModule;
    const codecs = wrtc.RTCRtpSender!.getCapabilities('video')!.codecs.map((c) => c.mimeType.toLowerCase());
    for (const present of ['video/vp8', 'video/vp9', 'video/h264'])
      assert.ok(codecs.includes(present), `${present} in ${codecs.join(', ')}`);
    assert.ok(!codecs.includes('video/av1'), `no AV1 in ${codecs.join(', ')}`);
  });

  it('AV1: the browser prefers AV1 then VP8; node answers without AV1 and VP8 runs both ways', async function () {
    const s = await loopbackSession(interop, 'browser', ['video/AV1', 'video/VP8']);
    const sdp = negotiated(s, 'browser');
    assert.deepEqual([...new Set(sdp.offer)], ['AV1', 'VP8'], 'the browser offers AV1 first');
    assert.deepEqual([...new Set(sdp.answer)], ['VP8'], 'node answers with VP8 only');
    await assertVideoBothWays(s, 'video/VP8');
  });
});
