// Calls over a real, impaired network: two peer processes in network namespaces of their own,
// joined by a wire the test controls (test/network-rig.ts: TUN devices forwarded by
// test/fixtures/tun-wire.py for loss, delay and outages; the kernel's tbf qdisc for a bandwidth
// cap). Real IP/UDP stacks at both ends; only the wire is in user space. Each test asserts what
// libwebrtc does about the fault — retransmits, recovers, adapts — never how fast.
//
// Needs root, /dev/net/tun, ip and tc (iproute2) and python3; without them the tests are
// skipped, saying why.
import * as assert from 'node:assert/strict';
import { Rig, rigUnavailable, type NetPeer, type PeerStats } from './network-rig.js';
import { sleep } from './helpers.js';

const CAP_BPS = 500_000;
const OUTAGE_MS = 10_000;

/** Marks an early-made promise as handled (it is awaited later): a test failing before then must
 * not leave an unhandled rejection to fail another test. */
function later<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/** Polls `peer`'s stats (every 500 ms) until `predicate` holds; fails with the last stats. */
async function statsUntil(
  peer: NetPeer,
  predicate: (s: PeerStats) => boolean,
  ms: number,
  what: string,
): Promise<PeerStats> {
  const deadline = Date.now() + ms;
  let last: PeerStats | null = null;
  for (;;) {
    last = await peer.stats();
    if (predicate(last)) return last;
    if (Date.now() > deadline)
      assert.fail(`${peer.name}: timed out after ${ms} ms waiting for ${what}; last stats ${JSON.stringify(last)}`);
    await sleep(500);
  }
}

/** Resolves with 'connected' once both peers are connected again, or 'failed' once one fails. */
function connectedOrFailed(a: NetPeer, b: NetPeer, ms: number): Promise<'connected' | 'failed'> {
  const connected = ['connected', 'completed'];
  const failed = (p: NetPeer) =>
    p
      .waitForStates(['failed'], ['new', 'checking', 'connected', 'completed', 'disconnected', 'failed'], ms, 'failing')
      .then(
        () => 'failed' as const,
        () => new Promise<never>(() => {}),
      );
  const iceFailed = (p: NetPeer) =>
    p.waitForStates(['new', 'connecting', 'connected', 'disconnected', 'failed'], ['failed'], ms, 'ICE failing').then(
      () => 'failed' as const,
      () => new Promise<never>(() => {}),
    );
  return Promise.race([
    Promise.all([
      a.waitForStates(['connected'], connected, ms, 'connected again'),
      b.waitForStates(['connected'], connected, ms, 'connected again'),
    ]).then(() => 'connected' as const),
    failed(a),
    failed(b),
    iceFailed(a),
    iceFailed(b),
  ]);
}

