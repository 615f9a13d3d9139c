// RTCPeerConnection against the W3C spec (webrtc-pc), with Chromium's behaviour as the reference
// where the spec leaves room. Real loopback peers throughout; no mocks.
import * as assert from 'node:assert/strict';
import {
  RTCCertificate,
  RTCError,
  RTCIceCandidate,
  RTCPeerConnection,
  RTCRtpTransceiver,
  RTCSessionDescription,
  type RTCConfiguration,
  type RTCSessionDescriptionInit,
} from '../lib/index.js';
import {
  assertError,
  assertRejects,
  assertThrows,
  connectedPair,
  createPair,
  iceCredentials,
  makePeer,
  negotiate,
  rejectionOf,
  sleep,
  usePeers,
  waitForEvent,
  waitForState,
} from './helpers.js';

/** A wait that lets queued events arrive (not a timing assertion). */
const GRACE_MS = 400;

type Init = { type: string; sdp?: string };

function isPlainDescription(value: unknown, type: string): void {
  assert.ok(typeof value === 'object' && value !== null, 'resolves with an object');
  assert.equal(
    Object.getPrototypeOf(value),
    Object.prototype,
    'a plain RTCSessionDescriptionInit, not a class instance',
  );
  const v = value as Init;
  assert.equal(v.type, type);
  assert.equal(typeof v.sdp, 'string');
  assert.match(v.sdp!, /^v=0\r\n/);
}

async function gatheredCandidates(pc: RTCPeerConnection): Promise<RTCIceCandidate[]> {
  const candidates: RTCIceCandidate[] = [];
  const done = new Promise<void>((resolve) => {
    pc.addEventListener('icecandidate', (event) => {
      const candidate = (event as Event & { candidate: RTCIceCandidate | null }).candidate;
      if (candidate) candidates.push(candidate);
      else resolve();
    });
  });
  if (pc.iceGatheringState !== 'complete') await done;
  return candidates;
}

// --------------------------------------------------------------------------------------------

