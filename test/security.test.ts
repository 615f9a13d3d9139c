// Security properties, with real peers on loopback:
//   - media is always DTLS-SRTP: a remote description without a DTLS fingerprint is refused
//     (plain RTP/AVP offers included), as libwebrtc and Chromium refuse it;
//   - an expired certificate is refused (webrtc-pc §4.4.1.3: InvalidAccessError);
//   - data channel messages over the SCTP transport's maxMessageSize throw a TypeError (spec
//     §6.2 send()), with the local limit and with a lower remote a=max-message-size;
//   - a remote that advertises a huge a=max-message-size gets no more than the local limit
//     (libwebrtc's 256 KiB), and a flood of maximum-size messages leaves memory bounded.
// A forged DTLS fingerprint (a man in the middle) is covered by test/failure-paths.test.ts
// ('fingerprint-datachannel', 'fingerprint-audio'): the connection fails, nothing is delivered.
import * as assert from 'node:assert/strict';
import { RTCPeerConnection } from '../lib/index.js';
import { CRASH_PATTERN, describeRun, lastJson, runFixture } from './child-process.js';
import {
  assertRejects,
  assertThrows,
  connectedPair,
  createPair,
  makePeer,
  sleep,
  usePeers,
  waitForEvent,
  waitForState,
} from './helpers.js';

function withoutFingerprints(sdp: string): string {
  return sdp.replace(/^a=fingerprint:.*\r\n/gm, '');
}

function setMaxMessageSize(sdp: string, size: number): string {
  assert.match(sdp, /^a=max-message-size:\d+\r$/m);
  return sdp.replace(/^a=max-message-size:\d+\r$/m, `a=max-message-size:${size}\r`);
}

