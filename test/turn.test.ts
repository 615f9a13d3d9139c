// TURN against a real server: coturn's turnserver, started by these tests on 127.0.0.1 (see
// turn-server.ts), with long-term credentials. Two peers in this process with
// iceTransportPolicy 'relay' connect through it over UDP and TCP, carry data and video; the
// failure cases (wrong credentials, nobody listening, an untrusted TLS certificate) end
// gathering with icecandidateerror events and no relay candidate.
//
// Timeouts only turn "never happened" into a failure; nothing asserts how long anything took.
import * as assert from 'node:assert/strict';
import {
  RTCPeerConnectionIceErrorEvent,
  type RTCConfiguration,
  type RTCDataChannel,
  type RTCIceCandidate,
  type RTCPeerConnection,
  type RTCPeerConnectionIceEvent,
  type RTCTrackEvent,
} from '../lib/index.js';
import { createPair, makePeer, negotiate, usePeers, waitForEvent, waitForState } from './helpers.js';
import { nextFrame, patternSource, showsPattern } from './media-helpers.js';
import { findExecutable, freePort, startTurnServer, TURN_HOST, type TurnServer } from './turn-server.js';

/** Connecting through a relay on a loaded 2-core machine; a failure guard only. */
const RELAY_TIMEOUT_MS = 30000;
/**
 * libwebrtc gives up on a TURN (and STUN) server that never answers over UDP after its STUN
 * retransmissions, 39.75 s (RFC 5389's Rc=7 with a 500 ms RTO, capped at 8 s per retry). The
 * wait for that is this long.
 */
const UDP_GIVE_UP_TIMEOUT_MS = 70000;

/** Every icecandidate and icecandidateerror event of a peer, recorded from creation. */
interface IceRecord {
  /** The candidates of the icecandidate events (the final null one excluded). */
  candidates: RTCIceCandidate[];
  errors: RTCPeerConnectionIceErrorEvent[];
  /** Whether the null candidate (end of gathering) was seen. */
  ended: boolean;
}

function recordIce(pc: RTCPeerConnection): IceRecord {
  const record: IceRecord = { candidates: [], errors: [], ended: false };
  pc.addEventListener('icecandidate', (event) => {
    const { candidate } = event as RTCPeerConnectionIceEvent;
    if (candidate) record.candidates.push(candidate);
    else record.ended = true;
  });
  pc.addEventListener('icecandidateerror', (event) => record.errors.push(event as RTCPeerConnectionIceErrorEvent));
  return record;
}

function describeIce(record: IceRecord): string {
  return JSON.stringify({
    candidates: record.candidates.map((c) => c.candidate),
    errors: record.errors.map(({ address, port, url, errorCode, errorText }) => ({
      address,
      port,
      url,
      errorCode,
      errorText,
    })),
  });
}

/** Stats objects of `type` in `pc`'s report. */
async function statsOf(pc: RTCPeerConnection, type: string): Promise<Record<string, any>[]> {
  const report = await pc.getStats();
  return [...report.values()].filter((s) => (s as { type: string }).type === type) as Record<string, any>[];
}

/**
 * The selected candidate pair as getStats() shows it: the transport's selectedCandidatePairId,
 * that pair (succeeded and nominated) and its two candidates.
 */
async function selectedPairStats(
  pc: RTCPeerConnection,
): Promise<{ pair: Record<string, any>; local: Record<string, any>; remote: Record<string, any> }> {
  const report = await pc.getStats();
  const all = [...report.values()] as Record<string, any>[];
  const transport = all.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
  assert.ok(
    transport,
    `a transport stats object names the selected pair: ${JSON.stringify(all.filter((s) => s.type === 'transport'))}`,
  );
  const pair = report.get(transport.selectedCandidatePairId) as Record<string, any> | undefined;
  assert.ok(pair, 'the selected candidate-pair is in the report');
  const local = report.get(pair.localCandidateId) as Record<string, any> | undefined;
  const remote = report.get(pair.remoteCandidateId) as Record<string, any> | undefined;
  assert.ok(local && remote, 'both candidates of the selected pair are in the report');
  return { pair, local, remote };
}

