// Data channels between Chromium and the Node peer: exact delivery both ways, and channels added
// to a connection that is already up.
import * as assert from 'node:assert/strict';

import { useInterop, type Data, type Session, type SideName } from './harness.js';
import { implName } from './impl.js';

/** Deterministic bytes (xorshift32), so a failure reproduces. */
function bytes(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

const STRINGS: readonly string[] = [
  'hello',
  '',
  'héllo wörld ÀÉÎÕÜ ßæøå',
  '日本語のテキスト, 中文, 한국어',
  'astral: 🎉🚀 𝄞 𠜎',
  'nul\u0000inside and \r\n\t controls',
  'Ω'.repeat(32768), // 64 KiB of UTF-8
];
const BINARY_SIZES: readonly number[] = [1, 2, 255, 1024, 16383, 16384, 16385, 65535, 65536];

/** Strings and ArrayBuffers interleaved, so order across kinds is checked too. */
function messages(): Data[] {
  const out: Data[] = [];
  for (let i = 0; i < Math.max(STRINGS.length, BINARY_SIZES.length); i++) {
    if (i < STRINGS.length) out.push(STRINGS[i]!);
    if (i < BINARY_SIZES.length) out.push(bytes(BINARY_SIZES[i]!, i + 1));
  }
  return out;
}

function describeData(list: readonly Data[]): string[] {
  return list.map((d) => (typeof d === 'string' ? `string(${d.length})` : `binary(${d.length})`));
}

/** Exact equality, with a readable summary first (64 KiB diffs are not). */
function assertSameData(actual: readonly Data[], expected: readonly Data[], what: string): void {
  assert.deepEqual(describeData(actual), describeData(expected), `${what}: kinds and sizes, in order`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (typeof e === 'string') assert.equal(a, e, `${what}: message ${i} (string)`);
    else assert.ok(Buffer.isBuffer(a) && a.equals(e), `${what}: message ${i} (binary, ${e.length} bytes) differs`);
  }
}

const SIDES: readonly SideName[] = ['browser', 'node'];

/** `by` opens 'first' (its negotiationneeded makes the offer); returns once it echoes. */
async function connectWithChannel(s: Session, by: SideName, label = 'first'): Promise<void> {
  await s.side(by).createChannel(label);
  await s.bothConnected();
  await s.until(
    () => s.node.view.channels.get(label)?.opened && s.browser.view.channels.get(label)?.opened,
    `'${label}' open on both sides`,
  );
  const { back } = await s.echo(by, label, ['ping']);
  assert.deepEqual(back, ['ping']);
}

describe(`interop: data channels with Chromium [${implName}]`, function () {
  this.timeout(30000);
  const interop = useInterop();

  for (const from of SIDES) {
    const to = from === 'node' ? 'browser' : 'node';
    it(`d. ${from} → ${to} → ${from}: strings (non-ASCII, empty) and ArrayBuffers up to 64 KiB, exact and in order`, async function () {
      const s = await interop.open();
      await connectWithChannel(s, from, 'data');
      const sent = messages();
      const { there, back } = await s.echo(from, 'data', sent, 20000);
      assertSameData(there, sent, `what the ${to} received`);
      assertSameData(back, sent, `what the ${from} got back`);
    });
  }

  for (const by of SIDES) {
    it(`e. ${by} adds a second data channel once connected: it opens over the same SCTP association, no renegotiation`, async function () {
      const s = await interop.open();
      await connectWithChannel(s, 'browser');
      const needed = s.side(by).view.negotiationNeeded;
      await s.side(by).createChannel('second');
      // Even on an SCTP association that is up, the channel starts 'connecting' and 'open' fires.
      const second = await s.until(() => s.side(by).view.channels.get('second'), "'second' created");
      assert.equal(second.initialReadyState, 'connecting', 'readyState when createDataChannel() returned');
      await s.until(
        () => s.node.view.channels.get('second')?.opened && s.browser.view.channels.get('second')?.opened,
        "'second' open on both sides",
      );
      const { there, back } = await s.echo(by, 'second', ['on the second channel']);
      assert.deepEqual(there, ['on the second channel']);
      assert.deepEqual(back, ['on the second channel']);
      // WebRTC 1.0, createDataChannel(): only the first RTCDataChannel of a connection updates
      // the negotiation-needed flag. Both channels keep working.
      assert.equal(s.side(by).view.negotiationNeeded, needed, 'no negotiationneeded for a second data channel');
      assert.equal(
        s.browser.view.sentUfrags().length + s.node.view.sentUfrags().length,
        2,
        'one offer and one answer in all',
      );
      const first = await s.echo('browser', 'first', ['still there']);
      assert.deepEqual(first.back, ['still there']);
    });

    it(`e. ${by} adds a data channel to a connection that is up without one: negotiationneeded, re-offer from the ${by}`, async function () {
      const s = await interop.open();
      // The first connection carries only an audio m-line (no track, nothing is sent).
      await s.browser.addTransceiver('audio', 'recvonly');
      await s.bothConnected();
      await s.bothStable();
      assert.equal(s.browser.view.sentSdp('video-offer').length, 1);
      const needed = s.side(by).view.negotiationNeeded;
      const offersBefore = s.side(by).view.sentSdp('video-offer').length;

      await s.side(by).createChannel('later');
      await s.until(() => s.side(by).view.negotiationNeeded > needed, `negotiationneeded on the ${by}`);
      await s.until(() => s.side(by).view.sentSdp('video-offer').length > offersBefore, `a new offer from the ${by}`);
      assert.match(s.side(by).view.sentSdp('video-offer').at(-1)!, /^m=application .* webrtc-datachannel\r$/m);
      await s.until(
        () => s.node.view.channels.get('later')?.opened && s.browser.view.channels.get('later')?.opened,
        "'later' open on both sides",
      );
      await s.bothStable();
      assert.equal(s.node.view.connectionState, 'connected');
      assert.equal(s.browser.view.connectionState, 'connected');
      const { there, back } = await s.echo(by, 'later', ['after renegotiation', bytes(3000, 7)]);
      assertSameData(there, ['after renegotiation', bytes(3000, 7)], 'received');
      assertSameData(back, ['after renegotiation', bytes(3000, 7)], 'echoed');
    });
  }
});
