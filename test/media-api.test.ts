// The media API's own rules, without media flowing: MediaStream and MediaStreamTrack (mediacapture-
// streams), RTCRtpSender/Receiver/Transceiver and RTCDTMFSender argument and state checks
// (webrtc-pc), capabilities, and the description attributes' identity.
import * as assert from 'node:assert/strict';
import {
  MediaStream,
  MediaStreamTrack,
  RTCPeerConnection,
  RTCRtpReceiver,
  RTCRtpSender,
  RTCTrackEvent,
  nonstandard,
} from '../lib/index.js';
import {
  assertError,
  createPair,
  makePeer,
  negotiate,
  rejectionOf,
  thrownBy,
  usePeers,
  waitForState,
} from './helpers.js';

function videoTrack(): MediaStreamTrack {
  return new nonstandard.RTCVideoSource().createTrack();
}
function audioTrack(): MediaStreamTrack {
  return new nonstandard.RTCAudioSource().createTrack();
}

describe('MediaStream', () => {
  it('constructs from nothing, another stream, or a track list; ids are new UUIDs', () => {
    const v = videoTrack();
    const a = audioTrack();
    const empty = new MediaStream();
    assert.match(empty.id, /^[0-9a-f-]{36}$/);
    assert.equal(empty.active, false);
    const fromTracks = new MediaStream([v, a]);
    assert.deepEqual(fromTracks.getTracks(), [v, a]);
    assert.deepEqual(fromTracks.getVideoTracks(), [v]);
    assert.deepEqual(fromTracks.getAudioTracks(), [a]);
    assert.equal(fromTracks.active, true);
    const copy = new MediaStream(fromTracks);
    assert.notEqual(copy.id, fromTracks.id);
    assert.deepEqual(copy.getTracks(), [v, a]);
    assert.equal(fromTracks.getTrackById(a.id), a);
    assert.equal(fromTracks.getTrackById('nope'), null);
    assertError(
      thrownBy(() => new MediaStream([{} as MediaStreamTrack])),
      'TypeError',
    );
    assertError(
      thrownBy(() => new MediaStream(42 as never)),
      'TypeError',
    );
    v.stop();
    a.stop();
    assert.equal(fromTracks.active, false, 'inactive once every track ended');
  });

  it('addTrack()/removeTrack() by script fire no event; clone() clones every track into a new stream', () => {
    const stream = new MediaStream();
    const v = videoTrack();
    let events = 0;
    stream.onaddtrack = () => events++;
    stream.onremovetrack = () => events++;
    stream.addTrack(v);
    stream.addTrack(v);
    assert.deepEqual(stream.getTracks(), [v], 'a set: once');
    const clone = stream.clone();
    assert.notEqual(clone.id, stream.id);
    assert.equal(clone.getTracks().length, 1);
    assert.notEqual(clone.getTracks()[0], v);
    assert.equal(clone.getTracks()[0]!.kind, 'video');
    stream.removeTrack(v);
    assert.deepEqual(stream.getTracks(), []);
    assert.equal(events, 0);
    assertError(
      thrownBy(() => stream.addTrack({} as MediaStreamTrack)),
      'TypeError',
    );
    v.stop();
    clone.getTracks()[0]!.stop();
  });
});

