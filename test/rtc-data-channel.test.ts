// RTCDataChannel, RTCDataChannelEvent and RTCSctpTransport (W3C webrtc-pc §6) between two real
// loopback peers in this process. Where the spec leaves room or Chromium differs from it, the
// comment on the test says which one the assertion follows; Chromium was checked by running the
// same steps with two RTCPeerConnections in one page of /usr/bin/chromium.
//
// No test asserts how long anything takes: the timeouts below only turn "never happened" into a
// failure with a readable message.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  RTCDataChannel,
  RTCDataChannelEvent,
  RTCDtlsTransport,
  RTCError,
  RTCErrorEvent,
  RTCIceTransport,
  type RTCPeerConnection,
  RTCSctpTransport,
} from '../lib/index.js';
import {
  DEFAULT_TIMEOUT_MS,
  assertThrows,
  connectedPair,
  createPair,
  makePeer,
  negotiate,
  usePeers,
  waitForEvent,
  type Pair,
} from './helpers.js';

// ---------------------------------------------------------------------------------------------
// Small helpers of this file

type ChannelEvent = Event & { channel: RTCDataChannel };

/** The channel of a datachannel event (lib types it structurally). */
function channelOf(event: Event): RTCDataChannel {
  return (event as unknown as ChannelEvent).channel;
}

/** pc.sctp, read without TypeScript keeping an earlier narrowing. */
function sctpOf(pc: RTCPeerConnection): RTCSctpTransport | null {
  return pc.sctp;
}

/** Resolves once `channel` is open (at once if it is). */
function opened(channel: RTCDataChannel, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  if (channel.readyState === 'open') return Promise.resolve();
  return waitForEvent(channel, 'open', timeoutMs).then(() => undefined);
}

/** Resolves once `channel` is closed (at once if it is). */
function closed(channel: RTCDataChannel, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  if (channel.readyState === 'closed') return Promise.resolve();
  return waitForEvent(channel, 'close', timeoutMs).then(() => undefined);
}

/** `pc`'s next datachannel event whose channel has `label`. */
function remoteChannel(pc: RTCPeerConnection, label: string): Promise<RTCDataChannel> {
  return waitForEvent<ChannelEvent>(pc, 'datachannel', DEFAULT_TIMEOUT_MS, (e) => e.channel.label === label).then(
    (e) => e.channel,
  );
}

/** A channel `label` made on `pair.a` after the pair is connected, open on both sides. */
async function extraChannel(
  pair: Pair,
  label: string,
  init?: Parameters<RTCPeerConnection['createDataChannel']>[1],
): Promise<[RTCDataChannel, RTCDataChannel]> {
  const local = pair.a.createDataChannel(label, init);
  const remote = await remoteChannel(pair.b, label);
  await Promise.all([opened(local), opened(remote)]);
  return [local, remote];
}

/** Every message event of a channel, in order, to be taken one by one. */
class Inbox {
  readonly #events: MessageEvent[] = [];
  readonly #waiters: { count: number; resolve: (events: MessageEvent[]) => void }[] = [];
  constructor(channel: RTCDataChannel) {
    channel.addEventListener('message', (event) => {
      this.#events.push(event as MessageEvent);
      this.#wake();
    });
  }
  /** The next `count` message events. */
  take(count: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<MessageEvent[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for ${count} messages (have ${this.#events.length})`),
        );
      }, timeoutMs);
      const waiter = {
        count,
        resolve: (events: MessageEvent[]) => {
          clearTimeout(timer);
          resolve(events);
        },
      };
      this.#waiters.push(waiter);
      this.#wake();
    });
  }
  async next(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<MessageEvent> {
    return (await this.take(1, timeoutMs))[0]!;
  }
  get pending(): number {
    return this.#events.length;
  }
  #wake(): void {
    while (this.#waiters.length > 0 && this.#events.length >= this.#waiters[0]!.count) {
      const waiter = this.#waiters.shift()!;
      waiter.resolve(this.#events.splice(0, waiter.count));
    }
  }
}

/** The bytes a BufferSource or Blob holds (a view: only its window). */
function bytesOf(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function assertArrayBuffer(data: unknown, expected: Uint8Array, what: string): void {
  assert.ok(
    data instanceof ArrayBuffer,
    `${what}: expected an ArrayBuffer, got ${Object.prototype.toString.call(data)}`,
  );
  assert.equal(data.byteLength, expected.byteLength, `${what}: byte length`);
  assert.ok(
    Buffer.from(data).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength)),
    `${what}: bytes differ`,
  );
}

/** Records the listed events of `target` as "type:readyState". */
function recordEvents(
  channel: RTCDataChannel,
  types: readonly string[] = ['open', 'closing', 'error', 'close'],
): string[] {
  const log: string[] = [];
  for (const type of types) channel.addEventListener(type, () => log.push(`${type}:${channel.readyState}`));
  return log;
}

/** A message round trip on a fresh channel: everything the peers queued before it has run. */
async function roundTrip(pair: Pair, label: string): Promise<void> {
  const [local, remote] = await extraChannel(pair, label);
  const inbox = new Inbox(local);
  remote.onmessage = (e) => remote.send(e.data as string);
  local.send('ping');
  assert.equal((await inbox.next()).data, 'ping');
}

// ---------------------------------------------------------------------------------------------