describe('RTCPeerConnection', function () {
  this.timeout(30000);
  usePeers();

  describe('constructor: RTCConfiguration', () => {
    it('takes no argument, undefined, null or {} and reports the defaults', () => {
      for (const arg of [[], [undefined], [null], [{}]] as unknown[][]) {
        const pc = new (RTCPeerConnection as unknown as new (...a: unknown[]) => RTCPeerConnection)(...arg);
        try {
          const c = pc.getConfiguration();
          assert.deepEqual(c.iceServers, [], `iceServers for ${JSON.stringify(arg)}`);
          assert.equal(c.iceTransportPolicy, 'all');
          assert.equal(c.bundlePolicy, 'balanced');
          assert.equal(c.rtcpMuxPolicy, 'require');
          assert.equal(c.iceCandidatePoolSize, 0);
          assert.deepEqual(c.certificates, []);
        } finally {
          pc.close();
        }
      }
    });

    it('accepts iceServers urls as one string and round-trips it through getConfiguration()', () => {
      const pc = makePeer({ iceServers: [{ urls: 'stun:stun.example.org' }] });
      const servers = pc.getConfiguration().iceServers!;
      assert.equal(servers.length, 1);
      assert.deepEqual(([] as string[]).concat(servers[0]!.urls), ['stun:stun.example.org']);
    });

    it('accepts iceServers urls as a list, with username and credential, and round-trips them', () => {
      const server = {
        urls: ['stun:stun.example.org:3478', 'turn:turn.example.org?transport=tcp', 'turns:turn.example.org:5349'],
        username: 'user',
        credential: 'secret',
      };
      const pc = makePeer({ iceServers: [server, { urls: 'stuns:other.example.org' }] });
      const servers = pc.getConfiguration().iceServers!;
      assert.equal(servers.length, 2);
      assert.deepEqual(([] as string[]).concat(servers[0]!.urls), server.urls);
      assert.equal(servers[0]!.username, 'user');
      assert.equal(servers[0]!.credential, 'secret');
      assert.deepEqual(([] as string[]).concat(servers[1]!.urls), ['stuns:other.example.org']);
    });

    it('accepts STUN/TURN URLs with ports, IPv6 hosts and transports', () => {
      for (const url of [
        'stun:1.2.3.4:3478',
        'stun:[::1]:3478',
        'turn:host.example:3478?transport=udp',
        'turns:host.example?transport=tcp',
      ]) {
        makePeer({ iceServers: [{ urls: url, username: 'u', credential: 'c' }] });
      }
    });

    it('treats the URL scheme case-insensitively (URL parsing lowercases it, as Chromium does)', () => {
      makePeer({ iceServers: [{ urls: 'STUN:stun.example.org' }] });
    });

    it('throws SyntaxError for malformed STUN/TURN URLs and an empty urls list', () => {
      const bad = [
        'not a url',
        'stun:',
        'stun:host?transport=udp', // a STUN URL has no transport (RFC 7064)
        'turn:host?transport=sctp',
        'stun:host:99999',
        'stun:ho st',
      ];
      for (const url of bad) {
        assertThrows(
          () => new RTCPeerConnection({ iceServers: [{ urls: url, username: 'u', credential: 'c' }] }),
          'SyntaxError',
          url,
        );
      }
      assertThrows(() => new RTCPeerConnection({ iceServers: [{ urls: [] }] }), 'SyntaxError', 'urls: []');
    });

    it('throws SyntaxError for an unknown URL scheme', () => {
      for (const url of ['http://example.org', 'https://example.org/stun', 'foo:bar']) {
        assertThrows(() => new RTCPeerConnection({ iceServers: [{ urls: url }] }), 'SyntaxError', url);
      }
    });

    it('throws InvalidAccessError for a TURN server without username or credential', () => {
      const cases: RTCConfiguration['iceServers'][] = [
        [{ urls: 'turn:turn.example.org' }],
        [{ urls: 'turns:turn.example.org', credential: 'c' }],
        [{ urls: ['stun:stun.example.org', 'turn:turn.example.org'], username: 'u' }],
      ];
      for (const iceServers of cases) {
        assertThrows(() => new RTCPeerConnection({ iceServers }), 'InvalidAccessError', JSON.stringify(iceServers));
      }
    });

    it('throws TypeError for iceServers that are not a sequence, or a server without urls', () => {
      assertThrows(() => new RTCPeerConnection({ iceServers: {} as never }), 'TypeError', 'iceServers: {}');
      assertThrows(() => new RTCPeerConnection({ iceServers: [{} as never] }), 'TypeError', 'iceServers: [{}]');
    });

    it('throws TypeError for unknown enum values', () => {
      assertThrows(() => new RTCPeerConnection({ bundlePolicy: 'bogus' as never }), 'TypeError', 'bundlePolicy');
      assertThrows(
        () => new RTCPeerConnection({ iceTransportPolicy: 'none' as never }),
        'TypeError',
        'iceTransportPolicy',
      );
      assertThrows(() => new RTCPeerConnection({ rtcpMuxPolicy: 'bogus' as never }), 'TypeError', 'rtcpMuxPolicy');
    });

    it('takes the enum values it knows and reports them back', () => {
      for (const bundlePolicy of ['balanced', 'max-compat', 'max-bundle'] as const) {
        assert.equal(makePeer({ bundlePolicy }).getConfiguration().bundlePolicy, bundlePolicy);
      }
      assert.equal(makePeer({ iceTransportPolicy: 'relay' }).getConfiguration().iceTransportPolicy, 'relay');
    });

    it('accepts iceCandidatePoolSize 0 to 255 ([EnforceRange] octet) and TypeErrors outside', () => {
      assert.equal(makePeer({ iceCandidatePoolSize: 255 }).getConfiguration().iceCandidatePoolSize, 255);
      assert.equal(makePeer({ iceCandidatePoolSize: 3 }).getConfiguration().iceCandidatePoolSize, 3);
      assert.equal(makePeer({ iceCandidatePoolSize: 1.9 }).getConfiguration().iceCandidatePoolSize, 1, 'truncated');
      for (const value of [256, -1, NaN, Infinity]) {
        assertThrows(
          () => new RTCPeerConnection({ iceCandidatePoolSize: value }),
          'TypeError',
          `iceCandidatePoolSize ${value}`,
        );
      }
    });

    it('throws InvalidAccessError for an expired certificate', async () => {
      const certificate = await RTCPeerConnection.generateCertificate({
        name: 'ECDSA',
        namedCurve: 'P-256',
        expires: 0,
      } as never);
      assertThrows(() => new RTCPeerConnection({ certificates: [certificate] }), 'InvalidAccessError');
    });

    it('getConfiguration() returns a fresh object each time', () => {
      const pc = makePeer({ iceServers: [{ urls: ['stun:a.example'] }] });
      const first = pc.getConfiguration();
      assert.notEqual(first, pc.getConfiguration());
      first.iceServers!.push({ urls: 'stun:b.example' });
      first.bundlePolicy = 'max-bundle';
      assert.equal(pc.getConfiguration().iceServers!.length, 1);
      assert.equal(pc.getConfiguration().bundlePolicy, 'balanced');
    });
  });

  describe('setConfiguration()', () => {
    it('changes iceServers, iceTransportPolicy and iceCandidatePoolSize (before setLocalDescription)', () => {
      const pc = makePeer();
      pc.setConfiguration({
        iceServers: [{ urls: 'stun:a.example' }],
        iceTransportPolicy: 'relay',
        iceCandidatePoolSize: 2,
      });
      const c = pc.getConfiguration();
      assert.deepEqual(([] as string[]).concat(c.iceServers![0]!.urls), ['stun:a.example']);
      assert.equal(c.iceTransportPolicy, 'relay');
      assert.equal(c.iceCandidatePoolSize, 2);
    });

    it('throws InvalidModificationError when bundlePolicy changes (an omitted one means the default)', () => {
      const pc = makePeer({ bundlePolicy: 'max-bundle' });
      assertThrows(
        () => pc.setConfiguration({ bundlePolicy: 'max-compat' }),
        'InvalidModificationError',
        'explicit change',
      );
      assertThrows(() => pc.setConfiguration({}), 'InvalidModificationError', 'omitted (balanced)');
      pc.setConfiguration({ bundlePolicy: 'max-bundle' });
      assert.equal(pc.getConfiguration().bundlePolicy, 'max-bundle');
    });

    it("accepts rtcpMuxPolicy 'negotiate' as Chromium does (node-webrtc code sets it), and refuses to change the policy", () => {
      // The spec's RTCRtcpMuxPolicy (and lib.dom's) has 'require' alone; Chromium still takes
      // 'negotiate' at construction, and throws InvalidModificationError on a change.
      const negotiate = makePeer({ rtcpMuxPolicy: 'negotiate' as never });
      assert.equal(negotiate.getConfiguration().rtcpMuxPolicy, 'negotiate');
      const pc = makePeer();
      assertThrows(() => pc.setConfiguration({ rtcpMuxPolicy: 'negotiate' as never }), 'InvalidModificationError');
      pc.setConfiguration({ rtcpMuxPolicy: 'require' });
      assert.equal(pc.getConfiguration().rtcpMuxPolicy, 'require');
    });

    it('throws InvalidModificationError when certificates change; the same ones are fine', async () => {
      const [c1, c2] = await Promise.all([
        RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' }),
        RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' }),
      ]);
      const withNone = makePeer();
      assertThrows(() => withNone.setConfiguration({ certificates: [c1] }), 'InvalidModificationError', 'adding one');
      const withOne = makePeer({ certificates: [c1] });
      assertThrows(() => withOne.setConfiguration({ certificates: [c2] }), 'InvalidModificationError', 'another one');
      assertThrows(() => withOne.setConfiguration({ certificates: [c1, c2] }), 'InvalidModificationError', 'one more');
      withOne.setConfiguration({ certificates: [c1] });
      withOne.setConfiguration({});
      assert.deepEqual(withOne.getConfiguration().certificates, [c1]);
    });

    it('throws InvalidModificationError for a new iceCandidatePoolSize after setLocalDescription', async () => {
      const pc = makePeer({ iceCandidatePoolSize: 1 });
      pc.createDataChannel('x');
      await pc.setLocalDescription();
      assertThrows(() => pc.setConfiguration({ iceCandidatePoolSize: 2 }), 'InvalidModificationError');
      pc.setConfiguration({ iceCandidatePoolSize: 1 });
      assert.equal(pc.getConfiguration().iceCandidatePoolSize, 1);
    });

    it('validates like the constructor and leaves the configuration unchanged on failure', () => {
      const pc = makePeer({ iceServers: [{ urls: 'stun:a.example' }] });
      assertThrows(() => pc.setConfiguration({ iceServers: [{ urls: 'foo' }] }), 'SyntaxError');
      assertThrows(() => pc.setConfiguration({ iceServers: [{ urls: 'turn:t.example' }] }), 'InvalidAccessError');
      assertThrows(() => pc.setConfiguration({ iceTransportPolicy: 'bogus' as never }), 'TypeError');
      assert.deepEqual(([] as string[]).concat(pc.getConfiguration().iceServers![0]!.urls), ['stun:a.example']);
      assert.equal(pc.getConfiguration().iceTransportPolicy, 'all');
    });

    it('throws InvalidStateError when closed', () => {
      const pc = makePeer();
      pc.close();
      assertThrows(() => pc.setConfiguration({}), 'InvalidStateError');
    });
  });

  describe('generateCertificate()', () => {
    const SHA256 = /^([0-9a-f]{2}:){31}[0-9a-f]{2}$/;

    it('makes an ECDSA P-256 certificate that expires in the future, with a sha-256 fingerprint', async () => {
      const certificate = await RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' });
      assert.ok(certificate instanceof RTCCertificate);
      assert.equal(typeof certificate.expires, 'number');
      assert.ok(certificate.expires > Date.now(), 'expires is in the future');
      const fingerprints = certificate.getFingerprints();
      assert.ok(Array.isArray(fingerprints) && fingerprints.length >= 1);
      const sha = fingerprints.find((f) => f.algorithm === 'sha-256');
      assert.ok(sha, `a sha-256 fingerprint among ${JSON.stringify(fingerprints)}`);
      assert.match(sha.value!, SHA256, 'lowercase hex pairs separated by colons');
    });

    it('makes an RSASSA-PKCS1-v1_5 2048-bit SHA-256 certificate', async () => {
      const certificate = await RTCPeerConnection.generateCertificate({
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      } as never);
      assert.ok(certificate instanceof RTCCertificate);
      assert.ok(certificate.expires > Date.now());
      assert.match(certificate.getFingerprints().find((f) => f.algorithm === 'sha-256')!.value!, SHA256);
    });

    it('gives different keys different fingerprints', async () => {
      const [a, b] = await Promise.all([
        RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' }),
        RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' }),
      ]);
      assert.notEqual(a.getFingerprints()[0]!.value, b.getFingerprints()[0]!.value);
    });

    it('honours a shorter `expires`', async () => {
      const hour = 3600 * 1000;
      const certificate = await RTCPeerConnection.generateCertificate({
        name: 'ECDSA',
        namedCurve: 'P-256',
        expires: hour,
      } as never);
      assert.ok(certificate.expires > Date.now());
      assert.ok(certificate.expires <= Date.now() + hour, 'not later than asked');
    });

    it('rejects with NotSupportedError for other algorithms', async () => {
      const unsupported: unknown[] = [
        { name: 'ECDSA', namedCurve: 'P-384' },
        { name: 'HMAC', hash: 'SHA-256' },
        { name: 'AES-GCM', length: 256 },
        { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-1' },
        'RSA-PSS',
      ];
      for (const algorithm of unsupported) {
        let error: unknown;
        try {
          await RTCPeerConnection.generateCertificate(algorithm as never);
        } catch (e) {
          error = e;
        }
        assertError(error, 'NotSupportedError', JSON.stringify(algorithm));
      }
    });

    it('puts a certificate given in `certificates` into the SDP as a=fingerprint', async () => {
      const certificate = await RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' });
      const value = certificate.getFingerprints().find((f) => f.algorithm === 'sha-256')!.value!;
      const pc = makePeer({ certificates: [certificate] });
      assert.deepEqual(pc.getConfiguration().certificates, [certificate]);
      pc.createDataChannel('x');
      const offer = await pc.createOffer();
      const line = /^a=fingerprint:sha-256 (\S+)/m.exec(offer.sdp!);
      assert.ok(line, 'the offer has a sha-256 fingerprint');
      assert.equal(line[1]!.toLowerCase(), value);
      await pc.setLocalDescription(offer);
      assert.equal(/^a=fingerprint:sha-256 (\S+)/m.exec(pc.localDescription!.sdp)![1]!.toLowerCase(), value);

      // And a connection without it uses another certificate.
      const other = makePeer();
      other.createDataChannel('x');
      const otherOffer = await other.createOffer();
      assert.notEqual(/^a=fingerprint:sha-256 (\S+)/m.exec(otherOffer.sdp!)![1]!.toLowerCase(), value);
    });
  });

  // ------------------------------------------------------------------------------------------

  describe('signaling state machine', () => {
    type State =
      | 'stable'
      | 'have-local-offer'
      | 'have-remote-offer'
      | 'have-local-pranswer'
      | 'have-remote-pranswer'
      | 'closed';
    interface Context {
      pc: RTCPeerConnection;
      partner: RTCPeerConnection;
    }

    const offerer = () => {
      const pc = makePeer();
      pc.createDataChannel('x');
      return pc;
    };

    const setups: Record<State, () => Promise<Context>> = {
      stable: async () => ({ pc: offerer(), partner: makePeer() }),
      'have-local-offer': async () => {
        const pc = offerer();
        const partner = makePeer();
        const offer = await pc.createOffer();
        await pc.setLocalDescription(offer);
        await partner.setRemoteDescription(offer);
        return { pc, partner };
      },
      'have-remote-offer': async () => {
        const pc = makePeer();
        const partner = offerer();
        const offer = await partner.createOffer();
        await partner.setLocalDescription(offer);
        await pc.setRemoteDescription(offer);
        return { pc, partner };
      },
      'have-local-pranswer': async () => {
        const { pc, partner } = await setups['have-remote-offer']();
        const answer = await pc.createAnswer();
        await pc.setLocalDescription({ type: 'pranswer', sdp: answer.sdp! });
        return { pc, partner };
      },
      'have-remote-pranswer': async () => {
        const { pc, partner } = await setups['have-local-offer']();
        const answer = await partner.createAnswer();
        await pc.setRemoteDescription({ type: 'pranswer', sdp: answer.sdp! });
        return { pc, partner };
      },
      closed: async () => {
        const pc = offerer();
        pc.close();
        return { pc, partner: makePeer() };
      },
    };

    /** An offer and an answer made by connections unrelated to the one under test. */
    const foreign = async (): Promise<{ offer: RTCSessionDescriptionInit; answer: RTCSessionDescriptionInit }> => {
      const x = offerer();
      const y = makePeer();
      const offer = await x.createOffer();
      await x.setLocalDescription(offer);
      await y.setRemoteDescription(offer);
      const answer = await y.createAnswer();
      return { offer, answer };
    };

    /** A remote answer: the partner's answer to our offer when there is one, else a foreign one. */
    const remoteAnswer = async (c: Context): Promise<string> => {
      if (c.partner.signalingState === 'have-remote-offer') return (await c.partner.createAnswer()).sdp!;
      return (await foreign()).answer.sdp!;
    };

    type Operation = (c: Context) => Promise<unknown>;
    const operations: Record<string, Operation> = {
      'createOffer()': (c) => c.pc.createOffer(),
      'createAnswer()': (c) => c.pc.createAnswer(),
      'setLocalDescription(createOffer())': async (c) => c.pc.setLocalDescription(await c.pc.createOffer()),
      "setLocalDescription({type:'offer'})": (c) => c.pc.setLocalDescription({ type: 'offer' }),
      'setLocalDescription(createAnswer())': async (c) => c.pc.setLocalDescription(await c.pc.createAnswer()),
      "setLocalDescription({type:'answer'})": (c) => c.pc.setLocalDescription({ type: 'answer' }),
      "setLocalDescription({type:'pranswer', sdp: createAnswer().sdp})": async (c) =>
        c.pc.setLocalDescription({ type: 'pranswer', sdp: (await c.pc.createAnswer()).sdp! }),
      "setLocalDescription({type:'pranswer'})": (c) => c.pc.setLocalDescription({ type: 'pranswer' }),
      "setLocalDescription({type:'rollback'})": (c) => c.pc.setLocalDescription({ type: 'rollback' }),
      'setLocalDescription()': (c) => c.pc.setLocalDescription(),
      'setLocalDescription(an offer this connection did not create)': async (c) =>
        c.pc.setLocalDescription((await foreign()).offer),
      'setLocalDescription(an answer this connection did not create)': async (c) =>
        c.pc.setLocalDescription((await foreign()).answer),
      'setRemoteDescription(offer)': async (c) => c.pc.setRemoteDescription((await foreign()).offer),
      'setRemoteDescription(answer)': async (c) =>
        c.pc.setRemoteDescription({ type: 'answer', sdp: await remoteAnswer(c) }),
      'setRemoteDescription(pranswer)': async (c) =>
        c.pc.setRemoteDescription({ type: 'pranswer', sdp: await remoteAnswer(c) }),
      "setRemoteDescription({type:'rollback'})": (c) => c.pc.setRemoteDescription({ type: 'rollback' }),
      'setRemoteDescription(malformed offer)': (c) => c.pc.setRemoteDescription({ type: 'offer', sdp: 'garbage' }),
      'setRemoteDescription(malformed answer)': (c) =>
        c.pc.setRemoteDescription({ type: 'answer', sdp: 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nthis is not sdp\r\n' }),
    };

    // Expected outcome per state: a state name ('→ x' resolves, signalingState x after), an
    // error name, 'sdp' (RTCError OperationError with errorDetail 'sdp-syntax-error'), or
    // undefined (not applicable: the setup cannot make the argument). Chromium 14x agrees with
    // every entry except where a comment says otherwise.
    type Outcome = `→ ${State}` | 'InvalidStateError' | 'InvalidModificationError' | 'sdp' | undefined;
    const ISE = 'InvalidStateError' as const;
    const IME = 'InvalidModificationError' as const;
    const table: Record<string, Partial<Record<State, Outcome>>> = {
      'createOffer()': {
        stable: '→ stable',
        'have-local-offer': '→ have-local-offer',
        'have-remote-offer': ISE,
        'have-local-pranswer': ISE,
        'have-remote-pranswer': ISE,
        closed: ISE,
      },
      'createAnswer()': {
        stable: ISE,
        'have-local-offer': ISE,
        'have-remote-offer': '→ have-remote-offer',
        'have-local-pranswer': '→ have-local-pranswer',
        'have-remote-pranswer': ISE,
        closed: ISE,
      },
      'setLocalDescription(createOffer())': {
        stable: '→ have-local-offer',
        'have-local-offer': '→ have-local-offer',
        closed: ISE,
      },
      "setLocalDescription({type:'offer'})": {
        stable: '→ have-local-offer',
        'have-local-offer': '→ have-local-offer',
        'have-remote-offer': ISE,
        'have-local-pranswer': ISE,
        'have-remote-pranswer': ISE,
        closed: ISE,
      },
      'setLocalDescription(createAnswer())': {
        'have-remote-offer': '→ stable',
        'have-local-pranswer': '→ stable',
        closed: ISE,
      },
      "setLocalDescription({type:'answer'})": {
        stable: ISE,
        'have-local-offer': ISE,
        'have-remote-offer': '→ stable',
        'have-local-pranswer': '→ stable',
        'have-remote-pranswer': ISE,
        closed: ISE,
      },
      "setLocalDescription({type:'pranswer', sdp: createAnswer().sdp})": {
        'have-remote-offer': '→ have-local-pranswer',
        'have-local-pranswer': '→ have-local-pranswer',
        closed: ISE,
      },
      "setLocalDescription({type:'pranswer'})": {
        stable: ISE,
        'have-local-offer': ISE,
        // Chromium goes to 'stable' here (it applies an answer), but to 'have-local-pranswer'
        // from have-local-pranswer; the spec makes a pranswer from [[LastCreatedAnswer]] in both.
        'have-remote-offer': '→ have-local-pranswer',
        'have-local-pranswer': '→ have-local-pranswer',
        'have-remote-pranswer': ISE,
        closed: ISE,
      },
      "setLocalDescription({type:'rollback'})": {
        stable: ISE,
        'have-local-offer': '→ stable',
        'have-remote-offer': '→ stable',
        'have-local-pranswer': ISE,
        'have-remote-pranswer': ISE,
        closed: ISE,
      },
      'setLocalDescription()': {
        stable: '→ have-local-offer',
        'have-local-offer': '→ have-local-offer',
        'have-remote-offer': '→ stable',
        'have-local-pranswer': '→ stable',
        'have-remote-pranswer': ISE,
        closed: ISE,
      },
      'setLocalDescription(an offer this connection did not create)': {
        stable: IME,
        'have-local-offer': IME,
        'have-remote-offer': IME,
        'have-local-pranswer': IME,
        'have-remote-pranswer': IME,
        closed: ISE,
      },
      'setLocalDescription(an answer this connection did not create)': {
        stable: IME,
        'have-local-offer': IME,
        'have-remote-offer': IME,
        'have-local-pranswer': IME,
        'have-remote-pranswer': IME,
        closed: ISE,
      },
      'setRemoteDescription(offer)': {
        stable: '→ have-remote-offer',
        'have-local-offer': '→ have-remote-offer', // implicit rollback (perfect negotiation)
        'have-remote-offer': '→ have-remote-offer',
        'have-local-pranswer': ISE,
        'have-remote-pranswer': ISE,
        closed: ISE,
      },
      'setRemoteDescription(answer)': {
        stable: ISE,
        'have-local-offer': '→ stable',
        'have-remote-offer': ISE,
        'have-local-pranswer': ISE,
        'have-remote-pranswer': '→ stable',
        closed: ISE,
      },
      'setRemoteDescription(pranswer)': {
        stable: ISE,
        'have-local-offer': '→ have-remote-pranswer',
        'have-remote-offer': ISE,
        'have-local-pranswer': ISE,
        'have-remote-pranswer': '→ have-remote-pranswer',
        closed: ISE,
      },
      "setRemoteDescription({type:'rollback'})": {
        stable: ISE,
        'have-local-offer': '→ stable',
        'have-remote-offer': '→ stable',
        'have-local-pranswer': ISE,
        'have-remote-pranswer': ISE,
        closed: ISE,
      },
      'setRemoteDescription(malformed offer)': {
        stable: 'sdp',
        'have-local-offer': 'sdp',
        'have-remote-offer': 'sdp',
        'have-local-pranswer': 'sdp',
        'have-remote-pranswer': 'sdp',
        closed: ISE,
      },
      'setRemoteDescription(malformed answer)': {
        stable: 'sdp',
        'have-local-offer': 'sdp',
        'have-remote-offer': 'sdp',
        'have-local-pranswer': 'sdp',
        'have-remote-pranswer': 'sdp',
        closed: ISE,
      },
    };

    it('the setups reach the state they are named after', async () => {
      for (const [state, setup] of Object.entries(setups)) {
        const c = await setup();
        assert.equal(c.pc.signalingState, state);
      }
    });

    for (const state of Object.keys(setups) as State[]) {
      describe(`in ${state}`, () => {
        for (const [name, operation] of Object.entries(operations)) {
          const outcome = table[name]![state];
          if (outcome === undefined) continue;
          const label =
            outcome === 'sdp'
              ? "rejects with RTCError 'sdp-syntax-error'"
              : outcome.startsWith('→')
                ? `resolves ${outcome}`
                : `rejects with ${outcome}`;
          it(`${name} ${label}`, async () => {
            const c = await setups[state]();
            assert.equal(c.pc.signalingState, state, 'setup');
            let value: unknown;
            let error: unknown;
            let settled = false;
            try {
              value = await operation(c);
              settled = true;
            } catch (e) {
              error = e;
            }
            if (outcome.startsWith('→')) {
              if (!settled) {
                const e = error as Error;
                assert.fail(`expected to resolve ${outcome}, rejected with ${e?.name}: ${e?.message}`);
              }
              assert.equal(c.pc.signalingState, outcome.slice(2));
              if (name === 'createOffer()') isPlainDescription(value, 'offer');
              else if (name === 'createAnswer()') isPlainDescription(value, 'answer');
              else assert.equal(value, undefined, 'setLocal/RemoteDescription resolve with undefined');
            } else {
              assert.ok(
                !settled,
                `expected a rejection (${outcome}), resolved; signalingState is now '${c.pc.signalingState}'`,
              );
              if (outcome === 'sdp') {
                assertError(error, 'OperationError');
                assert.ok(error instanceof RTCError, 'an RTCError');
                assert.equal((error as RTCError).errorDetail, 'sdp-syntax-error');
              } else {
                assertError(error, outcome);
              }
              assert.equal(c.pc.signalingState, state, 'a failed operation leaves signalingState alone');
            }
          });
        }
      });
    }

    it('setRemoteDescription rejects with InvalidAccessError for an answer whose m-lines do not match the offer', async () => {
      const a = makePeer();
      a.addTransceiver('audio');
      a.createDataChannel('x');
      await a.setLocalDescription();
      const { answer } = await foreign(); // a data-only answer: one m-line instead of two
      await assertRejects(a.setRemoteDescription(answer), 'InvalidAccessError');
      assert.equal(a.signalingState, 'have-local-offer');
    });

    it('bad arguments are TypeErrors', async () => {
      const pc = makePeer();
      const anyPc = pc as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      await assertRejects(anyPc.setRemoteDescription!.call(pc), 'TypeError', 'setRemoteDescription()');
      await assertRejects(anyPc.setRemoteDescription!.call(pc, {}), 'TypeError', 'setRemoteDescription({})');
      await assertRejects(anyPc.setRemoteDescription!.call(pc, 42), 'TypeError', 'setRemoteDescription(42)');
      await assertRejects(
        anyPc.setRemoteDescription!.call(pc, { type: 'bogus', sdp: '' }),
        'TypeError',
        "type 'bogus'",
      );
      await assertRejects(
        anyPc.setLocalDescription!.call(pc, { type: 'bogus', sdp: '' }),
        'TypeError',
        'local type bogus',
      );
      await assertRejects(anyPc.setLocalDescription!.call(pc, 42), 'TypeError', 'setLocalDescription(42)');
      await assertRejects(anyPc.createOffer!.call(pc, 42), 'TypeError', 'createOffer(42)');
      await assertRejects(anyPc.addIceCandidate!.call(pc, 42), 'TypeError', 'addIceCandidate(42)');
      assert.equal(pc.signalingState, 'stable');
    });

    it('a TypeError for bad arguments wins over InvalidStateError when closed', async () => {
      const pc = makePeer();
      pc.close();
      await assertRejects(pc.setRemoteDescription({ type: 'bogus' } as never), 'TypeError');
    });
  });

  // ------------------------------------------------------------------------------------------

  describe('createOffer / createAnswer forms', () => {
    async function withRemoteOffer(): Promise<RTCPeerConnection> {
      const a = makePeer();
      const b = makePeer();
      a.createDataChannel('x');
      await a.setLocalDescription();
      await b.setRemoteDescription(a.localDescription!);
      return b;
    }

    it('createOffer() and createAnswer() resolve with plain {type, sdp} objects', async () => {
      const a = makePeer();
      const b = makePeer();
      a.createDataChannel('x');
      const offer = await a.createOffer();
      isPlainDescription(offer, 'offer');
      assert.deepEqual(Object.keys(offer).sort(), ['sdp', 'type']);
      await a.setLocalDescription(offer);
      await b.setRemoteDescription(offer);
      const answer = await b.createAnswer();
      isPlainDescription(answer, 'answer');
      assert.deepEqual(Object.keys(answer).sort(), ['sdp', 'type']);
    });

    type Legacy = (
      success: (value: unknown) => void,
      failure: (error: unknown) => void,
      options?: object,
    ) => Promise<void>;

    /** Calls a legacy method; resolves with [returned promise's value, which callback, its argument]. */
    async function callLegacy(
      method: Legacy,
      self: RTCPeerConnection,
      options?: object,
    ): Promise<[unknown, string, unknown]> {
      let callback!: (result: [string, unknown]) => void;
      const called = new Promise<[string, unknown]>((resolve) => (callback = resolve));
      const returned = method.call(
        self,
        (value) => callback(['success', value]),
        (error) => callback(['failure', error]),
        ...(options ? [options] : []),
      );
      assert.ok(returned instanceof Promise, 'returns a promise');
      const [value, [which, argument]] = await Promise.all([returned, called]);
      return [value, which, argument];
    }

    it('legacy createAnswer(success, failure) calls success with the answer; the promise resolves with undefined', async () => {
      const b = await withRemoteOffer();
      const [value, which, description] = await callLegacy(b.createAnswer as Legacy, b);
      assert.equal(value, undefined);
      assert.equal(which, 'success');
      isPlainDescription(description, 'answer');
    });

    it('legacy createAnswer(success, failure) calls failure with InvalidStateError in stable; the promise resolves', async () => {
      const pc = makePeer();
      const [value, which, error] = await callLegacy(pc.createAnswer as Legacy, pc);
      assert.equal(value, undefined);
      assert.equal(which, 'failure');
      assertError(error, 'InvalidStateError');
    });

    it('legacy createAnswer(success, <not a function>) rejects with TypeError and calls nothing', async () => {
      const b = await withRemoteOffer();
      let called = false;
      const createAnswer = b.createAnswer as unknown as (...args: unknown[]) => Promise<void>;
      await assertRejects(
        createAnswer.call(b, () => (called = true), undefined),
        'TypeError',
        'failure undefined',
      );
      await assertRejects(
        createAnswer.call(b, () => (called = true), 42),
        'TypeError',
        'failure 42',
      );
      await sleep(GRACE_MS);
      assert.equal(called, false);
    });

    it('legacy createOffer(success, failure, options) calls success with the offer, honouring the options', async () => {
      const pc = makePeer();
      const [value, which, offer] = await callLegacy(pc.createOffer as Legacy, pc, { offerToReceiveAudio: true });
      assert.equal(value, undefined);
      assert.equal(which, 'success');
      isPlainDescription(offer, 'offer');
      assert.match((offer as Init).sdp!, /^m=audio /m, 'the legacy offerToReceiveAudio option was honoured');
    });

    it('the legacy forms return a promise already resolved with undefined, before the callback runs', async () => {
      // webrtc-pc, legacy createOffer/createAnswer: "Return a promise resolved with undefined"
      // (Chromium too); the callbacks run when the operation settles.
      const pc = makePeer();
      const order: string[] = [];
      let done!: () => void;
      const called = new Promise<void>((resolve) => (done = resolve));
      const returned = (pc.createOffer as Legacy).call(
        pc,
        () => {
          order.push('callback');
          done();
        },
        () => {
          order.push('callback');
          done();
        },
      );
      await returned.then((value) => order.push(`resolved:${String(value)}`));
      await called;
      assert.deepEqual(order, ['resolved:undefined', 'callback']);
    });
  });

  // ------------------------------------------------------------------------------------------

  describe('ordering of state, descriptions and events', () => {
    it('when setLocalDescription(offer) resolves, state, descriptions and signalingstatechange are done', async () => {
      const pc = makePeer();
      pc.createDataChannel('x');
      const log: string[] = [];
      pc.onsignalingstatechange = () =>
        log.push(`signalingstatechange:${pc.signalingState}:${pc.pendingLocalDescription?.type}`);
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      log.push('resolved');
      assert.deepEqual(log, ['signalingstatechange:have-local-offer:offer', 'resolved']);
      assert.equal(pc.signalingState, 'have-local-offer');
      assert.ok(pc.localDescription instanceof RTCSessionDescription);
      assert.equal(pc.localDescription.type, 'offer');
      assert.equal(pc.localDescription.sdp.split('\r\n')[0], 'v=0');
      assert.equal(pc.pendingLocalDescription?.type, 'offer');
      assert.equal(pc.currentLocalDescription, null);
      assert.equal(pc.remoteDescription, null);
    });

    it('when setRemoteDescription resolves, state, descriptions and signalingstatechange are done', async () => {
      const a = makePeer();
      const b = makePeer();
      a.createDataChannel('x');
      await a.setLocalDescription();
      const log: string[] = [];
      b.addEventListener('signalingstatechange', () =>
        log.push(`b:${b.signalingState}:${b.pendingRemoteDescription?.type}`),
      );
      a.addEventListener('signalingstatechange', () =>
        log.push(`a:${a.signalingState}:${a.currentRemoteDescription?.type}`),
      );
      await b.setRemoteDescription(a.localDescription!);
      log.push('b resolved');
      assert.equal(b.remoteDescription?.type, 'offer');
      assert.equal(b.pendingRemoteDescription?.type, 'offer');
      assert.equal(b.currentRemoteDescription, null);
      await b.setLocalDescription();
      log.push('b answered');
      assert.equal(b.signalingState, 'stable');
      assert.equal(b.currentLocalDescription?.type, 'answer');
      assert.equal((b.currentRemoteDescription as RTCSessionDescription | null)?.type, 'offer');
      assert.equal(b.pendingLocalDescription, null);
      assert.equal(b.pendingRemoteDescription, null);
      await a.setRemoteDescription(b.localDescription!);
      log.push('a resolved');
      assert.deepEqual(log, [
        'b:have-remote-offer:offer',
        'b resolved',
        'b:stable:undefined',
        'b answered',
        'a:stable:answer',
        'a resolved',
      ]);
      assert.equal(a.currentLocalDescription?.type, 'offer');
      assert.equal(a.currentRemoteDescription?.type, 'answer');
      assert.equal(a.pendingLocalDescription, null);
    });

    it('a rollback resolves after signalingstatechange with the pending description gone', async () => {
      const pc = makePeer();
      pc.createDataChannel('x');
      await pc.setLocalDescription();
      let seen: string | undefined;
      pc.onsignalingstatechange = () => (seen = `${pc.signalingState}:${String(pc.pendingLocalDescription)}`);
      await pc.setLocalDescription({ type: 'rollback' });
      assert.equal(seen, 'stable:null');
      assert.equal(pc.localDescription, null);
    });

    it('operations chain: createOffer() then setLocalDescription() without awaiting', async () => {
      const pc = makePeer();
      pc.createDataChannel('x');
      const order: string[] = [];
      const offer = pc.createOffer().then((o) => {
        order.push('offer');
        return o;
      });
      const sld = pc.setLocalDescription().then(() => order.push('sld'));
      await Promise.all([offer, sld]);
      assert.deepEqual(order, ['offer', 'sld']);
      assert.equal(pc.signalingState, 'have-local-offer');
    });

    it('operations chain: setRemoteDescription, createAnswer, setLocalDescription, addIceCandidate without awaiting', async () => {
      const a = makePeer();
      const b = makePeer();
      a.createDataChannel('x');
      const candidates = gatheredCandidates(a);
      await a.setLocalDescription();
      const list = await candidates;
      assert.ok(list.length > 0, 'a gathered candidates');
      const srd = b.setRemoteDescription(a.localDescription!);
      const answer = b.createAnswer(); // must see have-remote-offer: chained after srd
      const sld = answer.then((x) => b.setLocalDescription(x));
      const added = b.addIceCandidate(list[0]!);
      await Promise.all([srd, answer, sld, added]);
      assert.equal(b.signalingState, 'stable');
      assert.equal(b.currentLocalDescription?.type, 'answer');
    });

    it('operations chain: an operation queued behind a failing one still runs', async () => {
      const pc = makePeer();
      const failing = pc.setRemoteDescription({ type: 'answer', sdp: 'garbage' });
      const next = pc.createOffer();
      await assertRejects(failing, 'OperationError');
      isPlainDescription(await next, 'offer');
    });
  });

  // ------------------------------------------------------------------------------------------

  describe('perfect negotiation', () => {
    it('setLocalDescription() in stable makes and applies an offer', async () => {
      const pc = makePeer();
      pc.createDataChannel('x');
      await pc.setLocalDescription();
      assert.equal(pc.signalingState, 'have-local-offer');
      assert.equal(pc.localDescription?.type, 'offer');
      assert.match(pc.localDescription!.sdp, /^m=application /m);
    });

    it('setLocalDescription() in have-remote-offer makes and applies an answer', async () => {
      const a = makePeer();
      const b = makePeer();
      a.createDataChannel('x');
      await a.setLocalDescription();
      await b.setRemoteDescription(a.localDescription!);
      await b.setLocalDescription();
      assert.equal(b.signalingState, 'stable');
      assert.equal(b.localDescription?.type, 'answer');
      await a.setRemoteDescription(b.localDescription!);
      assert.equal(a.signalingState, 'stable');
    });

    it('glare: a remote offer in have-local-offer rolls the local offer back implicitly', async () => {
      const { a, b } = createPair();
      a.createDataChannel('from-a');
      b.createDataChannel('from-b');
      await Promise.all([a.setLocalDescription(), b.setLocalDescription()]);
      assert.equal(a.signalingState, 'have-local-offer');
      // b is polite: it takes a's offer, rolling back its own.
      const states: string[] = [];
      b.onsignalingstatechange = () => states.push(b.signalingState);
      await b.setRemoteDescription(a.localDescription!);
      assert.equal(b.signalingState, 'have-remote-offer');
      assert.equal(b.pendingLocalDescription, null, 'the local offer was rolled back');
      assert.equal(b.pendingRemoteDescription?.type, 'offer');
      assert.equal(states[states.length - 1], 'have-remote-offer');
      await b.setLocalDescription();
      await a.setRemoteDescription(b.localDescription!);
      assert.equal(a.signalingState, 'stable');
      assert.equal(b.signalingState, 'stable');
      await Promise.all([
        waitForState(a, 'connectionState', 'connected'),
        waitForState(b, 'connectionState', 'connected'),
      ]);
    });
  });

  // ------------------------------------------------------------------------------------------

  describe('addIceCandidate()', () => {
    async function withRemote(): Promise<{ pc: RTCPeerConnection; candidates: RTCIceCandidate[] }> {
      const a = makePeer();
      const pc = makePeer();
      a.createDataChannel('x');
      const gathered = gatheredCandidates(a);
      await a.setLocalDescription();
      await pc.setRemoteDescription(a.localDescription!);
      const candidates = await gathered;
      assert.ok(candidates.length > 0);
      return { pc, candidates };
    }

    it('end-of-candidates (null, undefined, {}, {candidate: ""}) resolves once a remote description exists', async () => {
      const { pc } = await withRemote();
      await pc.addIceCandidate(null);
      await pc.addIceCandidate(undefined);
      await pc.addIceCandidate();
      await pc.addIceCandidate({});
      await pc.addIceCandidate({ candidate: '' });
      await pc.addIceCandidate({ candidate: '', sdpMid: '0' });
    });

    it('rejects with InvalidStateError before a remote description, end-of-candidates included', async () => {
      const pc = makePeer();
      await assertRejects(pc.addIceCandidate(null), 'InvalidStateError', 'null');
      await assertRejects(pc.addIceCandidate({ candidate: '' }), 'InvalidStateError', "''");
      await assertRejects(
        pc.addIceCandidate({ candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host', sdpMid: '0' }),
        'InvalidStateError',
        'a candidate',
      );
    });

    it('rejects with TypeError when a candidate has neither sdpMid nor sdpMLineIndex', async () => {
      const { pc, candidates } = await withRemote();
      await assertRejects(
        pc.addIceCandidate({ candidate: candidates[0]!.candidate, sdpMid: null, sdpMLineIndex: null }),
        'TypeError',
      );
      await assertRejects(pc.addIceCandidate({ candidate: candidates[0]!.candidate }), 'TypeError', 'both absent');
      await assertRejects(
        makePeer().addIceCandidate({ candidate: candidates[0]!.candidate }),
        'TypeError',
        'before a remote description',
      );
    });

    it('adds real candidates given as RTCIceCandidate, as toJSON(), or by sdpMLineIndex alone', async () => {
      const { pc, candidates } = await withRemote();
      const c = candidates[0]!;
      assert.equal(typeof c.sdpMid, 'string');
      assert.equal(c.sdpMLineIndex, 0);
      await pc.addIceCandidate(c);
      await pc.addIceCandidate(c.toJSON());
      await pc.addIceCandidate({ candidate: c.candidate, sdpMLineIndex: 0 });
      await pc.addIceCandidate({ candidate: c.candidate, sdpMid: c.sdpMid, usernameFragment: c.usernameFragment });
    });

    it('rejects with OperationError for an unknown sdpMid', async () => {
      const { pc, candidates } = await withRemote();
      await assertRejects(
        pc.addIceCandidate({ candidate: candidates[0]!.candidate, sdpMid: 'no-such-mid' }),
        'OperationError',
      );
    });

    it('rejects with OperationError for an out-of-range sdpMLineIndex', async () => {
      const { pc, candidates } = await withRemote();
      await assertRejects(
        pc.addIceCandidate({ candidate: candidates[0]!.candidate, sdpMLineIndex: 5 }),
        'OperationError',
      );
    });

    it('rejects with OperationError for a usernameFragment no remote m-section has', async () => {
      const { pc, candidates } = await withRemote();
      await assertRejects(
        pc.addIceCandidate({
          candidate: candidates[0]!.candidate,
          sdpMid: candidates[0]!.sdpMid,
          usernameFragment: 'nope',
        }),
        'OperationError',
      );
    });

    it('rejects with OperationError for a malformed candidate string', async () => {
      const { pc, candidates } = await withRemote();
      await assertRejects(
        pc.addIceCandidate({ candidate: 'candidate:garbage', sdpMid: candidates[0]!.sdpMid }),
        'OperationError',
        'garbage',
      );
      await assertRejects(
        pc.addIceCandidate({
          candidate: 'candidate:1 1 udp notanumber 192.0.2.1 50000 typ host',
          sdpMid: candidates[0]!.sdpMid,
        }),
        'OperationError',
        'bad priority',
      );
    });

    it('rejects with InvalidStateError when closed', async () => {
      const { pc, candidates } = await withRemote();
      pc.close();
      await assertRejects(pc.addIceCandidate(candidates[0]!), 'InvalidStateError');
      await assertRejects(pc.addIceCandidate(null), 'InvalidStateError', 'null');
    });
  });

  // ------------------------------------------------------------------------------------------

  describe('restartIce()', () => {
    it('makes the next offer carry a new ice-ufrag and ice-pwd, and fires negotiationneeded', async () => {
      const { a, b } = createPair();
      a.createDataChannel('x');
      await negotiate(a, b);
      const before = iceCredentials(a.currentLocalDescription!.sdp);
      const again = await a.createOffer();
      assert.deepEqual(iceCredentials(again.sdp!), before, 'without restartIce the credentials stay');

      const needed = waitForEvent(a, 'negotiationneeded');
      a.restartIce();
      await needed;
      const offer = await a.createOffer();
      const after = iceCredentials(offer.sdp!);
      assert.notEqual(after.ufrag, before.ufrag);
      assert.notEqual(after.pwd, before.pwd);

      await a.setLocalDescription(offer);
      await b.setRemoteDescription(offer);
      await b.setLocalDescription();
      await a.setRemoteDescription(b.localDescription!);
      assert.deepEqual(iceCredentials(b.currentRemoteDescription!.sdp), after);
      await waitForState(a, 'connectionState', 'connected');
    });

    it('both sides gather candidates of the new generation (the new ufrag), and data flows over them', async () => {
      const { a, b, channelA, channelB } = await connectedPair();
      const fresh = (pc: RTCPeerConnection) => {
        const seen: string[] = [];
        pc.addEventListener('icecandidate', (e) => {
          const c = (e as Event & { candidate: RTCIceCandidate | null }).candidate;
          if (c?.candidate) seen.push(c.usernameFragment ?? '');
        });
        return seen;
      };
      const fromA = fresh(a);
      const fromB = fresh(b);
      a.restartIce();
      await negotiate(a, b);
      const ufragA = iceCredentials(a.currentLocalDescription!.sdp).ufrag;
      const ufragB = iceCredentials(b.currentLocalDescription!.sdp).ufrag;
      await waitForState(a, 'iceGatheringState', 'complete');
      await waitForState(b, 'iceGatheringState', 'complete');
      // A session that starts after the networks are known hears of them too (the port allocator
      // narrows the network signal to its connection: peer/port_allocator.h).
      assert.ok(fromA.includes(ufragA), `a gathered with its new ufrag ${ufragA}: ${fromA}`);
      assert.ok(fromB.includes(ufragB), `b gathered with its new ufrag ${ufragB}: ${fromB}`);
      const got = waitForEvent<MessageEvent>(channelB, 'message');
      channelA.send('after the restart');
      assert.equal((await got).data, 'after the restart');
    });

    it('does not throw before negotiation or after close()', () => {
      const pc = makePeer();
      pc.restartIce();
      pc.close();
      pc.restartIce();
    });
  });

  // ------------------------------------------------------------------------------------------

  describe('events', () => {
    it('negotiationneeded fires (asynchronously) after createDataChannel in stable', async () => {
      const pc = makePeer();
      let count = 0;
      pc.onnegotiationneeded = () => count++;
      pc.createDataChannel('x');
      assert.equal(count, 0, 'not synchronously');
      await waitForEvent(pc, 'negotiationneeded');
      await sleep(GRACE_MS);
      assert.equal(count, 1);
    });

    it('negotiationneeded fires after addTransceiver in stable', async () => {
      const pc = makePeer();
      const event = waitForEvent(pc, 'negotiationneeded');
      pc.addTransceiver('audio');
      await event;
    });

    it('negotiationneeded fires exactly once for several changes made in one go', async () => {
      const pc = makePeer();
      let count = 0;
      pc.addEventListener('negotiationneeded', () => count++);
      pc.createDataChannel('x');
      pc.addTransceiver('audio');
      pc.addTransceiver('video', { direction: 'recvonly' });
      await waitForEvent(pc, 'negotiationneeded');
      await sleep(GRACE_MS);
      assert.equal(count, 1);
    });

    it('negotiationneeded waits for stable: a change made in have-remote-offer fires after the answer', async () => {
      const a = makePeer();
      const b = makePeer();
      a.createDataChannel('x');
      await a.setLocalDescription();
      await b.setRemoteDescription(a.localDescription!);
      let count = 0;
      b.onnegotiationneeded = () => count++;
      b.addTransceiver('video');
      await sleep(GRACE_MS);
      assert.equal(count, 0, 'not in have-remote-offer');
      await b.setLocalDescription();
      if (count === 0) await waitForEvent(b, 'negotiationneeded');
      assert.equal(count, 1);
      assert.equal(b.signalingState, 'stable');
    });

    it('icecandidate events end with a null candidate after icegatheringstatechange to complete', async () => {
      const pc = makePeer();
      pc.createDataChannel('x');
      const log: string[] = [];
      const candidates: RTCIceCandidate[] = [];
      pc.addEventListener('icegatheringstatechange', () => log.push(`gathering:${pc.iceGatheringState}`));
      const nullSeen = new Promise<void>((resolve) => {
        pc.addEventListener('icecandidate', (event) => {
          const candidate = (event as Event & { candidate: RTCIceCandidate | null }).candidate;
          if (candidate) {
            candidates.push(candidate);
            log.push('candidate');
          } else {
            log.push('null');
            resolve();
          }
        });
      });
      assert.equal(pc.iceGatheringState, 'new');
      await pc.setLocalDescription();
      await nullSeen;
      await sleep(GRACE_MS);
      assert.ok(candidates.length > 0, 'at least one candidate');
      assert.equal(log[0], 'gathering:gathering');
      assert.equal(log.filter((e) => e === 'null').length, 1, 'one null candidate');
      assert.equal(log[log.length - 1], 'null', 'the null candidate is the last icecandidate event');
      assert.ok(
        log.indexOf('gathering:complete') >= 0 && log.indexOf('gathering:complete') < log.indexOf('null'),
        log.join(' '),
      );
      assert.equal(pc.iceGatheringState, 'complete');
      for (const c of candidates) {
        assert.ok(c instanceof RTCIceCandidate);
        assert.match(c.candidate, /^candidate:/);
        assert.equal(typeof c.sdpMid, 'string');
        assert.equal(typeof c.sdpMLineIndex, 'number');
      }
      // Candidates are in the local description once gathered.
      assert.match(pc.localDescription!.sdp, /^a=candidate:/m);
    });

    it('on<event> attributes and addEventListener both receive events; null removes the handler', async () => {
      const pc = makePeer();
      pc.createDataChannel('x');
      const calls: string[] = [];
      const handler = function (this: unknown, event: Event) {
        assert.equal(this, pc);
        calls.push(`handler:${event.type}`);
      };
      assert.equal(pc.onsignalingstatechange, null);
      pc.onsignalingstatechange = handler;
      assert.equal(pc.onsignalingstatechange, handler);
      pc.addEventListener('signalingstatechange', (event) => calls.push(`listener:${event.type}`));
      await pc.setLocalDescription();
      assert.deepEqual(calls, ['handler:signalingstatechange', 'listener:signalingstatechange']);
      pc.onsignalingstatechange = null;
      assert.equal(pc.onsignalingstatechange, null);
      await pc.setLocalDescription({ type: 'rollback' });
      assert.deepEqual(calls, [
        'handler:signalingstatechange',
        'listener:signalingstatechange',
        'listener:signalingstatechange',
      ]);
    });

    it('iceconnectionstatechange and connectionstatechange reach connected on a loopback pair', async () => {
      const { a, b } = createPair();
      const connection: string[] = [];
      const ice: string[] = [];
      a.onconnectionstatechange = () => connection.push(a.connectionState);
      a.oniceconnectionstatechange = () => ice.push(a.iceConnectionState);
      const channel = a.createDataChannel('x');
      const datachannel = waitForEvent(b, 'datachannel');
      assert.equal(a.connectionState, 'new');
      assert.equal(a.iceConnectionState, 'new');
      await negotiate(a, b);
      await Promise.all([
        waitForState(a, 'connectionState', 'connected'),
        waitForState(b, 'connectionState', 'connected'),
        waitForState(a, 'iceConnectionState', ['connected', 'completed']),
        waitForState(b, 'iceConnectionState', ['connected', 'completed']),
        waitForEvent(channel, 'open'),
        datachannel,
      ]);
      assert.equal(connection[0], 'connecting');
      assert.ok(connection.includes('connected'), connection.join(' '));
      assert.equal(ice[0], 'checking');
      assert.ok(ice.includes('connected') || ice.includes('completed'), ice.join(' '));
      assert.ok(a.sctp, 'the SCTP transport exists once negotiated');
    });
  });

  // ------------------------------------------------------------------------------------------

  describe('close()', () => {
    it('is synchronous and idempotent: the states are closed right after it', async () => {
      const { a, channelA } = await connectedPair();
      assert.equal(a.close(), undefined);
      assert.equal(a.signalingState, 'closed');
      assert.equal(a.connectionState, 'closed');
      assert.equal(a.iceConnectionState, 'closed');
      assert.equal(channelA.readyState, 'closed', 'its data channels are closed abruptly');
      a.close();
      assert.equal(a.signalingState, 'closed');
    });

    /** Closes `a` of a connected pair while traffic is under way; the events fired afterwards. */
    async function eventsAfterClose(): Promise<string[]> {
      const { a, b, channelA, channelB } = await connectedPair();
      const fired: string[] = [];
      for (const type of [
        'signalingstatechange',
        'iceconnectionstatechange',
        'icegatheringstatechange',
        'connectionstatechange',
        'icecandidate',
        'negotiationneeded',
        'datachannel',
      ]) {
        a.addEventListener(type, () => fired.push(`pc:${type}`));
      }
      for (const type of ['open', 'message', 'closing', 'close', 'error', 'bufferedamountlow']) {
        channelA.addEventListener(type, () => fired.push(`channel:${type}`));
      }
      // Keep things happening: the remote side sends, and new channels are being opened.
      for (let i = 0; i < 20; i++) b.createDataChannel(`late-${i}`);
      for (let i = 0; i < 50; i++) channelB.send(`message ${i}`);
      a.close();
      await sleep(GRACE_MS);
      return fired;
    }

    it('fires no event after close() on the connection, and no message/open/error on its channels', async () => {
      const fired = await eventsAfterClose();
      assert.deepEqual(
        fired.filter((e) => e !== 'channel:closing' && e !== 'channel:close'),
        [],
      );
    });

    it("its channels are 'closed' at once, then fire 'closing' and 'close' as in Chromium", async () => {
      // webrtc-pc, "close the connection", makes each channel's [[ReadyState]] "closed" at once
      // (asserted in rtc-data-channel.test.ts); the events that follow are Chromium's, which
      // browser code cleaning up in onclose relies on. Nothing else fires.
      const fired = await eventsAfterClose();
      assert.ok(fired.length > 0, 'some channel event fired');
      assert.ok(
        fired.every((e) => /(closing|close)$/.test(e)),
        `only closing/close: ${fired}`,
      );
    });

    it('methods reject or throw InvalidStateError after close(); getters still work', async () => {
      const { a } = await connectedPair();
      const transceiver = a.addTransceiver('audio');
      const local = a.localDescription;
      a.close();
      await assertRejects(a.createOffer(), 'InvalidStateError', 'createOffer');
      await assertRejects(a.createAnswer(), 'InvalidStateError', 'createAnswer');
      await assertRejects(a.setLocalDescription(), 'InvalidStateError', 'setLocalDescription');
      await assertRejects(
        a.setRemoteDescription({ type: 'offer', sdp: local!.sdp }),
        'InvalidStateError',
        'setRemoteDescription',
      );
      await assertRejects(a.addIceCandidate(null), 'InvalidStateError', 'addIceCandidate');
      assertThrows(() => a.createDataChannel('x'), 'InvalidStateError', 'createDataChannel');
      assertThrows(() => a.addTransceiver('video'), 'InvalidStateError', 'addTransceiver');
      assertThrows(() => a.setConfiguration({}), 'InvalidStateError', 'setConfiguration');
      assertThrows(() => transceiver.stop(), 'InvalidStateError', 'transceiver.stop');
      assertThrows(() => (transceiver.direction = 'recvonly'), 'InvalidStateError', 'transceiver.direction =');
      // Getters.
      assert.equal(a.localDescription?.type, local!.type);
      assert.equal(a.localDescription?.sdp, local!.sdp);
      assert.equal(a.remoteDescription?.type, 'answer');
      assert.equal(a.canTrickleIceCandidates, true);
      assert.equal(a.getConfiguration().bundlePolicy, 'balanced');
      assert.deepEqual(a.getTransceivers(), [transceiver]);
      assert.equal(transceiver.currentDirection, 'stopped');
    });

    it('an operation pending at close() never settles and fires nothing', async () => {
      const pc = makePeer();
      pc.createDataChannel('x');
      let settled = false;
      const p = pc.createOffer().then(
        () => (settled = true),
        () => (settled = true),
      );
      void p;
      pc.close();
      await sleep(GRACE_MS);
      assert.equal(settled, false, 'the spec drops operations of a closed connection');
    });
  });

  // ------------------------------------------------------------------------------------------

  describe('canTrickleIceCandidates', () => {
    it('is null before a remote description and true after one that says trickle', async () => {
      const a = makePeer();
      const b = makePeer();
      a.createDataChannel('x');
      assert.equal(b.canTrickleIceCandidates, null);
      await a.setLocalDescription();
      assert.equal(a.canTrickleIceCandidates, null, 'a local description does not count');
      await b.setRemoteDescription(a.localDescription!);
      assert.equal(b.canTrickleIceCandidates, true);
    });

    it('is false after a remote description without a=ice-options:trickle', async () => {
      const a = makePeer();
      const b = makePeer();
      a.createDataChannel('x');
      await a.setLocalDescription();
      const sdp = a.localDescription!.sdp.replace(/^a=ice-options:trickle\r\n/gm, '');
      assert.doesNotMatch(sdp, /trickle/);
      await b.setRemoteDescription({ type: 'offer', sdp });
      assert.equal(b.canTrickleIceCandidates, false);
    });
  });

  // ------------------------------------------------------------------------------------------

  describe('transceivers', () => {
    it('addTransceiver(kind, {direction}) appears in getTransceivers() with identity preserved', () => {
      const pc = makePeer();
      const audio = pc.addTransceiver('audio', { direction: 'sendonly' });
      const video = pc.addTransceiver('video', { direction: 'recvonly' });
      assert.ok(audio instanceof RTCRtpTransceiver);
      assert.equal(pc.getTransceivers()[0], pc.getTransceivers()[0]);
      assert.deepEqual(pc.getTransceivers(), [audio, video]);
      assert.equal(audio.direction, 'sendonly');
      assert.equal(video.direction, 'recvonly');
      assert.equal(pc.addTransceiver('audio').direction, 'sendrecv', 'the default direction');
    });

    it('mid is null before negotiation and set after; currentDirection follows the answer', async () => {
      const { a, b } = createPair();
      const audio = a.addTransceiver('audio', { direction: 'sendrecv' });
      const video = a.addTransceiver('video', { direction: 'recvonly' });
      assert.equal(audio.mid, null);
      assert.equal(audio.currentDirection, null);
      await negotiate(a, b);
      assert.equal(typeof audio.mid, 'string');
      assert.equal(typeof video.mid, 'string');
      assert.notEqual(audio.mid, video.mid);
      // Nothing is sent by b (no tracks): its side is recvonly / inactive.
      assert.equal(audio.currentDirection, 'sendonly');
      assert.equal(video.currentDirection, 'inactive');
      assert.equal(a.getTransceivers()[0], audio, 'the same object after negotiation');
    });

    it('the answerer sees the transceivers a remote offer created', async () => {
      const a = makePeer();
      const b = makePeer();
      a.addTransceiver('audio');
      a.addTransceiver('video', { direction: 'sendonly' });
      await a.setLocalDescription();
      assert.deepEqual(b.getTransceivers(), []);
      await b.setRemoteDescription(a.localDescription!);
      const seen = b.getTransceivers();
      assert.equal(seen.length, 2);
      assert.deepEqual(
        seen.map((t) => [t.mid, t.direction]),
        a.getTransceivers().map((t) => [t.mid, 'recvonly']),
      );
      assert.equal(seen[0], b.getTransceivers()[0]);
      await b.setLocalDescription();
      assert.deepEqual(
        b.getTransceivers().map((t) => t.currentDirection),
        ['recvonly', 'recvonly'],
      );
    });

    it('the direction setter changes direction and fires negotiationneeded once negotiated', async () => {
      const { a, b } = createPair();
      const t = a.addTransceiver('audio');
      await negotiate(a, b);
      const needed = waitForEvent(a, 'negotiationneeded');
      t.direction = 'inactive';
      assert.equal(t.direction, 'inactive');
      assert.equal(t.currentDirection, 'sendonly', 'currentDirection waits for negotiation');
      await needed;
      await negotiate(a, b);
      assert.equal(t.currentDirection, 'inactive');
    });

    it("direction: 'stopped' is a TypeError; an unknown value is ignored, as WebIDL does for enum attributes", () => {
      const pc = makePeer();
      const t = pc.addTransceiver('video', { direction: 'recvonly' });
      assertThrows(() => (t.direction = 'stopped'), 'TypeError', "'stopped'");
      assert.equal(t.direction, 'recvonly');
      t.direction = 'bogus' as never; // no exception (Chromium too)
      assert.equal(t.direction, 'recvonly');
    });

    it('stop() makes direction stopped at once and currentDirection stopped after negotiation', async () => {
      const { a, b } = createPair();
      const t = a.addTransceiver('audio');
      await negotiate(a, b);
      const mid = t.mid;
      const needed = waitForEvent(a, 'negotiationneeded');
      t.stop();
      assert.equal(t.direction, 'stopped');
      assert.equal(t.mid, mid, 'mid stays until negotiated');
      await needed;
      await negotiate(a, b);
      assert.equal(t.currentDirection, 'stopped');
      assert.equal(t.mid, null, 'a stopped transceiver loses its mid');
      assert.ok(!a.getTransceivers().includes(t), 'a stopped transceiver leaves getTransceivers() (as in Chromium)');
      assertThrows(() => (t.direction = 'sendrecv'), 'InvalidStateError', 'direction of a stopped transceiver');
    });

    it('addTransceiver throws TypeError for a bad kind or direction', () => {
      const pc = makePeer();
      assertThrows(() => pc.addTransceiver('data' as never), 'TypeError', "kind 'data'");
      assertThrows(() => pc.addTransceiver('' as never), 'TypeError', "kind ''");
      assertThrows(() => pc.addTransceiver('audio', { direction: 'bogus' as never }), 'TypeError', "direction 'bogus'");
      assert.deepEqual(pc.getTransceivers(), []);
    });
  });

  describe('offer contents', () => {
    it('an offer with a data channel has an m=application section; with none it has no m-lines', async () => {
      const empty = makePeer();
      const offer = await empty.createOffer();
      assert.doesNotMatch(offer.sdp!, /^m=/m);
      const withChannel = makePeer();
      withChannel.createDataChannel('x');
      assert.match((await withChannel.createOffer()).sdp!, /^m=application \d+ UDP\/DTLS\/SCTP webrtc-datachannel/m);
    });

    it('a rejected operation carries the caller stack, not only internal frames', async () => {
      const pc = makePeer();
      const error = (await rejectionOf(pc.createAnswer())) as Error;
      assertError(error, 'InvalidStateError');
      assert.match(String(error.stack), /rtc-peer-connection\.test\.js/);
    });
  });
});