describe('MediaStreamTrack', () => {
  it('has kind, id, label, enabled, muted, readyState; cannot be constructed by script', () => {
    const t = videoTrack();
    assert.equal(t.kind, 'video');
    assert.match(t.id, /^[0-9a-f-]{36}$/);
    assert.equal(typeof t.label, 'string');
    assert.equal(t.enabled, true);
    assert.equal(t.muted, false, 'a local track is not muted');
    assert.equal(t.readyState, 'live');
    assertError(
      thrownBy(() => new (MediaStreamTrack as unknown as new () => unknown)()),
      'TypeError',
    );
    assert.equal(Object.prototype.toString.call(t), '[object MediaStreamTrack]');
    t.stop();
  });

  it('stop() ends it at once without an ended event, and is idempotent; clone() of an ended track is ended', () => {
    const t = audioTrack();
    let ended = 0;
    t.onended = () => ended++;
    t.stop();
    t.stop();
    assert.equal(t.readyState, 'ended');
    assert.equal(ended, 0);
    const clone = t.clone();
    assert.equal(clone.readyState, 'ended');
    assert.notEqual(clone.id, '');
  });

  it('clone() is a new live track with a new id and the same enabled, stopping one leaves the other', () => {
    const t = videoTrack();
    t.enabled = false;
    const clone = t.clone();
    assert.notEqual(clone.id, t.id);
    assert.equal(clone.kind, 'video');
    assert.equal(clone.enabled, false);
    t.stop();
    assert.equal(clone.readyState, 'live');
    clone.stop();
  });

  it('constraints: applyConstraints() keeps what it is given, getConstraints() returns a copy; bad input is a TypeError', async () => {
    const t = videoTrack();
    assert.deepEqual(t.getConstraints(), {});
    await t.applyConstraints({ width: 640 });
    const c = t.getConstraints();
    assert.deepEqual(c, { width: 640 });
    c.width = 1;
    assert.deepEqual(t.getConstraints(), { width: 640 }, 'a copy');
    assertError(await rejectionOf(t.applyConstraints(42 as never)), 'TypeError');
    assert.deepEqual(t.getCapabilities(), {}, 'a source of frames has no device capabilities');
    t.stop();
  });
});