describe('security', function () {
  this.timeout(60000);
  usePeers();

  describe('SRTP is required: no description without a DTLS fingerprint', function () {
    it('a remote offer of plain RTP (RTP/AVP, no fingerprint, no crypto) is refused with InvalidAccessError', async function () {
      const a = makePeer();
      const b = makePeer();
      a.addTransceiver('audio');
      a.addTransceiver('video');
      const offer = await a.createOffer();
      const plain = withoutFingerprints(offer.sdp!.replace(/UDP\/TLS\/RTP\/SAVPF/g, 'RTP/AVP'));
      assert.doesNotMatch(plain, /SAVPF|a=fingerprint|a=crypto/);
      await assertRejects(b.setRemoteDescription({ type: 'offer', sdp: plain }), 'InvalidAccessError', 'RTP/AVP offer');
      assert.equal(b.signalingState, 'stable', 'nothing applied');
      assert.equal(b.remoteDescription, null);
    });

    it('a remote offer or answer whose fingerprint was removed is refused with InvalidAccessError', async function () {
      const a = makePeer();
      const b = makePeer();
      a.addTransceiver('audio');
      a.createDataChannel('x');
      const offer = await a.createOffer();
      await assertRejects(
        b.setRemoteDescription({ type: 'offer', sdp: withoutFingerprints(offer.sdp!) }),
        'InvalidAccessError',
        'offer',
      );
      // The same for an answer.
      await a.setLocalDescription(offer);
      await b.setRemoteDescription(offer);
      const answer = await b.createAnswer();
      await assertRejects(
        a.setRemoteDescription({ type: 'answer', sdp: withoutFingerprints(answer.sdp!) }),
        'InvalidAccessError',
        'answer',
      );
      assert.equal(a.signalingState, 'have-local-offer');
    });

    it('an RTP/AVP profile that keeps its fingerprint is answered with DTLS-SRTP all the same (the profile name is not a way around it)', async function () {
      const { a, b } = createPair();
      a.addTransceiver('audio');
      const offer = await a.createOffer();
      await a.setLocalDescription(offer);
      // libwebrtc (and Chromium) ignore the profile name: the fingerprint makes it DTLS-SRTP.
      await b.setRemoteDescription({ type: 'offer', sdp: offer.sdp!.replace(/UDP\/TLS\/RTP\/SAVPF/g, 'RTP/AVP') });
      const answer = await b.createAnswer();
      assert.match(answer.sdp!, /^a=fingerprint:sha-256 /m, 'the answer carries a DTLS fingerprint');
      assert.doesNotMatch(answer.sdp!, /^a=crypto:/m, 'no SDES keys');
      await b.setLocalDescription(answer);
      await a.setRemoteDescription(answer);
      await waitForState(a, 'connectionState', 'connected');
      const transport = a.getTransceivers()[0]!.sender.transport!;
      assert.equal(transport.state, 'connected', 'DTLS is up under the media');
      assert.ok(transport.getRemoteCertificates().length > 0, 'the remote proved its certificate');
    });
  });

  describe('codecs a remote offer makes up', function () {
    it('payload types no codec can hold (multiopus with 0 channels, found by fuzz/pc_fuzzer.cc) are left out of the answer or refused, never a crash', async () => {
      const r = await runFixture('hostile-codecs.js', [], { timeoutMs: 60000 });
      const account = describeRun('hostile-codecs', r);
      assert.equal(r.signal, null, `the process died\n${account}`);
      assert.doesNotMatch(r.stderr, CRASH_PATTERN, account);
      assert.equal(r.code, 0, account);
      const results = lastJson<{ format: string; outcome: string }[]>(r.stdout);
      assert.equal(results.length, 8, account);
      for (const { format, outcome } of results) {
        assert.match(outcome, /^(answered without it|OperationError: .*)$/, `${format}: ${outcome}`);
      }
      assert.equal(results.find((x) => x.format === 'multiopus/48000/0')!.outcome, 'answered without it');
    });
  });

  describe('descriptions the fuzzers found', function () {
    it('every fuzz/corpus/sdp/regression_*.sdp is applied, read back and answered, or refused with OperationError, without a crash', async () => {
      const r = await runFixture('hostile-descriptions.js', [], { timeoutMs: 60000 });
      const account = describeRun('hostile-descriptions', r);
      assert.equal(r.signal, null, `the process died\n${account}`);
      assert.doesNotMatch(r.stderr, CRASH_PATTERN, account);
      assert.equal(r.code, 0, account);
      const results = lastJson<{ file: string; outcome: string }[]>(r.stdout);
      assert.ok(results.length >= 4, account);
      for (const { file, outcome } of results) {
        assert.match(outcome, /^(applied .*, answered|OperationError: .*)$/, `${file}: ${outcome}`);
      }
      // libwebrtc would take an unknown media type over SCTP and crash printing it back.
      assert.match(
        results.find((x) => x.file === 'regression_unknown_media_sctp.sdp')!.outcome,
        /^OperationError: .*Unsupported protocol/,
      );
    });
  });

  describe('certificates', function () {
    it('an expired certificate is refused: new RTCPeerConnection({ certificates }) throws InvalidAccessError', async function () {
      const certificate = await RTCPeerConnection.generateCertificate({
        name: 'ECDSA',
        namedCurve: 'P-256',
        expires: 1,
      });
      await sleep(5);
      assert.ok(certificate.expires <= Date.now(), 'it has expired');
      assertThrows(() => new RTCPeerConnection({ certificates: [certificate] }), 'InvalidAccessError');
      // A live one is taken.
      const live = await RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' });
      const pc = makePeer({ certificates: [live] });
      assert.deepEqual(pc.getConfiguration().certificates, [live]);
    });
  });

  describe('data channel message size', function () {
    it('send() over pc.sctp.maxMessageSize throws TypeError and the channel stays open', async function () {
      const { a, channelA, channelB } = await connectedPair();
      const max = a.sctp!.maxMessageSize;
      assert.equal(max, 262144, "libwebrtc's limit");
      assertThrows(() => channelA.send(new Uint8Array(max + 1)), 'TypeError', 'bytes');
      assertThrows(() => channelA.send('x'.repeat(max + 1)), 'TypeError', 'a string');
      assertThrows(() => channelA.send('\u00e9'.repeat(max / 2 + 1)), 'TypeError', 'a string counted in UTF-8 bytes');
      assert.equal(channelA.readyState, 'open');
      const got = waitForEvent<MessageEvent>(channelB, 'message');
      channelA.send(new Uint8Array(max));
      assert.equal(
        ((await got).data as ArrayBuffer).byteLength,
        max,
        'a message of exactly maxMessageSize is delivered',
      );
    });

    it("the remote's lower a=max-message-size (1000, by SDP munging) is the limit: 1001 bytes throw TypeError, 1000 pass", async function () {
      const { a, b } = createPair();
      const channelA = a.createDataChannel('small');
      const remote = waitForEvent<Event & { channel: RTCDataChannel }>(b, 'datachannel');
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription!);
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription({ type: 'answer', sdp: setMaxMessageSize(b.localDescription!.sdp, 1000) });
      const channelB = (await remote).channel;
      if (channelA.readyState !== 'open') await waitForEvent(channelA, 'open');
      assert.equal(a.sctp!.maxMessageSize, 1000);
      assertThrows(() => channelA.send(new Uint8Array(1001)), 'TypeError');
      assertThrows(() => channelA.send('y'.repeat(1001)), 'TypeError');
      assert.equal(channelA.readyState, 'open');
      const got = waitForEvent<MessageEvent>(channelB, 'message');
      channelA.send(new Uint8Array(1000));
      assert.equal(((await got).data as ArrayBuffer).byteLength, 1000);
    });

    it('a remote advertising a huge a=max-message-size gets at most the local 256 KiB; 200 maximum-size messages keep memory bounded', async function () {
      const { a, b } = createPair();
      const channelA = a.createDataChannel('flood');
      const remote = waitForEvent<Event & { channel: RTCDataChannel }>(b, 'datachannel');
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription!);
      await b.setLocalDescription(await b.createAnswer());
      // The receiver "says" it takes 256 MiB.
      await a.setRemoteDescription({
        type: 'answer',
        sdp: setMaxMessageSize(b.localDescription!.sdp, 256 * 1024 * 1024),
      });
      const channelB = (await remote).channel;
      if (channelA.readyState !== 'open') await waitForEvent(channelA, 'open');
      // libwebrtc's sender never goes over its own SCTP limit, whatever the remote claims: 1 MiB
      // and 16 MiB messages cannot be produced by it (a raw SCTP peer would be needed).
      assert.equal(a.sctp!.maxMessageSize, 262144);
      assertThrows(() => channelA.send(new Uint8Array(1 << 20)), 'TypeError', '1 MiB');
      assertThrows(() => channelA.send(new Uint8Array(16 << 20)), 'TypeError', '16 MiB');

      const size = 262144;
      const count = 200;
      let received = 0;
      let bytes = 0;
      channelB.binaryType = 'arraybuffer';
      channelB.addEventListener('message', (event) => {
        received++;
        bytes += ((event as MessageEvent).data as ArrayBuffer).byteLength;
      });
      global.gc?.();
      const before = process.memoryUsage().rss;
      const payload = new Uint8Array(size);
      for (let sent = 0; sent < count; sent++) {
        // As an application would: wait while 4 MiB are queued.
        while (channelA.bufferedAmount > 4 * 1024 * 1024) await sleep(5);
        channelA.send(payload);
      }
      const deadline = Date.now() + 45000;
      while (received < count && Date.now() < deadline) await sleep(20);
      const after = process.memoryUsage().rss;
      console.log(
        `      ${received} × ${size} bytes delivered; RSS ${Math.round(before / 1048576)} → ${Math.round(after / 1048576)} MiB`,
      );
      assert.equal(received, count, 'every message delivered');
      assert.equal(bytes, count * size);
      assert.equal(channelA.readyState, 'open');
      assert.equal(channelB.readyState, 'open');
      assert.equal(a.connectionState, 'connected');
      // 50 MiB went through; what stays is far less (generous: 200 MiB). Not under
      // AddressSanitizer, which keeps freed memory in quarantine (256 MiB) to catch late uses.
      if (!/asan/.test(process.env.LD_PRELOAD ?? '')) {
        assert.ok(after - before < 200 * 1024 * 1024, `RSS grew by ${Math.round((after - before) / 1048576)} MiB`);
      }
    });
  });
});

type RTCDataChannel = import('../lib/index.js').RTCDataChannel;