describe('RTCDataChannel', function () {
  this.timeout(20000);
  usePeers();

  describe('createDataChannel()', () => {
    it('gives a channel with the spec defaults', () => {
      const pc = makePeer();
      const channel = pc.createDataChannel('defaults');
      assert.ok(channel instanceof RTCDataChannel);
      assert.ok(channel instanceof EventTarget);
      assert.equal(channel.label, 'defaults');
      assert.equal(channel.ordered, true);
      assert.equal(channel.maxPacketLifeTime, null);
      assert.equal(channel.maxRetransmits, null);
      assert.equal(channel.protocol, '');
      assert.equal(channel.negotiated, false);
      assert.equal(channel.id, null, 'no id before the DTLS role is known');
      assert.equal(channel.priority, 'low');
      assert.equal(channel.readyState, 'connecting');
      assert.equal(channel.bufferedAmount, 0);
      assert.equal(channel.bufferedAmountLowThreshold, 0);
      // The current spec and Chromium: 'arraybuffer' (the spec once said 'blob').
      assert.equal(channel.binaryType, 'arraybuffer');
    });

    it('reflects every RTCDataChannelInit member', () => {
      const pc = makePeer();
      const a = pc.createDataChannel('a', {
        ordered: false,
        maxPacketLifeTime: 1500,
        protocol: 'proto-1',
        priority: 'high',
      });
      assert.equal(a.ordered, false);
      assert.equal(a.maxPacketLifeTime, 1500);
      assert.equal(a.maxRetransmits, null);
      assert.equal(a.protocol, 'proto-1');
      assert.equal(a.priority, 'high');
      assert.equal(a.negotiated, false);
      assert.equal(a.id, null, 'a non-negotiated id is ignored until the role is known');

      const b = pc.createDataChannel('b', { maxRetransmits: 0, priority: 'very-low' });
      assert.equal(b.maxRetransmits, 0, 'maxRetransmits 0 is a value, not absent');
      assert.equal(b.maxPacketLifeTime, null);
      assert.equal(b.ordered, true);
      assert.equal(b.priority, 'very-low');

      const c = pc.createDataChannel('c', { negotiated: true, id: 42, priority: 'medium' });
      assert.equal(c.negotiated, true);
      assert.equal(c.id, 42);
      assert.equal(c.priority, 'medium');

      // 65535 is above the largest id the spec allows (65534): a TypeError.
      assertThrows(() => pc.createDataChannel('e', { negotiated: true, id: 65535 }), 'TypeError', 'id 65535');
    });

    it('accepts negotiated ids up to the last one libwebrtc has, and they carry messages', async () => {
      // Chromium accepts up to 65534; this libwebrtc (libtgowt, ~M108) has stream ids below
      // cricket::kMaxSctpStreams = 1024 only, and sctp.maxChannels says so (test below).
      const pair = createPair();
      const ids = [2, 512, 1023];
      const left = ids.map((id) => pair.a.createDataChannel(`n${id}`, { negotiated: true, id }));
      const right = ids.map((id) => pair.b.createDataChannel(`n${id}`, { negotiated: true, id }));
      assert.deepEqual(
        left.map((c) => c.id),
        ids,
      );
      await negotiate(pair.a, pair.b);
      await Promise.all([...left, ...right].map((c) => opened(c)));
      const inboxes = right.map((c) => new Inbox(c));
      left.forEach((c) => c.send(`on ${c.id}`));
      for (const [i, inbox] of inboxes.entries()) assert.equal((await inbox.next()).data, `on ${ids[i]}`);
    });

    it('throws TypeError when both maxPacketLifeTime and maxRetransmits are given', () => {
      const pc = makePeer();
      assertThrows(() => pc.createDataChannel('x', { maxPacketLifeTime: 1, maxRetransmits: 1 }), 'TypeError');
      assertThrows(() => pc.createDataChannel('x', { maxPacketLifeTime: 0, maxRetransmits: 0 }), 'TypeError', 'zeros');
    });

    it('throws TypeError for negotiated without an id', () => {
      const pc = makePeer();
      assertThrows(() => pc.createDataChannel('x', { negotiated: true }), 'TypeError');
    });

    it('throws TypeError for a label or protocol over 65535 UTF-8 bytes', () => {
      const pc = makePeer();
      // 'é' is 2 bytes in UTF-8 but one UTF-16 unit: 32768 of them are 65536 bytes.
      const tooLong = 'é'.repeat(32768);
      const longest = 'é'.repeat(32767) + 'a';
      assert.equal(Buffer.byteLength(tooLong), 65536);
      assert.equal(Buffer.byteLength(longest), 65535);
      assertThrows(() => pc.createDataChannel(tooLong), 'TypeError', 'label');
      assertThrows(() => pc.createDataChannel('x', { protocol: tooLong }), 'TypeError', 'protocol');
      assert.equal(pc.createDataChannel(longest).label, longest, 'a 65535-byte label is allowed');
      assert.equal(
        pc.createDataChannel('x', { protocol: longest }).protocol,
        longest,
        'a 65535-byte protocol is allowed',
      );
    });

    it('throws InvalidStateError once the connection is closed', () => {
      const pc = makePeer();
      pc.close();
      assertThrows(() => pc.createDataChannel('late'), 'InvalidStateError');
    });

    it('throws OperationError for a negotiated id already in use', async () => {
      const pair = await connectedPair();
      const pc = makePeer();
      pc.createDataChannel('n1', { negotiated: true, id: 7 });
      assertThrows(
        () => pc.createDataChannel('n2', { negotiated: true, id: 7 }),
        'OperationError',
        'before negotiation',
      );

      // After negotiation: the id the open channel got.
      const id = pair.channelA.id;
      assert.ok(id !== null);
      assertThrows(
        () => pair.a.createDataChannel('dup', { negotiated: true, id }),
        'OperationError',
        'after negotiation',
      );
    });

    it('assigns ids up to maxChannels, then throws OperationError when none is left', async () => {
      // Chromium: with maxChannels 65535 the offerer (odd ids) creates 32767 channels (ids 1 to
      // 65533), then OperationError. Here: as many as maxChannels promises.
      const pair = await connectedPair();
      const maxChannels = pair.a.sctp?.maxChannels;
      assert.equal(typeof maxChannels, 'number');
      const parity = pair.channelA.id! % 2;
      const expected = Math.floor((maxChannels! - 1 - parity) / 2) + 1 - 1; // ids of our parity below 65535, minus 'test'
      const seen = new Set<number>([pair.channelA.id!]);
      let made = 0;
      let error: unknown = null;
      for (; made <= expected; made++) {
        try {
          const channel = pair.a.createDataChannel(`c${made}`);
          const id = channel.id;
          assert.ok(id !== null && Number.isInteger(id) && id % 2 === parity, `id ${id} has our parity`);
          assert.ok(!seen.has(id), `id ${id} is new`);
          seen.add(id);
        } catch (e) {
          error = e;
          break;
        }
      }
      assert.ok(error !== null, `still no error after ${made} channels`);
      assert.ok(maxChannels! <= 1024, `maxChannels ${maxChannels} is what libwebrtc can use`);
      assert.equal((error as Error).name, 'OperationError', `${(error as Error).name}: ${(error as Error).message}`);
      assert.ok(
        made >= expected - 1,
        `ids ran out after ${made} more channels (highest id ${Math.max(...seen)}), but sctp.maxChannels is ${maxChannels}`,
      );
    });

    it("fires 'negotiationneeded' for the first channel only, not once SCTP is negotiated", async () => {
      const pair = createPair();
      let count = 0;
      pair.a.addEventListener('negotiationneeded', () => count++);
      const first = pair.a.createDataChannel('first');
      await waitForEvent(pair.a, 'negotiationneeded');
      assert.equal(count, 1);
      const remoteFirst = remoteChannel(pair.b, 'first');
      await negotiate(pair.a, pair.b);
      await Promise.all([opened(first), remoteFirst.then(opened)]);

      // The second channel: DCEP on the existing association, no new negotiation. Its open (and
      // the datachannel event on b) come after anything libwebrtc queued when it was created.
      const second = pair.a.createDataChannel('second');
      const remoteSecond = await remoteChannel(pair.b, 'second');
      await Promise.all([opened(second), opened(remoteSecond)]);
      await pair.a.createOffer(); // one more trip through a's operations chain and event queue
      assert.equal(count, 1, "'negotiationneeded' fired again for the second channel");
    });
  });

  describe("'datachannel' event", () => {
    it('announces the remote channel with the creator’s settings (via SDP and DCEP)', async () => {
      const pair = createPair();
      const specs = [
        { label: 'unordered-rexmit 标签😀', init: { ordered: false, maxRetransmits: 0, protocol: 'chat/1' } },
        { label: 'lifetime', init: { ordered: false, maxPacketLifeTime: 250, protocol: 'прото' } },
        { label: 'reliable', init: {} },
      ] as const;
      const events: ChannelEvent[] = [];
      pair.b.ondatachannel = (e) => events.push(e as unknown as ChannelEvent);
      const locals = specs.map((s) => pair.a.createDataChannel(s.label, s.init));
      await negotiate(pair.a, pair.b);
      await Promise.all(locals.map((c) => opened(c)));
      while (events.length < specs.length) await waitForEvent(pair.b, 'datachannel');

      for (const [i, spec] of specs.entries()) {
        const local = locals[i]!;
        const event = events.find((e) => e.channel.label === spec.label);
        assert.ok(event, `a datachannel event for '${spec.label}'`);
        assert.ok(event instanceof RTCDataChannelEvent);
        assert.equal(event.type, 'datachannel');
        assert.equal(event.bubbles, false);
        assert.equal(event.cancelable, false);
        const remote = event.channel;
        assert.ok(remote instanceof RTCDataChannel);
        assert.equal(remote.label, spec.label);
        assert.equal(remote.ordered, local.ordered, `${spec.label}: ordered`);
        assert.equal(remote.maxRetransmits, local.maxRetransmits, `${spec.label}: maxRetransmits`);
        assert.equal(remote.maxPacketLifeTime, local.maxPacketLifeTime, `${spec.label}: maxPacketLifeTime`);
        assert.equal(remote.protocol, local.protocol, `${spec.label}: protocol`);
        assert.equal(remote.negotiated, false);
        assert.ok(typeof local.id === 'number' && Number.isInteger(local.id), `${spec.label}: id assigned locally`);
        assert.equal(remote.id, local.id, `${spec.label}: same id on both ends`);
      }
      assert.equal(locals[0]!.maxRetransmits, 0);
      assert.equal(locals[1]!.maxPacketLifeTime, 250);

      // RFC 8832: the DTLS client uses even ids, the server odd ones.
      const bIsClient = /^a=setup:active/m.test(pair.b.localDescription!.sdp);
      for (const local of locals) assert.equal(local.id! % 2, bIsClient ? 1 : 0, `id ${local.id} parity`);
    });

    it("gives a channel that is already 'open', and then fires 'open' on it (spec §6.2.3, Chromium)", async () => {
      const pair = createPair();
      const local = pair.a.createDataChannel('early');
      const localInbox = new Inbox(local);
      const seen: string[] = [];
      let remote: RTCDataChannel | null = null;
      const gotOpen = new Promise<void>((resolve) => {
        pair.b.ondatachannel = (e) => {
          remote = channelOf(e);
          seen.push(`datachannel:${remote!.readyState}`);
          remote!.onopen = () => {
            seen.push(`open:${remote!.readyState}`);
            resolve();
          };
          // Sending is allowed inside the handler, before 'open'.
          remote!.send('from the handler');
        };
      });
      await negotiate(pair.a, pair.b);
      const message = await localInbox.next();
      assert.equal(message.data, 'from the handler');
      await Promise.race([
        gotOpen,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`no 'open' on the remote channel; saw ${seen}`)), 5000),
        ),
      ]);
      assert.deepEqual(seen, ['datachannel:open', 'open:open']);
    });

    it('uses one JS object per channel: the created one, event.channel, and every event target', async () => {
      const pair = createPair();
      const local = pair.a.createDataChannel('same');
      const localTargets: EventTarget[] = [];
      for (const type of ['open', 'message', 'close'])
        local.addEventListener(type, (e) => localTargets.push(e.target!, e.currentTarget!));
      const eventP = waitForEvent<ChannelEvent>(pair.b, 'datachannel');
      await negotiate(pair.a, pair.b);
      const event = await eventP;
      const remote = event.channel;
      assert.equal(event.target, pair.b);
      const remoteTargets: EventTarget[] = [];
      for (const type of ['message', 'closing', 'close'])
        remote.addEventListener(type, (e) => remoteTargets.push(e.target!, e.currentTarget!));
      await opened(local);
      await opened(remote);
      const inboxA = new Inbox(local);
      const inboxB = new Inbox(remote);
      local.send('to b');
      const mB = await inboxB.next();
      assert.equal(mB.target, remote);
      remote.send('to a');
      const mA = await inboxA.next();
      assert.equal(mA.target, local);
      local.close();
      await Promise.all([closed(local), closed(remote)]);
      assert.ok(localTargets.length >= 6, `local events seen: ${localTargets.length / 2}`);
      assert.ok(
        localTargets.every((t) => t === local),
        'every local event targets the created channel',
      );
      assert.ok(remoteTargets.length >= 4, `remote events seen: ${remoteTargets.length / 2}`);
      assert.ok(
        remoteTargets.every((t) => t === remote),
        'every remote event targets event.channel',
      );
    });
  });

  describe('messages', () => {
    it('delivers strings: ASCII, non-ASCII (accents, emoji, CJK, astral), empty', async () => {
      const { channelA, channelB } = await connectedPair();
      const inbox = new Inbox(channelB);
      const strings = ['hello', 'héllo wörld', '😀👍🏽 family: 👨‍👩‍👧', '漢字かなカナ한국어', '\u{10FFFF}\u0000x', ''];
      for (const s of strings) channelA.send(s);
      const got = await inbox.take(strings.length);
      assert.deepEqual(
        got.map((e) => e.data),
        strings,
      );
      for (const e of got) assert.equal(typeof e.data, 'string');
    });

    it('delivers an ArrayBuffer byte-exact as an ArrayBuffer', async () => {
      const { channelA, channelB } = await connectedPair();
      const inbox = new Inbox(channelB);
      const bytes = new Uint8Array(randomBytes(65536));
      channelA.send(bytes.buffer.slice(0));
      const empty = new ArrayBuffer(0);
      channelA.send(empty);
      const [m1, m2] = await inbox.take(2);
      assertArrayBuffer(m1!.data, bytes, '64 KiB');
      assertArrayBuffer(m2!.data, new Uint8Array(0), 'empty ArrayBuffer');
    });

    it('delivers every TypedArray kind and a DataView as their bytes', async () => {
      const { channelA, channelB } = await connectedPair();
      const inbox = new Inbox(channelB);
      const views: ArrayBufferView[] = [
        new Int8Array([-128, -1, 0, 1, 127]),
        new Uint8Array([0, 1, 254, 255]),
        new Uint8ClampedArray([0, 128, 255]),
        new Int16Array([-32768, -1, 0, 32767]),
        new Uint16Array([0, 1, 65535]),
        new Int32Array([-2147483648, -1, 2147483647]),
        new Uint32Array([0, 0xdeadbeef, 0xffffffff]),
        new Float32Array([Math.PI, -0, Infinity, NaN]),
        new Float64Array([Math.E, Number.MIN_VALUE, -Infinity]),
        new BigInt64Array([-(2n ** 63n), -1n, 2n ** 63n - 1n]),
        new BigUint64Array([0n, 2n ** 64n - 1n]),
        new DataView(new Uint8Array([9, 8, 7, 6, 5]).buffer),
      ];
      const Float16 = (globalThis as { Float16Array?: new (values: number[]) => ArrayBufferView }).Float16Array;
      if (Float16) views.push(new Float16([1.5, -2, 65504]));
      for (const view of views) channelA.send(view);
      const got = await inbox.take(views.length);
      views.forEach((view, i) => assertArrayBuffer(got[i]!.data, bytesOf(view), view.constructor.name));
    });

    it('refuses a SharedArrayBuffer, or a view on one, with TypeError (not [AllowShared]); the channel stays open', async () => {
      const { channelA, channelB } = await connectedPair();
      const inbox = new Inbox(channelB);
      const shared = new SharedArrayBuffer(8);
      assert.throws(() => channelA.send(shared as unknown as ArrayBuffer), TypeError);
      assert.throws(() => channelA.send(new Uint8Array(shared)), TypeError);
      assert.throws(() => channelA.send(new DataView(shared)), TypeError);
      assert.equal(channelA.readyState, 'open');
      assert.equal(channelA.bufferedAmount, 0, 'nothing was queued');
      channelA.send('after');
      const [m] = await inbox.take(1);
      assert.equal(m!.data, 'after');
    });

    it("sends only a view's window of a bigger buffer", async () => {
      const { channelA, channelB } = await connectedPair();
      const inbox = new Inbox(channelB);
      const whole = new Uint8Array(100).map((_, i) => i);
      const middle = new Uint8Array(whole.buffer, 10, 20);
      const words = new Uint16Array(whole.buffer, 40, 5); // bytes 40..49
      const view = new DataView(whole.buffer, 60, 7);
      channelA.send(middle);
      channelA.send(words);
      channelA.send(view);
      const [m1, m2, m3] = await inbox.take(3);
      assertArrayBuffer(m1!.data, whole.subarray(10, 30), 'Uint8Array window');
      assertArrayBuffer(m2!.data, whole.subarray(40, 50), 'Uint16Array window');
      assertArrayBuffer(m3!.data, whole.subarray(60, 67), 'DataView window');
    });

    it('sends a Blob, and keeps a Blob followed by a string in order', async () => {
      const { channelA, channelB } = await connectedPair();
      const inbox = new Inbox(channelB);
      const bytes = new Uint8Array(randomBytes(3000));
      const blob = new Blob([bytes.subarray(0, 1000), bytes.subarray(1000)]);
      channelA.send(blob);
      assert.ok(channelA.bufferedAmount >= 3000, `bufferedAmount ${channelA.bufferedAmount} counts the Blob at once`);
      channelA.send('after the blob');
      channelA.send(new Blob(['text in a blob ✓']));
      channelA.send(new Uint8Array([1, 2, 3]));
      const [m1, m2, m3, m4] = await inbox.take(4);
      assertArrayBuffer(m1!.data, bytes, 'Blob');
      assert.equal(m2!.data, 'after the blob');
      assertArrayBuffer(m3!.data, new TextEncoder().encode('text in a blob ✓'), 'text Blob (binary on the wire)');
      assertArrayBuffer(m4!.data, new Uint8Array([1, 2, 3]), 'bytes after a Blob');
    });

    it("binaryType 'blob' delivers Blobs, 'arraybuffer' ArrayBuffers; other values are ignored", async () => {
      const { channelA, channelB } = await connectedPair();
      const inbox = new Inbox(channelB);
      channelB.binaryType = 'blob';
      assert.equal(channelB.binaryType, 'blob');
      // An invalid enum value on an attribute setter is ignored (WebIDL; Chromium warns).
      (channelB as { binaryType: string }).binaryType = 'bogus';
      assert.equal(channelB.binaryType, 'blob');
      channelA.send(new Uint8Array([1, 2, 3, 4]));
      channelA.send('still a string');
      const [blobMessage, textMessage] = await inbox.take(2);
      const blob = blobMessage!.data as Blob;
      assert.ok(blob instanceof Blob, `expected a Blob, got ${Object.prototype.toString.call(blob)}`);
      assert.equal(blob.size, 4);
      assert.deepEqual([...new Uint8Array(await blob.arrayBuffer())], [1, 2, 3, 4]);
      assert.equal(textMessage!.data, 'still a string');

      channelB.binaryType = 'arraybuffer';
      channelA.send(new Uint8Array([5, 6]));
      assertArrayBuffer((await inbox.next()).data, new Uint8Array([5, 6]), "back to 'arraybuffer'");
    });

    it('sends a 256 KiB message when maxMessageSize allows, and throws TypeError above maxMessageSize', async () => {
      const { a, channelA, channelB } = await connectedPair();
      const inbox = new Inbox(channelB);
      const max = a.sctp!.maxMessageSize;
      assert.equal(typeof max, 'number');
      assert.ok(max > 0);
      const size = Math.min(256 * 1024, max);
      const bytes = new Uint8Array(randomBytes(size));
      channelA.send(bytes);
      assertArrayBuffer((await inbox.next()).data, bytes, `${size}-byte message`);
      if (max !== Infinity) {
        assertThrows(() => channelA.send(new Uint8Array(max + 1)), 'TypeError', 'binary over maxMessageSize');
        assertThrows(() => channelA.send('x'.repeat(max + 1)), 'TypeError', 'string over maxMessageSize');
        // The check counts UTF-8 bytes: half as many 2-byte characters are just over.
        assertThrows(
          () => channelA.send('é'.repeat(Math.floor(max / 2) + 1)),
          'TypeError',
          'UTF-8 string over maxMessageSize',
        );
        assert.equal(channelA.readyState, 'open', 'a refused send leaves the channel open');
      }
    });

    it('keeps 1000 messages in order, strings and binary interleaved', async () => {
      const { channelA, channelB } = await connectedPair();
      const inbox = new Inbox(channelB);
      for (let i = 0; i < 1000; i++) {
        if (i % 3 === 0) channelA.send(new Uint32Array([i]));
        else channelA.send(`message ${i}`);
      }
      const got = await inbox.take(1000);
      got.forEach((event, i) => {
        if (i % 3 === 0) {
          assert.ok(event.data instanceof ArrayBuffer, `message ${i} is binary`);
          assert.equal(new Uint32Array(event.data)[0], i, `message ${i} in order`);
        } else {
          assert.equal(event.data, `message ${i}`);
        }
      });
    });

    it('dispatches a MessageEvent: data, origin, lastEventId, source, ports', async () => {
      const { channelA, channelB } = await connectedPair();
      const viaHandler = new Promise<MessageEvent>((resolve) => {
        channelB.onmessage = resolve;
      });
      channelA.send('shape');
      const event = await viaHandler;
      assert.ok(event instanceof MessageEvent, 'a MessageEvent (Node’s global)');
      assert.equal(event.type, 'message');
      assert.equal(event.data, 'shape');
      assert.equal(event.origin, '');
      assert.equal(event.lastEventId, '');
      assert.equal(event.source, null);
      assert.equal(event.ports.length, 0);
      assert.equal(event.bubbles, false);
      assert.equal(event.cancelable, false);
      assert.equal(event.target, channelB);
    });
  });

  describe('send()', () => {
    it("throws InvalidStateError while 'connecting'", () => {
      const pc = makePeer();
      const channel = pc.createDataChannel('early');
      assertThrows(() => channel.send('x'), 'InvalidStateError', 'string');
      assertThrows(() => channel.send(new Uint8Array(1)), 'InvalidStateError', 'bytes');
      assertThrows(() => channel.send(new Blob(['x'])), 'InvalidStateError', 'Blob');
      assert.equal(channel.bufferedAmount, 0);
    });

    it("throws InvalidStateError when 'closing' and 'closed', TypeError without an argument", async () => {
      const { channelA } = await connectedPair();
      assertThrows(() => (channelA.send as () => void)(), 'TypeError', 'no argument');
      channelA.close();
      assert.equal(channelA.readyState, 'closing');
      assertThrows(() => channelA.send('x'), 'InvalidStateError', 'closing');
      await closed(channelA);
      assertThrows(() => channelA.send('x'), 'InvalidStateError', 'closed');
      assertThrows(() => channelA.send(new ArrayBuffer(4)), 'InvalidStateError', 'closed, bytes');
    });
  });

  describe('bufferedAmount', () => {
    it('grows at send() and returns to 0 once sent', async () => {
      const { channelA, channelB } = await connectedPair();
      const inbox = new Inbox(channelB);
      assert.equal(channelA.bufferedAmount, 0);
      const low = waitForEvent(channelA, 'bufferedamountlow');
      channelA.send(new Uint8Array(100000));
      assert.ok(channelA.bufferedAmount >= 100000, `bufferedAmount right after send(): ${channelA.bufferedAmount}`);
      channelA.send('é'.repeat(500)); // 1000 UTF-8 bytes
      assert.ok(channelA.bufferedAmount >= 100000 + 1000, `after a string: ${channelA.bufferedAmount}`);
      await low; // threshold 0: fires when it drops to 0
      assert.equal(channelA.bufferedAmount, 0);
      await inbox.take(2);
      assert.equal(channelA.bufferedAmount, 0);
    });

    it("fires 'bufferedamountlow' when it falls to the threshold", async () => {
      const { channelA, channelB } = await connectedPair();
      const inbox = new Inbox(channelB);
      channelA.bufferedAmountLowThreshold = 65536;
      assert.equal(channelA.bufferedAmountLowThreshold, 65536);
      let fired = 0;
      let atEvent = -1;
      channelA.onbufferedamountlow = () => {
        fired++;
        if (atEvent < 0) atEvent = channelA.bufferedAmount;
      };
      const first = waitForEvent(channelA, 'bufferedamountlow');
      const chunk = new Uint8Array(65536);
      for (let i = 0; i < 16; i++) channelA.send(chunk);
      assert.ok(channelA.bufferedAmount >= 16 * 65536 - 65536, `buffered ${channelA.bufferedAmount}`);
      await first;
      assert.ok(fired >= 1);
      assert.ok(atEvent <= 65536, `bufferedAmount at the event: ${atEvent}`);
      // Down to 0: a lower threshold, and another event if anything is still queued.
      channelA.bufferedAmountLowThreshold = 0;
      if (channelA.bufferedAmount > 0) await waitForEvent(channelA, 'bufferedamountlow');
      assert.equal(channelA.bufferedAmount, 0);
      await inbox.take(16);
    });

    it('bufferedAmountLowThreshold converts like a WebIDL unsigned long (no [EnforceRange])', () => {
      // Chromium: -1 → 4294967295, 2^32 + 5 → 5.
      const channel = makePeer().createDataChannel('x');
      channel.bufferedAmountLowThreshold = -1;
      assert.equal(channel.bufferedAmountLowThreshold, 4294967295);
      channel.bufferedAmountLowThreshold = 2 ** 32 + 5;
      assert.equal(channel.bufferedAmountLowThreshold, 5);
    });
  });

  describe('negotiated channels', () => {
    it('pair up by id on both sides, carry messages both ways, and fire no datachannel event', async () => {
      const pair = createPair();
      const announced: string[] = [];
      pair.a.ondatachannel = (e) => announced.push(`a:${channelOf(e).label}`);
      pair.b.ondatachannel = (e) => announced.push(`b:${channelOf(e).label}`);
      const onA = pair.a.createDataChannel('left', { negotiated: true, id: 5 });
      const onB = pair.b.createDataChannel('right', { negotiated: true, id: 5 });
      const other = pair.a.createDataChannel('n9', { negotiated: true, id: 9, ordered: false });
      const otherB = pair.b.createDataChannel('n9', { negotiated: true, id: 9, ordered: false });
      for (const c of [onA, onB]) {
        assert.equal(c.negotiated, true);
        assert.equal(c.id, 5);
      }
      await negotiate(pair.a, pair.b);
      await Promise.all([opened(onA), opened(onB), opened(other), opened(otherB)]);
      const inboxA = new Inbox(onA);
      const inboxB = new Inbox(onB);
      onA.send('a→b');
      onB.send('b→a');
      onB.send(new Uint8Array([7, 7]));
      assert.equal((await inboxB.next()).data, 'a→b');
      assert.equal((await inboxA.next()).data, 'b→a');
      assertArrayBuffer((await inboxA.next()).data, new Uint8Array([7, 7]), 'binary b→a');
      const inbox9 = new Inbox(otherB);
      other.send('on 9');
      assert.equal((await inbox9.next()).data, 'on 9');
      assert.equal(inboxA.pending + inboxB.pending, 0, 'nothing crossed over between channels');

      // An in-band channel each way: its datachannel event comes after anything queued before.
      await roundTrip(pair, 'in-band-a');
      const fromB = pair.b.createDataChannel('in-band-b');
      const atA = await remoteChannel(pair.a, 'in-band-b');
      await Promise.all([opened(fromB), opened(atA)]);
      assert.deepEqual(announced.sort(), ['a:in-band-b', 'b:in-band-a']);
      assert.equal(onA.id, 5);
      assert.equal(onB.id, 5);
    });
  });

  describe('closing', () => {
    it("close(): 'closing' at once, then 'close' on both ends; 'closing' fires on the remote end only", async () => {
      const pair = await connectedPair();
      const { channelA, channelB } = pair;
      const logA = recordEvents(channelA);
      const logB = recordEvents(channelB);
      channelA.close();
      assert.equal(channelA.readyState, 'closing');
      await Promise.all([closed(channelA), closed(channelB)]);
      assert.equal(channelA.readyState, 'closed');
      assert.equal(channelB.readyState, 'closed');
      // WPT RTCDataChannel-close.html and Chromium: no 'closing' where close() was called, no
      // 'error' on either end.
      assert.deepEqual(logA, ['close:closed']);
      assert.deepEqual(logB, ['closing:closing', 'close:closed']);

      // close() again, on both ends: no exception, no second event.
      channelA.close();
      channelA.close();
      channelB.close();
      assert.equal(channelA.readyState, 'closed');
      await roundTrip(pair, 'after');
      assert.deepEqual(logA, ['close:closed']);
      assert.deepEqual(logB, ['closing:closing', 'close:closed']);
    });

    it("close() twice while 'closing' fires one 'close'", async () => {
      const pair = await connectedPair();
      let closes = 0;
      pair.channelA.onclose = () => closes++;
      pair.channelA.close();
      pair.channelA.close();
      assert.equal(pair.channelA.readyState, 'closing');
      await closed(pair.channelA);
      pair.channelA.close();
      await roundTrip(pair, 'after');
      assert.equal(closes, 1);
    });

    it("a remote close(): 'closing' then 'close' here", async () => {
      const pair = await connectedPair();
      const logA = recordEvents(pair.channelA);
      const inboxA = new Inbox(pair.channelA);
      pair.channelB.send('last words');
      pair.channelB.close();
      await closed(pair.channelA);
      assert.deepEqual(logA, ['closing:closing', 'close:closed']);
      assert.equal((await inboxA.next()).data, 'last words', 'a message sent before close() arrives');
      assertThrows(() => pair.channelA.send('x'), 'InvalidStateError');
    });

    it("pc.close() sets every channel's readyState to 'closed' synchronously", () => {
      // webrtc-pc "close the connection" and WPT RTCPeerConnection-close.html. (Chromium
      // deviates: it still says 'open' until a task later.)
      const pc = makePeer();
      const channels = [
        pc.createDataChannel('plain'),
        pc.createDataChannel('negotiated', { negotiated: true, id: 3 }),
        pc.createDataChannel('unordered', { ordered: false }),
      ];
      pc.close();
      for (const c of channels) assert.equal(c.readyState, 'closed', c.label);
    });

    it("pc.close() on connected peers: 'closed' at once, then 'close' and no 'error' on its channels (Chromium)", async () => {
      // The spec says "closed abruptly", without events; Chromium fires 'closing' and 'close'
      // on the open channels of the closed connection, and 'close' on a connecting one. Code
      // written for browsers cleans up in onclose, so this follows Chromium for the events.
      const pair = await connectedPair();
      const [second] = await extraChannel(pair, 'second');
      const negotiatedA = pair.a.createDataChannel('neg', { negotiated: true, id: 100 });
      const negotiatedB = pair.b.createDataChannel('neg', { negotiated: true, id: 100 });
      await Promise.all([opened(negotiatedA), opened(negotiatedB)]);
      const local = [pair.channelA, second, negotiatedA];
      const logs = local.map((c) => recordEvents(c));
      const closes = local.map((c) => waitForEvent(c, 'close', 3000));
      pair.a.close();
      for (const c of local) assert.equal(c.readyState, 'closed', `${c.label} right after pc.close()`);
      await Promise.all(closes);
      logs.forEach((log, i) => {
        assert.ok(!log.some((e) => e.startsWith('error')), `${local[i]!.label}: no error event: ${log}`);
        assert.equal(log.filter((e) => e.startsWith('close:')).length, 1, `${local[i]!.label}: one close: ${log}`);
        assert.equal(log[log.length - 1], 'close:closed', `${local[i]!.label}: close is last: ${log}`);
      });
    });

    it("pc.close() before negotiation: a 'connecting' channel becomes 'closed' and fires 'close' (Chromium)", async () => {
      const pc = makePeer();
      const channel = pc.createDataChannel('never-opened');
      const log = recordEvents(channel);
      const close = waitForEvent(channel, 'close', 3000);
      pc.close();
      assert.equal(channel.readyState, 'closed');
      await close;
      assert.deepEqual(log, ['close:closed']);
    });

    it('a channel of a closed connection throws InvalidStateError on send() and never crashes', async () => {
      const pair = await connectedPair();
      const { channelA } = pair;
      channelA.send(new Uint8Array(1000));
      pair.a.close();
      assert.equal(channelA.readyState, 'closed');
      assertThrows(() => channelA.send('x'), 'InvalidStateError', 'string');
      assertThrows(() => channelA.send(new Uint8Array(10)), 'InvalidStateError', 'bytes');
      assertThrows(() => channelA.send(new Blob(['x'])), 'InvalidStateError', 'Blob');
      assert.equal(typeof channelA.bufferedAmount, 'number');
      channelA.close();
      channelA.close();
      channelA.binaryType = 'blob';
      channelA.bufferedAmountLowThreshold = 10;
      assert.equal(channelA.bufferedAmountLowThreshold, 10);
      assert.equal(channelA.label, 'test');
      assert.equal(typeof channelA.id, 'number');
      assertThrows(() => pair.a.createDataChannel('late'), 'InvalidStateError');
      // The peer notices; its channel closes too.
      await closed(pair.channelB);
      assertThrows(() => pair.channelB.send('x'), 'InvalidStateError', 'remote end');
      pair.b.close();
      pair.channelB.close();
      assert.equal(pair.channelB.readyState, 'closed');
    });
  });

  describe("'error' event", () => {
    it("the remote connection's close(): RTCErrorEvent (OperationError, sctp-failure), then 'close'", async () => {
      // WPT RTCDataChannel-close.html "Close peerconnection causes close event and error to be
      // called on datachannel": events ['error', 'close'], error an RTCError named OperationError.
      // Chromium: errorDetail 'sctp-failure', sctpCauseCode 12 (User-Initiated Abort), and
      // sometimes a 'closing' first.
      const pair = await connectedPair();
      const { channelB } = pair;
      const log: string[] = [];
      let errorEvent: Event | null = null;
      channelB.addEventListener('error', (e) => {
        log.push('error');
        errorEvent = e;
      });
      channelB.addEventListener('close', () => log.push('close'));
      const done = closed(channelB);
      pair.a.close();
      await done;
      assert.deepEqual(log, ['error', 'close']);
      assert.ok(errorEvent !== null);
      const event = errorEvent as RTCErrorEvent;
      assert.ok(event instanceof RTCErrorEvent, 'an RTCErrorEvent');
      assert.equal(event.type, 'error');
      const error = event.error;
      assert.ok(error instanceof RTCError, 'error is an RTCError');
      assert.ok(error instanceof DOMException);
      assert.equal(error.name, 'OperationError');
      assert.equal(error.errorDetail, 'sctp-failure');
      assert.equal(error.sctpCauseCode, 12, 'User-Initiated Abort');
    });
  });

  describe('pc.sctp', () => {
    it("is null before negotiation, then an RTCSctpTransport going 'connecting' → 'connected'", async () => {
      const pair = createPair();
      assert.equal(sctpOf(pair.a), null);
      const channel = pair.a.createDataChannel('x');
      assert.equal(sctpOf(pair.a), null, 'creating a channel does not make the transport');
      assert.equal(sctpOf(pair.b), null);

      const offer = await pair.a.createOffer();
      await pair.a.setLocalDescription(offer);
      await pair.b.setRemoteDescription(offer);
      const answer = await pair.b.createAnswer();
      await pair.b.setLocalDescription(answer);
      // b has applied both descriptions; a has not seen the answer, so no association yet.
      const sctp = sctpOf(pair.b);
      assert.ok(sctp instanceof RTCSctpTransport, 'b.sctp after the answer');
      assert.equal(sctpOf(pair.b), sctp, 'the same object each time');
      assert.equal(sctp.state, 'connecting');
      assert.equal(sctp.maxChannels, null, "maxChannels is null while 'connecting'");
      const states: string[] = [];
      sctp.onstatechange = () => states.push(sctp.state);
      const dtls = sctp.transport;
      assert.ok(dtls instanceof RTCDtlsTransport);
      assert.equal(sctp.transport, dtls);
      assert.ok(['new', 'connecting'].includes(dtls.state), `dtls ${dtls.state}`);
      const dtlsStates: string[] = [];
      dtls.onstatechange = () => dtlsStates.push(dtls.state);
      assert.ok(dtls.iceTransport instanceof RTCIceTransport);
      assert.equal(dtls.iceTransport, sctp.transport.iceTransport);

      const connectedEvent = waitForEvent(sctp, 'statechange', DEFAULT_TIMEOUT_MS, () => sctp.state === 'connected');
      await pair.a.setRemoteDescription(answer);
      await connectedEvent;
      await opened(channel);
      assert.deepEqual(states, ['connected']);
      assert.equal(dtls.state, 'connected');
      assert.equal(dtlsStates[dtlsStates.length - 1], 'connected', `dtls statechange events: ${dtlsStates}`);
      assert.ok(['connected', 'completed'].includes(dtls.iceTransport.state), `ice ${dtls.iceTransport.state}`);
      assert.equal(typeof sctp.maxMessageSize, 'number');
      assert.ok(sctp.maxMessageSize > 0);
      assert.equal(typeof sctp.maxChannels, 'number');
      assert.ok(Number.isInteger(sctp.maxChannels) && sctp.maxChannels! > 0);

      const sctpA = sctpOf(pair.a);
      assert.ok(sctpA instanceof RTCSctpTransport);
      assert.equal(sctpA.state, 'connected');
      assert.equal(sctpA.transport.state, 'connected');
      assert.equal(typeof sctpA.maxChannels, 'number');
    });

    it("is 'closed', with its DTLS and ICE transports, after pc.close()", async () => {
      const pair = await connectedPair();
      const sctp = pair.a.sctp!;
      assert.equal(sctp.state, 'connected');
      pair.a.close();
      assert.equal(sctpOf(pair.a), sctp, 'pc.sctp stays the same object');
      assert.equal(sctp.state, 'closed');
      assert.equal(sctp.transport.state, 'closed', 'RTCDtlsTransport.state');
      assert.equal(sctp.transport.iceTransport.state, 'closed', 'RTCIceTransport.state');
    });
  });

  describe('many channels', () => {
    it('opens 100 channels on one connection, each echoing a message', async () => {
      const pair = await connectedPair();
      const remotes = new Map<string, RTCDataChannel>();
      const allRemote = new Promise<void>((resolve) => {
        pair.b.addEventListener('datachannel', (e) => {
          const channel = channelOf(e);
          channel.onmessage = (m) => channel.send(`echo ${m.data as string}`);
          remotes.set(channel.label, channel);
          if (remotes.size === 100) resolve();
        });
      });
      const locals: RTCDataChannel[] = [];
      for (let i = 0; i < 100; i++) locals.push(pair.a.createDataChannel(`ch${i}`));
      await Promise.all(locals.map((c) => opened(c)));
      await Promise.race([
        allRemote,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error(`only ${remotes.size} datachannel events`)), DEFAULT_TIMEOUT_MS),
        ),
      ]);
      const ids = new Set(locals.map((c) => c.id));
      assert.equal(ids.size, 100, 'distinct ids');
      for (const local of locals) {
        const remote = remotes.get(local.label);
        assert.ok(remote, local.label);
        assert.equal(remote.id, local.id);
      }
      await Promise.all([...remotes.values()].map((c) => opened(c)));
      const inboxes = locals.map((c) => new Inbox(c));
      locals.forEach((c) => c.send(c.label));
      const replies = await Promise.all(inboxes.map((inbox) => inbox.next()));
      replies.forEach((reply, i) => assert.equal(reply.data, `echo ch${i}`));
    });
  });
});