describe('RTCRtpSender / RTCRtpReceiver capabilities', () => {
  it('audio: opus first, then red, G722, PCMU, PCMA, CN, telephone-event, as browsers offer them', () => {
    const names = RTCRtpSender.getCapabilities('audio')!.codecs.map((c) => c.mimeType);
    const order = [
      'audio/opus',
      'audio/red',
      'audio/G722',
      'audio/PCMU',
      'audio/PCMA',
      'audio/CN',
      'audio/telephone-event',
    ];
    assert.deepEqual([...new Set(names)], order);
    const opus = RTCRtpReceiver.getCapabilities('audio')!.codecs[0]!;
    assert.deepEqual(
      { mimeType: opus.mimeType, clockRate: opus.clockRate, channels: opus.channels },
      { mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
    );
  });

  it('video: VP8, VP9 (profiles 0 and 2), H.264; no AV1 in this libwebrtc build, and it says so', () => {
    const codecs = RTCRtpSender.getCapabilities('video')!.codecs;
    const names = new Set(codecs.map((c) => c.mimeType));
    for (const name of ['video/VP8', 'video/VP9', 'video/H264', 'video/rtx']) assert.ok(names.has(name), name);
    assert.ok(!names.has('video/AV1'), 'no AV1 encoder');
    const vp9 = codecs.filter((c) => c.mimeType === 'video/VP9').map((c) => c.sdpFmtpLine);
    assert.deepEqual(vp9.sort(), ['profile-id=0', 'profile-id=2']);
    assert.ok(
      !RTCRtpReceiver.getCapabilities('video')!.codecs.some((c) => c.mimeType === 'video/AV1'),
      'no AV1 decoder',
    );
  });

  it('an unknown kind gives null; no argument is a TypeError', () => {
    assert.equal(RTCRtpSender.getCapabilities('data'), null);
    assertError(
      thrownBy(() => (RTCRtpSender.getCapabilities as () => unknown)()),
      'TypeError',
    );
  });
});

describe('RTCPeerConnection media API checks', () => {
  usePeers();

  it('addTrack(): TypeError for a non-track, InvalidAccessError for a track already sent, InvalidStateError once closed', () => {
    const pc = makePeer();
    const t = videoTrack();
    assertError(
      thrownBy(() => pc.addTrack({} as MediaStreamTrack)),
      'TypeError',
    );
    const sender = pc.addTrack(t);
    assert.ok(sender instanceof RTCRtpSender);
    assert.equal(sender.track, t);
    assert.deepEqual(pc.getSenders(), [sender]);
    assert.equal(pc.getReceivers().length, 1);
    assertError(
      thrownBy(() => pc.addTrack(t)),
      'InvalidAccessError',
    );
    pc.close();
    assertError(
      thrownBy(() => pc.addTrack(videoTrack())),
      'InvalidStateError',
    );
    t.stop();
  });

  it('removeTrack(): a sender of another connection is InvalidAccessError; removing twice is fine', () => {
    const a = makePeer();
    const b = makePeer();
    const t = audioTrack();
    const sender = a.addTrack(t);
    assertError(
      thrownBy(() => b.removeTrack(sender)),
      'InvalidAccessError',
    );
    assertError(
      thrownBy(() => a.removeTrack({} as RTCRtpSender)),
      'TypeError',
    );
    a.removeTrack(sender);
    a.removeTrack(sender);
    assert.equal(sender.track, null);
    assert.equal(a.getTransceivers()[0]!.direction, 'recvonly');
    t.stop();
  });

  it('addTransceiver(): sendEncodings are checked (rid syntax and uniqueness, scaleResolutionDownBy, maxFramerate)', () => {
    const pc = makePeer();
    assertError(
      thrownBy(() => pc.addTransceiver('video', { sendEncodings: [{ rid: 'a' }, { rid: 'a' }] })),
      'TypeError',
    );
    assertError(
      thrownBy(() => pc.addTransceiver('video', { sendEncodings: [{ rid: 'not a rid!' }] })),
      'TypeError',
    );
    assertError(
      thrownBy(() => pc.addTransceiver('video', { sendEncodings: [{ rid: 'a' }, {}] })),
      'TypeError',
    );
    assertError(
      thrownBy(() => pc.addTransceiver('video', { sendEncodings: [{ scaleResolutionDownBy: 0.5 }] })),
      'RangeError',
    );
    assertError(
      thrownBy(() => pc.addTransceiver('video', { sendEncodings: [{ maxFramerate: -1 }] })),
      'RangeError',
    );
    assertError(
      thrownBy(() => pc.addTransceiver('audio', { sendEncodings: [{ scaleResolutionDownBy: 2 }] })),
      'RangeError',
    );
    assertError(
      thrownBy(() => pc.addTransceiver('data' as never)),
      'TypeError',
    );
    const transceiver = pc.addTransceiver('video', { sendEncodings: [{ maxBitrate: 500000 }] });
    assert.equal(transceiver.sender.getParameters().encodings[0]!.maxBitrate, 500000);
    assert.equal(pc.getTransceivers()[0], transceiver, 'one object per transceiver');
    assert.equal(pc.getTransceivers()[0]!.sender, transceiver.sender);
  });

  it('getParameters()/setParameters(): InvalidStateError without a getParameters() in the same task, InvalidModificationError for read-only changes', async () => {
    // libwebrtc gives an addTrack() sender its encoding when it is negotiated.
    const { a: pc, b } = createPair();
    const t = videoTrack();
    const sender = pc.addTrack(t);
    await negotiate(pc, b);
    const parameters = sender.getParameters();
    assert.equal(typeof parameters.transactionId, 'string');
    assert.equal(parameters.encodings.length, 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    assertError(await rejectionOf(sender.setParameters(parameters)), 'InvalidStateError', 'a later task');
    const fresh = sender.getParameters();
    assertError(
      await rejectionOf(sender.setParameters({ ...fresh, transactionId: 'x' })),
      'InvalidModificationError',
      'transactionId',
    );
    const again = sender.getParameters();
    assertError(
      await rejectionOf(sender.setParameters({ ...again, encodings: [] })),
      'InvalidModificationError',
      'encodings count',
    );
    const more = sender.getParameters();
    more.encodings[0]!.scaleResolutionDownBy = 0.5;
    assertError(await rejectionOf(sender.setParameters(more)), 'RangeError', 'scaleResolutionDownBy < 1');
    const ok = sender.getParameters();
    ok.encodings[0]!.active = false;
    await sender.setParameters(ok);
    assert.equal(sender.getParameters().encodings[0]!.active, false);
    t.stop();
  });

  it('setCodecPreferences(): InvalidModificationError for a codec not in the capabilities or only resiliency codecs', () => {
    const pc = makePeer();
    const transceiver = pc.addTransceiver('video');
    assertError(
      thrownBy(() => transceiver.setCodecPreferences([{ mimeType: 'video/AV1', clockRate: 90000 }])),
      'InvalidModificationError',
    );
    const rtx = RTCRtpReceiver.getCapabilities('video')!.codecs.filter((c) => c.mimeType === 'video/rtx');
    assertError(
      thrownBy(() => transceiver.setCodecPreferences(rtx)),
      'InvalidModificationError',
    );
    assertError(
      thrownBy(() => transceiver.setCodecPreferences(42 as never)),
      'TypeError',
    );
    transceiver.setCodecPreferences(
      RTCRtpReceiver.getCapabilities('video')!.codecs.filter((c) => c.mimeType === 'video/VP8'),
    );
    transceiver.setCodecPreferences([]);
  });

  it('replaceTrack() and DTMF on a stopped transceiver: InvalidStateError; DTMF tones are checked', async () => {
    const pc = makePeer();
    const t = audioTrack();
    const sender = pc.addTrack(t);
    const dtmf = sender.dtmf!;
    assertError(
      thrownBy(() => dtmf.insertDTMF('1')),
      'InvalidStateError',
      'not negotiated to send yet',
    );
    assert.equal(pc.addTransceiver('video').sender.dtmf, null, 'video senders have none');
    pc.getTransceivers()[0]!.stop();
    assertError(await rejectionOf(sender.replaceTrack(audioTrack())), 'InvalidStateError');
    t.stop();
  });

  it('DTMF: InvalidCharacterError for a tone that is not one, once the sender is sending', async () => {
    const { a, b } = createPair();
    const t = audioTrack();
    const sender = a.addTrack(t);
    await negotiate(a, b);
    // Until connected, canInsertDTMF is false and InvalidStateError comes first (spec §7.2 step 6).
    await waitForState(a, 'connectionState', 'connected');
    assertError(
      thrownBy(() => sender.dtmf!.insertDTMF('12x')),
      'InvalidCharacterError',
    );
    t.stop();
  });

  it('a remote track event is an RTCTrackEvent with receiver, track, streams (frozen) and transceiver', async () => {
    const { a, b } = createPair();
    const t = videoTrack();
    const stream = new MediaStream([t]);
    a.addTrack(t, stream);
    const events: RTCTrackEvent[] = [];
    b.ontrack = (e) => events.push(e);
    await negotiate(a, b);
    assert.equal(events.length, 1, 'fired during setRemoteDescription, before it resolved');
    const [event] = events;
    assert.ok(event instanceof RTCTrackEvent);
    assert.equal(event!.track.muted, true, 'a remote track starts muted');
    assert.ok(Object.isFrozen(event!.streams));
    assert.equal(event!.streams, event!.streams, 'the same array every time');
    assert.equal(event!.streams[0]!.id, stream.id);
    assert.equal(event!.transceiver.mid, b.getTransceivers()[0]!.mid);
    assertError(
      thrownBy(() => new RTCTrackEvent('track', {} as never)),
      'TypeError',
    );
    b.close();
    assert.equal(event!.track.readyState, 'ended', "closing ends the connection's remote tracks");
    t.stop();
  });

  it('description attributes return the same object until the description changes', async () => {
    const { a, b } = createPair();
    a.addTrack(videoTrack());
    await a.setLocalDescription();
    assert.equal(a.localDescription, a.localDescription);
    assert.equal(a.localDescription, a.pendingLocalDescription);
    await b.setRemoteDescription(a.localDescription!);
    assert.equal(b.remoteDescription, b.pendingRemoteDescription, 'as in Chromium');
    const before = b.remoteDescription;
    await b.setLocalDescription();
    assert.notEqual(b.remoteDescription, before, 'a new object once the description moved to current');
    assert.equal(b.remoteDescription, b.currentRemoteDescription);
  });

  it('generateCertificate(): a negative or non-number expires rejects with TypeError', async () => {
    assertError(
      await rejectionOf(
        RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256', expires: -1 } as never),
      ),
      'TypeError',
    );
    assertError(
      await rejectionOf(
        RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256', expires: 'soon' } as never),
      ),
      'TypeError',
    );
    const certificate = await RTCPeerConnection.generateCertificate({
      name: 'ECDSA',
      namedCurve: 'P-256',
      expires: 60000,
    } as never);
    assert.ok(certificate.expires - Date.now() <= 60000 + 1000);
  });
});
