// Media between two real libwebrtc peers over loopback: synthetic video and tone in, decoded
// frames and PCM out, checked for content; renegotiation, replaceTrack, enabled, encodings,
// codec preferences, DTMF, statistics and transports.
import * as assert from 'node:assert/strict';
import {
  MediaStream,
  RTCRtpReceiver,
  RTCRtpSender,
  type MediaStreamTrack,
  type RTCPeerConnection,
  type RTCRtpTransceiver,
  type RTCTrackEvent,
} from '../lib/index.js';
import { binding } from '../lib/binding.js';
import {
  assertError,
  createPair,
  DEFAULT_TIMEOUT_MS,
  negotiate,
  rejectionOf,
  thrownBy as thrownByFn,
  usePeers,
  waitForEvent,
  waitForState,
} from './helpers.js';
import {
  HEIGHT,
  WIDTH,
  collectAudio,
  dominantFrequency,
  isBlack,
  nextFrame,
  patternFrame,
  patternSource,
  rms,
  showsPattern,
  toneSource,
} from './media-helpers.js';

const MEDIA_TIMEOUT_MS = 30000;

/** Stops every source made in a test after it, as usePeers() closes the connections. */
function useSources(): { add<T extends { stop(): void }>(source: T): T } {
  const sources: { stop(): void }[] = [];
  afterEach(() => {
    for (const source of sources.splice(0)) source.stop();
  });
  return {
    add: (source) => {
      sources.push(source);
      return source;
    },
  };
}

/** The remote track event for `kind`, as `pc` fires it. */
function trackEvent(pc: RTCPeerConnection, kind: 'audio' | 'video'): Promise<RTCTrackEvent> {
  return waitForEvent<RTCTrackEvent>(pc, 'track', MEDIA_TIMEOUT_MS, (e) => e.track.kind === kind);
}

/** Stats of `type` in a report, as an array. */
async function statsOf(
  target: { getStats(): Promise<Map<string, unknown> | { values(): IterableIterator<unknown> }> },
  type: string,
): Promise<Record<string, any>[]> {
  const report = await target.getStats();
  return [...report.values()].filter((s) => (s as { type: string }).type === type) as Record<string, any>[];
}