describe('TURN with a real turnserver (coturn) on 127.0.0.1', function () {
  this.timeout(RELAY_TIMEOUT_MS * 2);
  let server: TurnServer | null = null;

  before(async function () {
    // Not a pass: mocha reports these tests as pending, and this says why.
    const missing = !findExecutable('turnserver')
      ? "coturn's turnserver is not installed (scripts/setup.sh --network installs it)"
      : !findExecutable('openssl')
        ? 'openssl is not installed (it makes the TURN/TLS certificate)'
        : null;
    if (missing) {
      console.log(`      skipped: ${missing}`);
      this.skip();
    }
    server = await startTurnServer();
  });

  after(async () => {
    await server?.stop();
  });

  usePeers();

  /** The one server, for code that runs only after before() started it. */
  const turn = (): TurnServer => {
    assert.ok(server, 'turnserver is running');
    return server;
  };

  const relayOnly = (
    url: string,
    credential = turn().password,
    extra: Record<string, unknown> = {},
  ): RTCConfiguration => ({
    iceServers: [{ urls: url, username: turn().username, credential, ...extra }],
    iceTransportPolicy: 'relay',
  });

  /**
   * Two relay-only peers through `url`: negotiated with a data channel, connected, the
   * channel open and gathering complete on both (so the recorded candidates are all of them).
   */
  async function connectThroughRelay(
    url: string,
    extra: Record<string, unknown> = {},
  ): Promise<{
    a: RTCPeerConnection;
    b: RTCPeerConnection;
    iceA: IceRecord;
    iceB: IceRecord;
    channelA: RTCDataChannel;
    channelB: RTCDataChannel;
  }> {
    const { a, b, iceErrors } = createPair(relayOnly(url, undefined, extra), relayOnly(url, undefined, extra));
    const iceA = recordIce(a);
    const iceB = recordIce(b);
    const channelA = a.createDataChannel('relay');
    const remoteChannel = waitForEvent<Event & { channel: RTCDataChannel }>(b, 'datachannel', RELAY_TIMEOUT_MS);
    const openA = waitForEvent(channelA, 'open', RELAY_TIMEOUT_MS);
    await negotiate(a, b);
    try {
      await Promise.all([
        waitForState(a, 'connectionState', 'connected', RELAY_TIMEOUT_MS),
        waitForState(b, 'connectionState', 'connected', RELAY_TIMEOUT_MS),
        waitForState(a, 'iceGatheringState', 'complete', RELAY_TIMEOUT_MS),
        waitForState(b, 'iceGatheringState', 'complete', RELAY_TIMEOUT_MS),
        openA,
      ]);
    } catch (error) {
      throw new Error(
        `${(error as Error).message}\na: ${describeIce(iceA)}\nb: ${describeIce(iceB)}\nturnserver:\n${turn().output().slice(-2000)}`,
      );
    }
    const channelB = (await remoteChannel).channel;
    if (channelB.readyState !== 'open') await waitForEvent(channelB, 'open', RELAY_TIMEOUT_MS);
    assert.deepEqual(iceErrors, [], 'the trickled candidates were all accepted');
    return { a, b, iceA, iceB, channelA, channelB };
  }

  /** Only relay candidates were gathered: at least one, and no host or srflx one. */
  function assertOnlyRelayCandidates(record: IceRecord, side: string): void {
    assert.ok(record.ended, `${side}: the null candidate ended gathering`);
    assert.ok(record.candidates.length > 0, `${side}: a relay candidate was gathered: ${describeIce(record)}`);
    for (const candidate of record.candidates) {
      assert.equal(
        candidate.type,
        'relay',
        `${side}: only relay candidates with the relay policy: ${candidate.candidate}`,
      );
      assert.match(candidate.candidate, / typ relay /);
      // The relayed address is the server's --relay-ip; a relayed address is UDP whatever
      // transport reaches the server (RFC 5766 allocates UDP relays).
      assert.equal(
        candidate.address,
        TURN_HOST,
        `${side}: relayed on the server's relay address: ${candidate.candidate}`,
      );
      assert.equal(candidate.protocol, 'udp');
    }
  }

  /** A string each way over the channel. */
  async function exchangeMessages(channelA: RTCDataChannel, channelB: RTCDataChannel): Promise<void> {
    const atB = waitForEvent<MessageEvent>(channelB, 'message', RELAY_TIMEOUT_MS);
    channelA.send('a to b, relayed');
    assert.equal((await atB).data, 'a to b, relayed');
    const atA = waitForEvent<MessageEvent>(channelA, 'message', RELAY_TIMEOUT_MS);
    channelB.send('b to a, relayed');
    assert.equal((await atA).data, 'b to a, relayed');
  }

  /** getStats() and the ICE transport both show a relay-to-relay pair in use. */
  async function assertRelayedPair(
    pc: RTCPeerConnection,
    relayProtocol: 'udp' | 'tcp' | 'tls',
    side: string,
  ): Promise<void> {
    const { pair, local, remote } = await selectedPairStats(pc);
    // A check of this pair was answered. libwebrtc puts a pair back to 'in-progress' each time
    // it sends a keepalive check, until the response, so a report taken then (through a relay,
    // more likely on a slow machine) says 'in-progress' for a pair that succeeded long before.
    assert.ok(pair.responsesReceived > 0, `${side}: a check of the selected pair was answered`);
    assert.ok(
      pair.state === 'succeeded' || pair.state === 'in-progress',
      `${side}: the selected pair succeeded (state ${pair.state})`,
    );
    assert.equal(pair.nominated, true, `${side}: the selected pair is nominated`);
    assert.equal(local.candidateType, 'relay', `${side}: the local candidate is relayed`);
    assert.equal(local.address ?? local.ip, TURN_HOST);
    assert.equal(
      local.relayProtocol,
      relayProtocol,
      `${side}: the local candidate reached the server over ${relayProtocol}`,
    );
    assert.equal(remote.candidateType, 'relay', `${side}: the remote candidate is the other peer's relay`);
    assert.ok(pair.bytesSent > 0 && pair.bytesReceived > 0, `${side}: the pair carried the traffic`);

    // Everything is bundled on one transport: the data channel's, or the media's.
    const transport = pc.sctp?.transport ?? pc.getReceivers()[0]?.transport ?? null;
    const selected = transport?.iceTransport.getSelectedCandidatePair();
    assert.ok(selected, `${side}: the ICE transport has a selected pair`);
    assert.equal(selected.local.type, 'relay');
    assert.equal(selected.remote.type, 'relay');
  }

  for (const [transport, title] of [
    [
      'udp',
      'connects two relay-only peers through TURN over UDP: data both ways, only relay candidates, a relay pair in the stats',
    ],
    ['tcp', 'connects two relay-only peers through TURN over TCP'],
  ] as const) {
    it(title, async () => {
      const url = `turn:${TURN_HOST}:${turn().port}?transport=${transport}`;
      const { a, b, iceA, iceB, channelA, channelB } = await connectThroughRelay(url);
      assertOnlyRelayCandidates(iceA, 'a');
      assertOnlyRelayCandidates(iceB, 'b');
      await exchangeMessages(channelA, channelB);
      await assertRelayedPair(a, transport, 'a');
      await assertRelayedPair(b, transport, 'b');
    });
  }

  it('delivers video frames through TURN over UDP', async () => {
    const url = `turn:${TURN_HOST}:${turn().port}?transport=udp`;
    const { a, b } = createPair(relayOnly(url), relayOnly(url));
    const video = patternSource();
    try {
      a.addTrack(video.track);
      const remote = waitForEvent<RTCTrackEvent>(b, 'track', RELAY_TIMEOUT_MS);
      await negotiate(a, b);
      const { track } = await remote;
      await waitForState(b, 'connectionState', 'connected', RELAY_TIMEOUT_MS);
      // Decoded frames showing the pattern that was sent: the media went through the relay.
      const frame = await nextFrame(track, showsPattern, RELAY_TIMEOUT_MS);
      assert.ok(frame.width > 0 && frame.height > 0);
      await assertRelayedPair(b, 'udp', 'b');
      const [inbound] = await statsOf(b, 'inbound-rtp');
      assert.ok(inbound && inbound.framesDecoded > 0, 'inbound-rtp counts decoded frames');
    } finally {
      video.stop();
    }
  });

  it("connects two relay-only peers through TURN over TLS (the test server's certificate accepted by the nonstandard tlsCertPolicy)", async () => {
    const url = `turns:${TURN_HOST}:${turn().tlsPort}?transport=tcp`;
    const { a, b, iceA, iceB, channelA, channelB } = await connectThroughRelay(url, {
      tlsCertPolicy: 'insecureNoCheck',
    });
    assertOnlyRelayCandidates(iceA, 'a');
    assertOnlyRelayCandidates(iceB, 'b');
    await exchangeMessages(channelA, channelB);
    await assertRelayedPair(a, 'tls', 'a');
    await assertRelayedPair(b, 'tls', 'b');
  });

  it('refuses TURN over TLS with a self-signed certificate by default: icecandidateerror 701, no relay candidate', async () => {
    // libwebrtc verifies the TURN server's certificate (IceServer::tls_cert_policy is
    // kTlsCertPolicySecure unless told otherwise, against its own trusted roots), as browsers
    // do. So a self-signed server fails the TLS handshake ("self-signed certificate", alert
    // "unknown CA") unless the nonstandard tlsCertPolicy says otherwise (the test above).
    const url = `turns:${TURN_HOST}:${turn().tlsPort}?transport=tcp`;
    const pc = makePeer(relayOnly(url));
    const ice = recordIce(pc);
    pc.createDataChannel('tls');
    await pc.setLocalDescription(await pc.createOffer());
    await waitForState(pc, 'iceGatheringState', 'complete', RELAY_TIMEOUT_MS);
    assert.ok(ice.ended, 'the null candidate ended gathering');
    assert.deepEqual(ice.candidates, [], `no candidate at all: ${describeIce(ice)}`);
    const tlsErrors = ice.errors.filter((e) => e.url === url);
    assert.ok(tlsErrors.length > 0, `icecandidateerror names the TURN/TLS server: ${describeIce(ice)}`);
    for (const error of tlsErrors) {
      // 701: the spec's code for "no host candidate can reach the server".
      assert.equal(error.errorCode, 701);
      assertAddressAndPort(error, ice, 'tls');
      assert.equal(error.address, null, 'a relay-only peer exposes no local address');
    }
  });

  it('wrong credentials: icecandidateerror 401 from the server naming its url, no relay candidate, gathering completes', async () => {
    for (const transport of ['udp', 'tcp'] as const) {
      const url = `turn:${TURN_HOST}:${turn().port}?transport=${transport}`;
      const pc = makePeer(relayOnly(url, 'not-the-password'));
      const ice = recordIce(pc);
      pc.createDataChannel('denied');
      await pc.setLocalDescription(await pc.createOffer());
      await waitForState(pc, 'iceGatheringState', 'complete', RELAY_TIMEOUT_MS);
      assert.ok(ice.ended, `${transport}: the null candidate ended gathering`);
      assert.deepEqual(ice.candidates, [], `${transport}: no relay candidate: ${describeIce(ice)}`);
      const denied = ice.errors.filter((e) => e.url === url);
      assert.ok(denied.length > 0, `${transport}: icecandidateerror names the TURN server: ${describeIce(ice)}`);
      for (const error of denied) {
        assert.ok(error instanceof RTCPeerConnectionIceErrorEvent);
        // The server's STUN error: 401 Unauthorized (RFC 5389 §15.6), its reason phrase as text.
        assert.equal(error.errorCode, 401, `${transport}: ${describeIce(ice)}`);
        assert.equal(error.errorText, 'Unauthorized');
        assertAddressAndPort(error, ice, transport);
        assert.equal(error.address, null, `${transport}: a relay-only peer exposes no local address`);
      }
      pc.close();
    }
  });

  it('wrong credentials with the default policy: the 401 names the local address a host candidate exposed, and its port', async () => {
    // libwebrtc reports the socket's address with its host part hidden ("192.0.2.x", as
    // Chromium passes on); the spec wants the local address itself once a candidate exposed
    // it. Over UDP the TURN allocation uses the host candidate's socket, so that is the one.
    const url = `turn:${TURN_HOST}:${turn().port}?transport=udp`;
    const pc = makePeer({ iceServers: [{ urls: url, username: turn().username, credential: 'not-the-password' }] });
    const ice = recordIce(pc);
    pc.createDataChannel('denied');
    await pc.setLocalDescription(await pc.createOffer());
    await waitForState(pc, 'iceGatheringState', 'complete', RELAY_TIMEOUT_MS);
    assert.ok(
      ice.candidates.length > 0 && ice.candidates.every((c) => c.type === 'host'),
      `host candidates only: ${describeIce(ice)}`,
    );
    const denied = ice.errors.filter((e) => e.url === url);
    assert.ok(denied.length > 0, `icecandidateerror names the TURN server: ${describeIce(ice)}`);
    for (const error of denied) {
      assert.equal(error.errorCode, 401);
      assert.notEqual(error.address, null, `the host candidate exposed the address: ${describeIce(ice)}`);
      assert.doesNotMatch(error.address!, /x/, 'the address itself, not a hidden one');
      assertAddressAndPort(error, ice, 'udp');
    }
  });

  it('an unreachable TURN server over TCP: gathering completes with no candidate, icecandidateerror 701', async () => {
    const port = await freePort(); // nobody listens there: the connection is refused
    const url = `turn:${TURN_HOST}:${port}?transport=tcp`;
    const pc = makePeer(relayOnly(url));
    const ice = recordIce(pc);
    pc.createDataChannel('nobody');
    await pc.setLocalDescription(await pc.createOffer());
    await waitForState(pc, 'iceGatheringState', 'complete', RELAY_TIMEOUT_MS);
    assert.ok(ice.ended, 'the null candidate ended gathering');
    assert.deepEqual(ice.candidates, [], `no candidate: ${describeIce(ice)}`);
    const unreachable = ice.errors.filter((e) => e.url === url);
    assert.ok(unreachable.length > 0, `icecandidateerror names the TURN server: ${describeIce(ice)}`);
    for (const error of unreachable) {
      assert.equal(error.errorCode, 701);
      assertAddressAndPort(error, ice, 'tcp');
      assert.equal(error.address, null, 'a relay-only peer exposes no local address');
    }
    // The connection is still usable: a description with no candidates, not a crash or a close.
    assert.equal(pc.signalingState, 'have-local-offer');
    assert.match(pc.localDescription?.sdp ?? '', /^m=application /m);
  });

  it('an unreachable TURN server over UDP: after libwebrtc gives up, icecandidateerror 701 and gathering completes with no candidate', async function () {
    this.timeout(UDP_GIVE_UP_TIMEOUT_MS + 10000);
    const port = await freePort(); // nobody listens there: requests go unanswered
    const url = `turn:${TURN_HOST}:${port}?transport=udp`;
    const pc = makePeer(relayOnly(url));
    const ice = recordIce(pc);
    pc.createDataChannel('nobody');
    await pc.setLocalDescription(await pc.createOffer());
    await waitForState(pc, 'iceGatheringState', 'complete', UDP_GIVE_UP_TIMEOUT_MS);
    assert.ok(ice.ended, 'the null candidate ended gathering');
    assert.deepEqual(ice.candidates, [], `no candidate: ${describeIce(ice)}`);
    const unreachable = ice.errors.filter((e) => e.url === url);
    assert.ok(unreachable.length > 0, `icecandidateerror names the TURN server: ${describeIce(ice)}`);
    for (const error of unreachable) {
      assert.equal(error.errorCode, 701);
      assert.equal(error.errorText, 'TURN allocate request timed out.');
      assertAddressAndPort(error, ice, 'udp');
      assert.equal(error.address, null, 'a relay-only peer exposes no local address');
    }
    assert.equal(pc.signalingState, 'have-local-offer');
  });
});

/**
 * The spec's address and port: the local address used to reach the server when a local
 * candidate exposed it (with that candidate's port), else both null. A relay-only peer exposes
 * no local address, so its errors carry none.
 */
function assertAddressAndPort(error: RTCPeerConnectionIceErrorEvent, record: IceRecord, context: string): void {
  if (error.address === null) {
    assert.equal(error.port, null, `${context}: port is null when address is`);
    return;
  }
  const exposed = record.candidates.some((c) => c.address === error.address && c.port === error.port);
  assert.ok(
    exposed,
    `${context}: address ${error.address} port ${error.port} is a gathered candidate's: ${describeIce(record)}`,
  );
}
