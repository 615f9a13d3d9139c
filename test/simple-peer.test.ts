// simple-peer over this package: two simple-peer instances in one process, `wrtc` being the
// package's default (wrtc-compatible) export, wired through nothing but their 'signal' events.
import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import wrtc, { MediaStream, nonstandard, type MediaStreamTrack } from '../lib/index.js';
import type { RTCVideoSink } from '../lib/nonstandard/index.js';
import { DEFAULT_TIMEOUT_MS } from './helpers.js';
import { HEIGHT, WIDTH, patternSource, showsPattern } from './media-helpers.js';

/** The part of simple-peer's API these tests use (it ships no types). */
interface SimplePeer extends EventEmitter {
  signal(data: unknown): void;
  send(data: string | Uint8Array): void;
  addStream(stream: MediaStream): void;
  destroy(): void;
  readonly destroyed: boolean;
}
type SimplePeerConstructor = new (opts: {
  initiator?: boolean;
  wrtc?: unknown;
  stream?: MediaStream;
  config?: { iceServers?: unknown[] };
}) => SimplePeer;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Peer = require('simple-peer') as SimplePeerConstructor;

/** Resolves once `check()` holds, checked now and at each 'change' of `changes`; rejects after
 *  the timeout with `describe()`, or at once when `failure()` reports something. */
function until(
  changes: EventEmitter,
  check: () => boolean,
  what: string,
  describe: () => string,
  failure: () => string | null,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      changes.off('change', onChange);
    };
    const onChange = () => {
      const failed = failure();
      if (failed) {
        done();
        reject(new Error(`while waiting for ${what}: ${failed}`));
      } else if (check()) {
        done();
        resolve();
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${DEFAULT_TIMEOUT_MS} ms waiting for ${what}: ${describe()}`));
    }, DEFAULT_TIMEOUT_MS);
    changes.on('change', onChange);
    onChange();
  });
}

interface End {
  peer: SimplePeer;
  connected: boolean;
  received: Buffer[];
  streams: MediaStream[];
  /** Frames the RTCVideoSinks on its remote video tracks got: size, and whether they show the pattern. */
  frames: { width: number; height: number; pattern: boolean }[];
}

describe('simple-peer over this package: two peers in one process', function () {
  this.timeout(30000);
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const fn of cleanups.splice(0).reverse()) fn();
  });

  /** Two simple-peers, `a` initiating; each one's signals go straight to the other. */
  function pair(streamA?: MediaStream): {
    a: End;
    b: End;
    changes: EventEmitter;
    errors: string[];
    describe(): string;
  } {
    const changes = new EventEmitter();
    const errors: string[] = [];
    const sinks: RTCVideoSink[] = [];
    const end = (peer: SimplePeer, name: string): End => {
      const e: End = { peer, connected: false, received: [], streams: [], frames: [] };
      peer.on('connect', () => {
        e.connected = true;
        changes.emit('change');
      });
      peer.on('data', (data: Buffer) => {
        e.received.push(Buffer.from(data));
        changes.emit('change');
      });
      peer.on('stream', (stream: MediaStream) => {
        e.streams.push(stream);
        for (const track of stream.getVideoTracks()) {
          const sink = new nonstandard.RTCVideoSink(track);
          sink.onframe = ({ frame }) => {
            e.frames.push({ width: frame.width, height: frame.height, pattern: showsPattern(frame) });
            changes.emit('change');
          };
          sinks.push(sink);
        }
        changes.emit('change');
      });
      peer.on('error', (err: Error) => {
        errors.push(`${name}: ${err.message}`);
        changes.emit('change');
      });
      cleanups.push(() => peer.destroy());
      return e;
    };
    const a = end(
      new Peer({ initiator: true, wrtc, config: { iceServers: [] }, ...(streamA ? { stream: streamA } : {}) }),
      'a',
    );
    const b = end(new Peer({ wrtc, config: { iceServers: [] } }), 'b');
    a.peer.on('signal', (data: unknown) => b.peer.signal(data));
    b.peer.on('signal', (data: unknown) => a.peer.signal(data));
    cleanups.push(() => {
      for (const sink of sinks) sink.stop();
    });
    const summary = (e: End) =>
      `connected=${e.connected} received=${e.received.length} streams=${e.streams.length} frames=${e.frames.length}`;
    return {
      a,
      b,
      changes,
      errors,
      describe: () => `a: ${summary(a)}; b: ${summary(b)}; errors: ${errors.join('; ') || 'none'}`,
    };
  }

  it("data both ways, and a video stream from one to the other whose frames reach the other's RTCVideoSink", async () => {
    const video = patternSource();
    cleanups.push(() => video.stop());
    const { a, b, changes, errors, describe } = pair(new MediaStream([video.track]));
    const wait = (check: () => boolean, what: string) =>
      until(changes, check, what, describe, () => errors.join('; ') || null);

    await wait(() => a.connected && b.connected, "'connect' on both peers");
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 13) & 0xff));
    a.peer.send('hello from a');
    a.peer.send(bytes);
    b.peer.send('hello from b');
    await wait(() => a.received.length >= 1 && b.received.length >= 2, 'the messages on both peers');
    assert.deepEqual(b.received, [Buffer.from('hello from a'), bytes]);
    assert.deepEqual(a.received, [Buffer.from('hello from b')]);

    // b's 'stream' is a remote MediaStream with one video track; its frames are the pattern.
    await wait(() => b.frames.filter((f) => f.pattern).length >= 10, "ten frames of the pattern in b's sink");
    assert.equal(b.streams.length, 1, "one 'stream' event on b");
    assert.deepEqual(
      b.streams[0]!.getTracks().map((t: MediaStreamTrack) => t.kind),
      ['video'],
    );
    assert.equal(a.streams.length, 0, 'a receives no stream');
    for (const f of b.frames) assert.deepEqual([f.width, f.height], [WIDTH, HEIGHT], 'a frame in b');
  });

  it('a stream added after connecting (simple-peer renegotiates through its signals) reaches the initiator', async () => {
    const { a, b, changes, errors, describe } = pair();
    const wait = (check: () => boolean, what: string) =>
      until(changes, check, what, describe, () => errors.join('; ') || null);
    await wait(() => a.connected && b.connected, "'connect' on both peers");

    const video = patternSource();
    cleanups.push(() => video.stop());
    b.peer.addStream(new MediaStream([video.track]));
    await wait(() => a.frames.filter((f) => f.pattern).length >= 10, "ten frames of the pattern in a's sink");
    assert.equal(a.streams.length, 1, "one 'stream' event on a");
    for (const f of a.frames) assert.deepEqual([f.width, f.height], [WIDTH, HEIGHT], 'a frame in a');
    // The data channel still works after renegotiation.
    b.peer.send('still here');
    await wait(() => a.received.length >= 1, 'a message after renegotiation');
    assert.deepEqual(a.received, [Buffer.from('still here')]);
  });
});