describe('network faults: a call over an impaired wire between network namespaces', function () {
  let rig: Rig | null = null;

  before(async function () {
    this.timeout(60000);
    const reason = await rigUnavailable();
    if (reason) {
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
  });

  afterEach(async function () {
    this.timeout(30000);
    if (rig && this.currentTest?.state === 'failed') console.log(rig.diagnostics());
    await rig?.destroy();
    rig = null;
  });

  it('5% loss and 50 ms delay each way: a reliable ordered channel delivers every message in order and intact; video keeps decoding, with losses repaired by NACK', async function () {
    this.timeout(150000);
    rig = new Rig();
    await rig.build();
    await rig.wire!.set({ loss: 0.05, delayMs: 50 });
    const { a, b } = await rig.connect({ video: [320, 240] }, 60000);

    const COUNT = 500;
    const delivered = later(b.event('batch', 90000, (m) => m.batch === 'lossy'));
    await a.request('send', { batch: 'lossy', count: COUNT, size: 200 });

    // The receiver keeps decoding: framesDecoded rises in each of five 2-second windows.
    const start = await statsUntil(b, (s) => (s.inbound?.framesDecoded ?? 0) > 0, 30000, 'a first decoded frame');
    const decoded = [start.inbound!.framesDecoded as number];
    const sunk = [start.sink.frames];
    let last = start;
    for (let i = 0; i < 5; i++) {
      await sleep(2000);
      last = await b.stats();
      decoded.push(last.inbound!.framesDecoded);
      sunk.push(last.sink.frames);
    }
    const batch = await delivered;
    const sender = await a.stats();
    const wire = await rig.wire!.set({});
    console.log(
      `      loss: ${COUNT} messages ${JSON.stringify(batch)}; framesDecoded ${decoded.join(' ')}; sink frames ${sunk.join(' ')}; ` +
        `inbound packetsLost ${last.inbound!.packetsLost} nackCount ${last.inbound!.nackCount} pliCount ${last.inbound!.pliCount}; ` +
        `outbound nackCount ${sender.outbound!.nackCount} retransmittedPacketsSent ${sender.outbound!.retransmittedPacketsSent}; ` +
        `wire lost A>B ${wire.ab.lost}/${wire.ab.in} B>A ${wire.ba.lost}/${wire.ba.in}`,
    );

    assert.equal(batch.received, COUNT, 'every message arrived');
    assert.equal(batch.inOrder, true, 'in order');
    assert.equal(batch.intact, true, 'intact');
    assert.ok(wire.ab.lost > 0 && wire.ba.lost > 0, 'the wire dropped packets both ways');
    for (let i = 1; i < decoded.length; i++) {
      assert.ok(decoded[i]! > decoded[i - 1]!, `framesDecoded rose in every window: ${decoded.join(' ')}`);
      assert.ok(sunk[i]! > sunk[i - 1]!, `the sink got frames in every window: ${sunk.join(' ')}`);
    }
    assert.ok(last.inbound!.packetsLost > 0, `the receiver counts lost packets (${last.inbound!.packetsLost})`);
    assert.ok(last.inbound!.nackCount > 0, `the receiver sent NACKs (${last.inbound!.nackCount})`);
    assert.ok(sender.outbound!.nackCount > 0, `the sender got NACKs (${sender.outbound!.nackCount})`);
    assert.ok(sender.outbound!.retransmittedPacketsSent > 0, 'and retransmitted');
    assert.deepEqual([...a.errors, ...b.errors], [], 'no signaling errors');
  });

  it('the link down for 10 s: both peers go disconnected, then connected again once it is back (restartIce() if they failed); data and video flow again', async function () {
    this.timeout(150000);
    rig = new Rig();
    await rig.build();
    const { a, b } = await rig.connect({ video: [320, 240] }, 60000);
    const before = later(b.event('batch', 30000, (m) => m.batch === 'before'));
    await a.request('send', { batch: 'before', count: 20, size: 100 });
    assert.equal((await before).received, 20);
    await statsUntil(b, (s) => (s.inbound?.framesDecoded ?? 0) > 0, 30000, 'a first decoded frame');

    await rig.wire!.set({ down: true });
    const downAt = Date.now();
    await Promise.all([
      a.waitForStates(['disconnected', 'failed'], ['disconnected', 'failed'], 30000, 'noticing the link is down'),
      b.waitForStates(['disconnected', 'failed'], ['disconnected', 'failed'], 30000, 'noticing the link is down'),
    ]);
    // Sent into the outage: SCTP must deliver them once the link is back.
    const during = later(b.event('batch', 120000, (m) => m.batch === 'during'));
    await a.request('send', { batch: 'during', count: 20, size: 100 });
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    const framesAtOutage = (await b.stats()).inbound!.framesDecoded as number;

    await rig.wire!.set({ down: false });
    let outcome = await connectedOrFailed(a, b, 60000);
    let restarted = false;
    if (outcome === 'failed') {
      restarted = true;
      await a.request('restartIce');
      await Promise.all([
        a.waitForStates(['connected'], ['connected', 'completed'], 60000, 'connected after restartIce()'),
        b.waitForStates(['connected'], ['connected', 'completed'], 60000, 'connected after restartIce()'),
      ]);
      outcome = 'connected';
    }
    const afterAB = later(b.event('batch', 60000, (m) => m.batch === 'after'));
    const afterBA = later(a.event('batch', 60000, (m) => m.batch === 'after-back'));
    await a.request('send', { batch: 'after', count: 50, size: 100 });
    await b.request('send', { batch: 'after-back', count: 50, size: 100 });
    const [ab, ba, dur] = await Promise.all([afterAB, afterBA, during]);
    const resumed = await statsUntil(
      b,
      (s) => s.inbound!.framesDecoded > framesAtOutage,
      30000,
      'video decoding again',
    );
    const wire = await rig.wire!.set({});
    console.log(
      `      outage: A connectionState ${a.connectionStates.join('>')} ice ${a.iceConnectionStates.join('>')}; ` +
        `B connectionState ${b.connectionStates.join('>')} ice ${b.iceConnectionStates.join('>')}; restartIce ${restarted}; ` +
        `framesDecoded ${framesAtOutage} -> ${resumed.inbound!.framesDecoded}; dropped by the wire A>B ${wire.ab.downDropped} B>A ${wire.ba.downDropped}`,
    );

    for (const p of [a, b]) {
      const seq = p.connectionStates;
      const down = seq.lastIndexOf('disconnected') >= 0 ? seq.lastIndexOf('disconnected') : seq.lastIndexOf('failed');
      assert.ok(down > 0, `${p.name} went disconnected or failed: ${seq.join('>')}`);
      assert.equal(seq.at(-1), 'connected', `${p.name} ended connected: ${seq.join('>')}`);
      assert.ok(seq.indexOf('connected') < down, `${p.name} was connected before the outage: ${seq.join('>')}`);
      assert.ok(
        p.iceConnectionStates.includes('disconnected') || p.iceConnectionStates.includes('failed'),
        `${p.name}'s ICE noticed: ${p.iceConnectionStates.join('>')}`,
      );
      assert.ok(
        ['connected', 'completed'].includes(p.iceConnectionStates.at(-1)!),
        `${p.name}'s ICE ended connected: ${p.iceConnectionStates.join('>')}`,
      );
    }
    for (const [batch, n] of [
      [ab, 50],
      [ba, 50],
      [dur, 20],
    ] as const) {
      assert.equal(batch.received, n, `${batch.batch}: every message arrived`);
      assert.ok(batch.inOrder && batch.intact, `${batch.batch}: in order and intact`);
    }
    assert.deepEqual([...a.errors, ...b.errors], [], 'no signaling errors');
  });

  it('bandwidth capped to 500 kbit/s: the video adapts — its send rate and bandwidth estimate go under the cap — and frames keep coming', async function () {
    this.timeout(150000);
    rig = new Rig();
    await rig.build();
    const { a, b } = await rig.connect({ video: [640, 360] }, 60000);

    // Uncapped first: the estimate goes well above the cap, so the cap is something to adapt to.
    const uncapped = await statsUntil(
      a,
      (s) => (s.pair?.availableOutgoingBitrate ?? 0) > 1.5 * CAP_BPS,
      40000,
      `availableOutgoingBitrate above ${1.5 * CAP_BPS} uncapped`,
    );
    // The kernel's token bucket on A's side of the wire: what A sends leaves at 500 kbit/s.
    await rig.tc('a', 'qdisc', 'add', 'root', 'tbf', 'rate', '500kbit', 'burst', '4kb', 'latency', '50ms');
    const adapted = await statsUntil(
      a,
      (s) => s.outbound!.targetBitrate < CAP_BPS && s.pair!.availableOutgoingBitrate < CAP_BPS,
      40000,
      'targetBitrate and availableOutgoingBitrate under the cap',
    );
    // Measured over a window once adapted: bytesSent (payload) per second of stats time, and the
    // target and estimate sampled every second. This encoder sends less than its target (it
    // drops frames, and with this content scales down to 320x180), so the link is seldom full
    // and GCC raises its estimate, as designed, up to 1.5 times the acknowledged rate before
    // the queue delay brings it down again: the estimate saws around the cap, so what is
    // asserted of it is that it keeps coming back under the cap and stays far from where it
    // was uncapped.
    await sleep(2000);
    const s0 = await a.stats();
    const r0 = await b.stats();
    const targets: number[] = [];
    const estimates: number[] = [];
    let s1 = s0;
    for (let i = 0; i < 8; i++) {
      await sleep(1000);
      s1 = await a.stats();
      targets.push(s1.outbound!.targetBitrate);
      estimates.push(s1.pair!.availableOutgoingBitrate);
    }
    const r1 = await b.stats();
    const seconds = (s1.outbound!.timestamp - s0.outbound!.timestamp) / 1000;
    const payloadBps = ((s1.outbound!.bytesSent - s0.outbound!.bytesSent) * 8) / seconds;
    const withHeadersBps =
      ((s1.outbound!.bytesSent + s1.outbound!.headerBytesSent - s0.outbound!.bytesSent - s0.outbound!.headerBytesSent) *
        8) /
      seconds;
    console.log(
      `      cap: uncapped estimate ${uncapped.pair!.availableOutgoingBitrate} (target ${uncapped.outbound!.targetBitrate}); ` +
        `adapted target ${adapted.outbound!.targetBitrate} estimate ${adapted.pair!.availableOutgoingBitrate}; ` +
        `window ${seconds.toFixed(1)} s: bytesSent ${Math.round(payloadBps)} bit/s (${Math.round(withHeadersBps)} with headers), ` +
        `targets ${targets.join(' ')}, estimates ${estimates.join(' ')}, ${s1.outbound!.frameWidth}x${s1.outbound!.frameHeight} ` +
        `limited by ${s1.outbound!.qualityLimitationReason}; framesDecoded ${r0.inbound!.framesDecoded} -> ${r1.inbound!.framesDecoded}, ` +
        `sink ${r0.sink.frames} -> ${r1.sink.frames} (${r1.sink.width}x${r1.sink.height}), packetsLost ${r1.inbound!.packetsLost}`,
    );

    assert.ok(payloadBps < CAP_BPS, `the video's bytesSent rate (${Math.round(payloadBps)} bit/s) is under the cap`);
    assert.ok(Math.min(...targets) < CAP_BPS, `targetBitrate keeps coming back under the cap: ${targets.join(' ')}`);
    assert.ok(
      Math.min(...estimates) < CAP_BPS,
      `availableOutgoingBitrate keeps coming back under the cap: ${estimates.join(' ')}`,
    );
    assert.ok(
      Math.max(...estimates) < 2 * CAP_BPS,
      `availableOutgoingBitrate stays under twice the cap: ${estimates.join(' ')}`,
    );
    assert.ok(r1.inbound!.framesDecoded > r0.inbound!.framesDecoded, 'frames are still decoded');
    assert.ok(r1.sink.frames > r0.sink.frames, 'and delivered to the sink');
    assert.deepEqual([...a.errors, ...b.errors], [], 'no signaling errors');
  });
});