/** Polls getStats until `predicate` holds for some stats object of `type` (event-free waits). */
async function statsUntil(
  pc: RTCPeerConnection,
  type: string,
  predicate: (stats: Record<string, any>) => boolean,
  what: string,
  timeoutMs = MEDIA_TIMEOUT_MS,
): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await statsOf(pc, type)).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('media over loopback', function () {
  this.timeout(MEDIA_TIMEOUT_MS * 3);
  usePeers();
  const sources = useSources();

  it('a video pattern and a tone sent both ways arrive: frame size, the pattern (not black), the tone frequency', async () => {
    const { a, b } = createPair();
    const aVideo = sources.add(patternSource());
    const aTone = sources.add(toneSource(440));
    const bVideo = sources.add(patternSource());
    const bTone = sources.add(toneSource(1000));
    const aStream = new MediaStream([aVideo.track, aTone.track]);
    a.addTrack(aVideo.track, aStream);
    a.addTrack(aTone.track, aStream);
    b.addTrack(bVideo.track);
    b.addTrack(bTone.track);
    const atB = { video: trackEvent(b, 'video'), audio: trackEvent(b, 'audio') };
    await negotiate(a, b);
    const bVideoEvent = await atB.video;
    const bAudioEvent = await atB.audio;
    // Both of a's tracks arrive in one remote stream with a's stream id.
    assert.equal(bVideoEvent.streams.length, 1);
    assert.equal(bVideoEvent.streams[0]!.id, aStream.id);
    assert.equal(bAudioEvent.streams[0], bVideoEvent.streams[0], 'one MediaStream object per remote stream id');
    assert.deepEqual(
      bVideoEvent.streams[0]!.getTracks()
        .map((t) => t.kind)
        .sort(),
      ['audio', 'video'],
    );
    assert.equal(bVideoEvent.receiver.track, bVideoEvent.track);
    assert.equal(bVideoEvent.transceiver.receiver, bVideoEvent.receiver);
    await waitForState(a, 'connectionState', 'connected', MEDIA_TIMEOUT_MS);
    const aVideoTrack = a.getReceivers().find((r) => r.track.kind === 'video')!.track;
    const aAudioTrack = a.getReceivers().find((r) => r.track.kind === 'audio')!.track;

    for (const [track, label] of [
      [bVideoEvent.track, 'a → b'],
      [aVideoTrack, 'b → a'],
    ] as const) {
      const frame = await nextFrame(track, showsPattern, MEDIA_TIMEOUT_MS);
      assert.equal(frame.width, WIDTH, label);
      assert.equal(frame.height, HEIGHT, label);
      assert.equal(frame.data.byteLength, (WIDTH * HEIGHT * 3) / 2, `${label}: I420`);
    }
    for (const [track, frequency, label] of [
      [bAudioEvent.track, 440, 'a → b'],
      [aAudioTrack, 1000, 'b → a'],
    ] as const) {
      // Skip the silence before the first decoded packets, then half a second of tone.
      const audio = await collectAudio(track, 500, (s) => rms(s) > 1000, MEDIA_TIMEOUT_MS);
      const measured = dominantFrequency(audio.samples, audio.sampleRate, audio.channelCount);
      assert.ok(
        Math.abs(measured - frequency) < frequency * 0.05,
        `${label}: ${measured.toFixed(1)} Hz received for ${frequency} Hz sent`,
      );
    }
  });

  it('a remote track starts muted and unmutes when its first packets arrive; getSettings() reports the received size', async () => {
    const { a, b } = createPair();
    const video = sources.add(patternSource());
    a.addTrack(video.track);
    const event = trackEvent(b, 'video');
    await negotiate(a, b);
    const { track } = await event;
    assert.equal(track.readyState, 'live');
    if (track.muted) await waitForEvent(track, 'unmute', MEDIA_TIMEOUT_MS);
    assert.equal(track.muted, false);
    await nextFrame(track, () => true, MEDIA_TIMEOUT_MS);
    const settings = track.getSettings();
    assert.equal(settings.width, WIDTH);
    assert.equal(settings.height, HEIGHT);
    assert.deepEqual(
      video.track.getSettings().width,
      WIDTH,
      "the sending track's settings: the size of the frames it gets",
    );
  });

  it('renegotiation adds a track (ontrack, addtrack on the existing remote stream) and removes one (removetrack, mute)', async () => {
    const { a, b } = createPair();
    const video = sources.add(patternSource());
    const tone = sources.add(toneSource(440));
    const stream = new MediaStream();
    a.addTrack(video.track, stream);
    const first = trackEvent(b, 'video');
    await negotiate(a, b);
    const remoteStream = (await first).streams[0]!;
    assert.equal(remoteStream.id, stream.id);

    // A second track in the same stream: the remote stream object gains it and fires addtrack.
    const added = waitForEvent<Event & { track: MediaStreamTrack }>(remoteStream, 'addtrack', MEDIA_TIMEOUT_MS);
    const needed = waitForEvent(a, 'negotiationneeded', MEDIA_TIMEOUT_MS);
    const audioSender = a.addTrack(tone.track, stream);
    await needed;
    const second = trackEvent(b, 'audio');
    await negotiate(a, b);
    const audioEvent = await second;
    assert.equal(audioEvent.streams[0], remoteStream);
    assert.equal((await added).track, audioEvent.track);
    assert.equal(remoteStream.getTracks().length, 2);

    // removeTrack: the remote side stops receiving it: removetrack on the stream, the track mutes.
    if (audioEvent.track.muted) await waitForEvent(audioEvent.track, 'unmute', MEDIA_TIMEOUT_MS);
    const removed = waitForEvent<Event & { track: MediaStreamTrack }>(remoteStream, 'removetrack', MEDIA_TIMEOUT_MS);
    const muted = waitForEvent(audioEvent.track, 'mute', MEDIA_TIMEOUT_MS);
    a.removeTrack(audioSender);
    assert.equal(audioSender.track, null);
    await negotiate(a, b);
    assert.equal((await removed).track, audioEvent.track);
    await muted;
    assert.deepEqual(
      remoteStream.getTracks().map((t) => t.kind),
      ['video'],
    );
    // b never sent on it, so with a no longer sending the m-section is inactive.
    assert.equal(a.getTransceivers().find((t) => t.sender === audioSender)!.currentDirection, 'inactive');
  });

  it('replaceTrack() swaps the source with no renegotiation: no negotiationneeded, the new frames arrive', async () => {
    const { a, b } = createPair();
    const first = sources.add(patternSource());
    const sender = a.addTrack(first.track);
    const event = trackEvent(b, 'video');
    await negotiate(a, b);
    const { track } = await event;
    await nextFrame(track, showsPattern, MEDIA_TIMEOUT_MS);
    let negotiationNeeded = 0;
    a.addEventListener('negotiationneeded', () => negotiationNeeded++);

    // The replacement sends an inverted pattern at another size.
    const { nonstandard } = await import('../lib/index.js');
    const source = new nonstandard.RTCVideoSource();
    const replacement = source.createTrack();
    let tick = 0;
    const timer = setInterval(() => {
      const data = patternFrame(240, 160, tick++);
      for (let i = 0; i < 240 * 160; i++) data[i] = 255 - data[i]!;
      source.onFrame({ width: 240, height: 160, data });
    }, 33);
    sources.add({
      stop: () => {
        clearInterval(timer);
        replacement.stop();
      },
    });
    await sender.replaceTrack(replacement);
    assert.equal(sender.track, replacement);
    const frame = await nextFrame(track, (f) => f.width === 240 && f.height === 160, MEDIA_TIMEOUT_MS);
    const left = frame.data[Math.floor(frame.height / 2) * frame.width + frame.width / 4]!;
    assert.ok(left > 150, `the inverted pattern arrives (left luma ${left})`);
    assert.equal(negotiationNeeded, 0, 'replaceTrack() needs no renegotiation');

    await sender.replaceTrack(null);
    assert.equal(sender.track, null);
    const error = await rejectionOf(sender.replaceTrack(sources.add(toneSource(440)).track));
    assertError(error, 'TypeError', 'an audio track cannot replace a video sender’s track');
  });

  it('enabled = false sends black video and silent audio; enabled = true restores them', async () => {
    const { a, b } = createPair();
    const video = sources.add(patternSource());
    const tone = sources.add(toneSource(440));
    a.addTrack(video.track);
    a.addTrack(tone.track);
    const events = { video: trackEvent(b, 'video'), audio: trackEvent(b, 'audio') };
    await negotiate(a, b);
    const remoteVideo = (await events.video).track;
    const remoteAudio = (await events.audio).track;
    await nextFrame(remoteVideo, showsPattern, MEDIA_TIMEOUT_MS);
    await collectAudio(remoteAudio, 100, (s) => rms(s) > 1000, MEDIA_TIMEOUT_MS);

    video.track.enabled = false;
    tone.track.enabled = false;
    assert.equal(video.track.enabled, false);
    await nextFrame(remoteVideo, isBlack, MEDIA_TIMEOUT_MS);
    await collectAudio(remoteAudio, 200, (s) => rms(s) < 50, MEDIA_TIMEOUT_MS).then(({ samples }) => {
      assert.ok(rms(samples) < 50, `silence once disabled (rms ${rms(samples).toFixed(1)})`);
    });

    video.track.enabled = true;
    tone.track.enabled = true;
    await nextFrame(remoteVideo, showsPattern, MEDIA_TIMEOUT_MS);
    await collectAudio(remoteAudio, 100, (s) => rms(s) > 1000, MEDIA_TIMEOUT_MS);
  });

  it('setParameters(): a maxBitrate cap shows in outbound-rtp stats; encodings keep their values', async () => {
    const { a, b } = createPair();
    const video = sources.add(patternSource(640, 480));
    const sender = a.addTrack(video.track);
    const event = trackEvent(b, 'video');
    await negotiate(a, b);
    await nextFrame((await event).track, () => true, MEDIA_TIMEOUT_MS);
    const parameters = sender.getParameters();
    assert.equal(parameters.encodings.length, 1);
    parameters.encodings[0]!.maxBitrate = 100_000;
    parameters.encodings[0]!.maxFramerate = 15;
    await sender.setParameters(parameters);
    const after = sender.getParameters();
    assert.equal(after.encodings[0]!.maxBitrate, 100_000);
    assert.equal(after.encodings[0]!.maxFramerate, 15);
    const outbound = await statsUntil(
      a,
      'outbound-rtp',
      (s) => s.kind === 'video' && s.targetBitrate > 0 && s.targetBitrate <= 100_000,
      'targetBitrate within the cap',
    );
    assert.ok(outbound.targetBitrate <= 100_000);
  });

  it('setParameters() scaleResolutionDownBy: the source adapts its frames, and the far end receives them smaller', async () => {
    const { a, b } = createPair();
    // Small enough that the start bitrate does not make the encoder scale it down by itself.
    const video = sources.add(patternSource(WIDTH, HEIGHT));
    const sender = a.addTrack(video.track);
    const event = trackEvent(b, 'video');
    await negotiate(a, b);
    const { track } = await event;
    await nextFrame(track, (f) => f.width === WIDTH, MEDIA_TIMEOUT_MS);
    const parameters = sender.getParameters();
    parameters.encodings[0]!.scaleResolutionDownBy = 2;
    await sender.setParameters(parameters);
    const frame = await nextFrame(track, (f) => f.width === WIDTH / 2, MEDIA_TIMEOUT_MS);
    assert.equal(frame.height, HEIGHT / 2);
  });

  it('setCodecPreferences() picks the codec that the stats then report (VP9, H.264, and PCMU for audio)', async () => {
    for (const mimeType of ['video/VP9', 'video/H264']) {
      const { a, b } = createPair();
      const video = sources.add(patternSource());
      a.addTrack(video.track);
      const transceiver = a.getTransceivers()[0]!;
      const codecs = RTCRtpReceiver.getCapabilities('video')!.codecs;
      transceiver.setCodecPreferences([
        ...codecs.filter((c) => c.mimeType === mimeType),
        ...codecs.filter((c) => c.mimeType !== mimeType),
      ]);
      const event = trackEvent(b, 'video');
      await negotiate(a, b);
      await nextFrame((await event).track, showsPattern, MEDIA_TIMEOUT_MS);
      const outbound = await statsUntil(
        a,
        'outbound-rtp',
        (s) => s.kind === 'video' && s.codecId,
        'outbound video with a codec',
      );
      const report = await a.getStats();
      assert.equal((report.get(outbound.codecId) as unknown as { mimeType: string }).mimeType, mimeType);
      const inbound = await statsUntil(
        b,
        'inbound-rtp',
        (s) => s.kind === 'video' && s.framesDecoded > 0,
        `${mimeType} frames decoded`,
      );
      assert.equal(((await b.getStats()).get(inbound.codecId) as unknown as { mimeType: string }).mimeType, mimeType);
      a.close();
      b.close();
    }
    const { a, b } = createPair();
    const tone = sources.add(toneSource(440));
    const transceiver = a.addTransceiver(tone.track);
    const audioCodecs = RTCRtpSender.getCapabilities('audio')!.codecs;
    transceiver.setCodecPreferences(audioCodecs.filter((c) => c.mimeType === 'audio/PCMU'));
    await negotiate(a, b);
    const outbound = await statsUntil(
      a,
      'outbound-rtp',
      (s) => s.kind === 'audio' && s.codecId && s.packetsSent > 0,
      'audio sent',
    );
    assert.equal(
      ((await a.getStats()).get(outbound.codecId) as unknown as { mimeType: string }).mimeType,
      'audio/PCMU',
    );
  });

  it('DTMF: insertDTMF() over an audio sender fires tonechange for each tone, then an empty tone', async () => {
    const { a, b } = createPair();
    const tone = sources.add(toneSource(440));
    const sender = a.addTrack(tone.track);
    const dtmf = sender.dtmf!;
    assert.ok(dtmf, 'an audio sender has a DTMF sender');
    assert.equal(sender.dtmf, dtmf, 'the same object every time');
    assert.equal(dtmf.canInsertDTMF, false, 'not before negotiation');
    await negotiate(a, b);
    await waitForState(a, 'connectionState', 'connected', MEDIA_TIMEOUT_MS);
    assert.equal(dtmf.canInsertDTMF, true);
    const tones: string[] = [];
    const done = new Promise<void>((resolve) => {
      dtmf.ontonechange = (event) => {
        tones.push(event.tone);
        if (event.tone === '') resolve();
      };
    });
    dtmf.insertDTMF('1a#', 40, 30);
    assert.equal(dtmf.toneBuffer, '1A#', 'upper-cased');
    await done;
    assert.deepEqual(tones, ['1', 'A', '#', '']);
    assert.equal(dtmf.toneBuffer, '');
  });

  it('getStats(): the webrtc-stats types libwebrtc produces, and a track selector narrows to its sender or receiver', async () => {
    const { a, b } = createPair();
    const video = sources.add(patternSource());
    const tone = sources.add(toneSource(440));
    a.addTrack(video.track);
    a.addTrack(tone.track);
    a.createDataChannel('stats');
    const event = trackEvent(b, 'video');
    await negotiate(a, b);
    await nextFrame((await event).track, () => true, MEDIA_TIMEOUT_MS);
    await statsUntil(a, 'remote-inbound-rtp', () => true, 'RTCP receiver reports');
    await statsUntil(b, 'remote-outbound-rtp', () => true, 'RTCP sender reports');
    assert.equal(a.getStats.length, 0, 'getStats.length is 0, as in browsers (simple-peer checks it)');
    const types = new Set([...(await a.getStats()).values()].map((s) => s.type));
    for (const type of [
      'codec',
      'outbound-rtp',
      'remote-inbound-rtp',
      'media-source',
      'peer-connection',
      'data-channel',
      'transport',
      'candidate-pair',
      'local-candidate',
      'remote-candidate',
      'certificate',
    ]) {
      assert.ok(types.has(type), `a has '${type}' stats (it has ${[...types].join(', ')})`);
    }
    const bTypes = new Set([...(await b.getStats()).values()].map((s) => s.type));
    for (const type of ['inbound-rtp', 'remote-outbound-rtp']) assert.ok(bTypes.has(type), `b has '${type}' stats`);

    const report = await a.getStats(video.track);
    const rtp = [...report.values()].filter((s) => s.type === 'outbound-rtp');
    assert.deepEqual(
      rtp.map((s) => s.kind),
      ['video'],
      'a sender selector: its outbound-rtp only',
    );
    const fromSender = await a
      .getSenders()
      .find((s) => s.track === tone.track)!
      .getStats();
    assert.deepEqual(
      [...fromSender.values()].filter((s) => s.type === 'outbound-rtp').map((s) => s.kind),
      ['audio'],
    );
    const fromReceiver = await b
      .getReceivers()
      .find((r) => r.track.kind === 'video')!
      .getStats();
    assert.deepEqual(
      [...fromReceiver.values()].filter((s) => s.type === 'inbound-rtp').map((s) => s.kind),
      ['video'],
    );
    const stranger = sources.add(patternSource());
    assertError(
      await rejectionOf(a.getStats(stranger.track)),
      'InvalidAccessError',
      'a track of no sender or receiver',
    );
    // The report is a read-only maplike.
    assert.equal(typeof report.get, 'function');
    assert.equal(report.size, [...report.keys()].length);
    assert.equal(Object.prototype.toString.call(report), '[object RTCStatsReport]');
  });

  it('transports: senders, receivers and the SCTP transport bundled on one RTCDtlsTransport, with certificates and an ICE transport', async () => {
    const { a, b } = createPair();
    const video = sources.add(patternSource());
    const sender = a.addTrack(video.track);
    a.createDataChannel('x');
    assert.equal(sender.transport, null, 'no transport before negotiation');
    await negotiate(a, b);
    await waitForState(a, 'connectionState', 'connected', MEDIA_TIMEOUT_MS);
    const transport = sender.transport!;
    assert.ok(transport);
    assert.equal(transport, a.getTransceivers()[0]!.receiver.transport, 'sender and receiver share it');
    assert.equal(transport, a.sctp!.transport, 'and the SCTP transport');
    assert.equal(transport.state, 'connected');
    const certificates = transport.getRemoteCertificates();
    assert.equal(certificates.length, 1);
    assert.ok(certificates[0] instanceof ArrayBuffer && certificates[0].byteLength > 100, 'DER');
    const ice = transport.iceTransport;
    assert.ok(ice.getLocalCandidates().length > 0);
    assert.ok(ice.getRemoteCandidates().length > 0);
    const pair = ice.getSelectedCandidatePair()!;
    assert.ok(pair && pair.local.candidate.startsWith('candidate:') && pair.remote.port! > 0);
    const local = ice.getLocalParameters()!;
    assert.match(a.localDescription!.sdp, new RegExp(`a=ice-ufrag:${local.usernameFragment.replace(/[+/]/g, '\\$&')}`));
    assert.equal(
      ice.getRemoteParameters()!.usernameFragment,
      b.getTransceivers()[0]!.receiver.transport!.iceTransport.getLocalParameters()!.usernameFragment,
    );
    a.close();
    assert.equal(transport.state, 'closed');
    assert.equal(sender.transport, null);
  });

  it('getSynchronizationSources(): the remote SSRC of received audio, with an audio level and timestamps', async () => {
    const { a, b } = createPair();
    const tone = sources.add(toneSource(440));
    a.addTrack(tone.track);
    const event = trackEvent(b, 'audio');
    await negotiate(a, b);
    const { receiver, track } = await event;
    await collectAudio(track, 100, (s) => rms(s) > 1000, MEDIA_TIMEOUT_MS);
    const sources_ = receiver.getSynchronizationSources();
    assert.equal(sources_.length, 1);
    const [source] = sources_;
    assert.ok(source!.source > 0);
    assert.ok(Math.abs(source!.timestamp - Date.now()) < 60000, 'a timestamp on the epoch clock');
    assert.ok(source!.audioLevel === undefined || (source!.audioLevel >= 0 && source!.audioLevel <= 1));
    assert.deepEqual(receiver.getContributingSources(), []);
  });

  it('remote audio is decoded with no audio device: the runtime pulls playout every 10 ms, so sinks and stats see it', async () => {
    const { a, b } = createPair();
    const tone = sources.add(toneSource(440));
    a.addTrack(tone.track);
    const event = trackEvent(b, 'audio');
    await negotiate(a, b);
    const { track } = await event;
    await collectAudio(track, 200, (s) => rms(s) > 1000, MEDIA_TIMEOUT_MS);
    assert.ok(binding.audioDeviceInfo().playoutPulls > 0);
    const inbound = await statsUntil(
      b,
      'inbound-rtp',
      (s) => s.kind === 'audio' && s.totalSamplesReceived > 0,
      'decoded audio in stats',
    );
    assert.ok(inbound.totalSamplesReceived > 0);
  });

  it('setStreams(): after renegotiation the remote track moves to the new remote stream (removetrack, then addtrack)', async () => {
    const { a, b } = createPair();
    const video = sources.add(patternSource());
    const first = new MediaStream();
    const sender = a.addTrack(video.track, first);
    const event = trackEvent(b, 'video');
    await negotiate(a, b);
    const { track, streams } = await event;
    const oldStream = streams[0]!;
    assert.equal(oldStream.id, first.id);
    const second = new MediaStream();
    sender.setStreams(second);
    const events: string[] = [];
    oldStream.onremovetrack = (e) => events.push(`removetrack ${e.track === track}`);
    await negotiate(a, b);
    assert.deepEqual(oldStream.getTracks(), []);
    assert.deepEqual(events, ['removetrack true'], 'the track left the old stream');
    assert.equal(b.getReceivers()[0]!.track, track, 'the same track object, still received');
    assert.equal(track.readyState, 'live');
  });

  it('jitterBufferTarget: null by default, kept in milliseconds, RangeError outside 0..4000', async () => {
    const { a, b } = createPair();
    a.addTrack(sources.add(toneSource(440)).track);
    const event = trackEvent(b, 'audio');
    await negotiate(a, b);
    const { receiver } = await event;
    assert.equal(receiver.jitterBufferTarget, null);
    receiver.jitterBufferTarget = 500;
    assert.equal(receiver.jitterBufferTarget, 500);
    assertError(
      thrownByFn(() => (receiver.jitterBufferTarget = 5000)),
      'RangeError',
    );
    assert.equal(receiver.jitterBufferTarget, 500);
    receiver.jitterBufferTarget = null;
    assert.equal(receiver.jitterBufferTarget, null);
  });

  it('addTransceiver(track, { sendEncodings }) with simulcast rids offers them; the sender lists the encodings', async () => {
    const { a } = createPair();
    const video = sources.add(patternSource(640, 480));
    const transceiver: RTCRtpTransceiver = a.addTransceiver(video.track, {
      direction: 'sendonly',
      sendEncodings: [{ rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f' }],
    });
    assert.equal(transceiver.sender.track, video.track);
    const offer = await a.createOffer();
    assert.match(offer.sdp!, /a=simulcast:send q;h;f/);
    for (const rid of ['q', 'h', 'f']) assert.match(offer.sdp!, new RegExp(`a=rid:${rid} send`));
    assert.deepEqual(
      transceiver.sender.getParameters().encodings.map((e) => e.rid),
      ['q', 'h', 'f'],
    );
    void DEFAULT_TIMEOUT_MS;
  });
});
