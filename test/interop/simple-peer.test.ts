// simple-peer in Node (over the implementation, as `wrtc`) talking to simple-peer in Chromium
// (its UMD build), over nothing but simple-peer's own 'signal' events: data both ways, Node's
// RTCVideoSource stream to the page and the page's fake camera to Node's RTCVideoSink.
import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as path from 'node:path';

import type { Page } from 'playwright-core';

import { openPage, useInterop, waitFor } from './harness.js';
import { implName, loadImpl, packageRoot } from './impl.js';
import { HEIGHT, TestPattern, WIDTH, startPatternSource } from './media-io.js';
import type { MediaStream, Nonstandard, RTCVideoSink, WrtcModule } from './types.js';

/** The part of simple-peer's API these tests use. */
interface SimplePeer extends EventEmitter {
  signal(data: unknown): void;
  send(data: string | Uint8Array): void;
  destroy(): void;
}
type SimplePeerConstructor = new (opts: {
  initiator?: boolean;
  wrtc?: unknown;
  stream?: unknown;
  config?: { iceServers?: unknown[] };
}) => SimplePeer;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Peer = require('simple-peer') as SimplePeerConstructor;

interface End {
  connected: boolean;
  /** Everything received on the data channel, as bytes (simple-peer delivers a Buffer). */
  received: Buffer[];
  /** The kinds of each remote stream's tracks, per 'stream' event. */
  streams: string[][];
  frames: { width: number; height: number; patternError?: string | null }[];
}

const newEnd = (): End => ({ connected: false, received: [], streams: [], frames: [] });

/** One simple-peer in Node and one in the page, wired through their 'signal' events. */
class Call {
  readonly changes = new EventEmitter();
  readonly errors: string[] = [];
  readonly node = newEnd();
  readonly browser = newEnd();
  /** Signal messages each side emitted, in order. */
  readonly signals = { node: [] as { type?: string }[], browser: [] as { type?: string }[] };
  peer: SimplePeer | undefined;
  private readonly fromPage: unknown[] = [];
  private nextSeq = 0;
  private readonly early = new Map<number, { kind: string; [k: string]: unknown }>();
  private toPage: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(readonly page: () => Page) {
    this.changes.setMaxListeners(100);
  }

  changed(): void {
    this.changes.emit('change');
  }

  fail(where: string, err: unknown): void {
    if (this.closed) return;
    this.errors.push(`${where}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    this.changed();
  }

  /** What the page posts, in the page's order. */
  receive(text: string): void {
    const body = JSON.parse(text) as { seq: number; kind: string; [k: string]: unknown };
    this.early.set(body.seq, body);
    for (let b = this.early.get(this.nextSeq); b; b = this.early.get(this.nextSeq)) {
      this.early.delete(this.nextSeq++);
      if (b.kind === 'signal') {
        this.signals.browser.push(b['data'] as { type?: string });
        if (this.peer) this.peer.signal(b['data']);
        else this.fromPage.push(b['data']); // the page started first; node's peer takes them when it exists
      } else if (b.kind === 'event') {
        this.pageEvent(b['ev'] as { type: string; [k: string]: unknown });
      } else {
        this.fail(`page: ${String(b['where'])}`, String(b['message']));
      }
      this.changed();
    }
  }

  private pageEvent(ev: { type: string; [k: string]: unknown }): void {
    switch (ev.type) {
      case 'connect':
        this.browser.connected = true;
        break;
      case 'data':
        this.browser.received.push(Buffer.from(String(ev['b64']), 'base64'));
        break;
      case 'stream':
        this.browser.streams.push(ev['kinds'] as string[]);
        break;
      case 'video-frame':
        this.browser.frames.push({ width: Number(ev['width']), height: Number(ev['height']) });
        break;
    }
  }

  /** Node's simple-peer: its signals go to the page one at a time, in order. */
  attach(peer: SimplePeer, ns: Nonstandard, sinks: RTCVideoSink[]): void {
    this.peer = peer;
    peer.on('signal', (data: { type?: string }) => {
      this.signals.node.push(data);
      this.changed();
      const text = JSON.stringify(data);
      this.toPage = this.toPage
        .then(() =>
          this.closed
            ? undefined
            : this.page().evaluate(
                (t) => (globalThis as unknown as { SP: { signal(t: string): void } }).SP.signal(t),
                text,
              ),
        )
        .catch((err: unknown) => this.fail('delivering a signal to the page', err));
    });
    peer.on('connect', () => {
      this.node.connected = true;
      this.changed();
    });
    peer.on('data', (data: Buffer) => {
      this.node.received.push(Buffer.from(data));
      this.changed();
    });
    peer.on('stream', (stream: MediaStream) => {
      this.node.streams.push(stream.getTracks().map((t) => t.kind));
      for (const track of stream.getTracks()) {
        if (track.kind !== 'video') continue;
        const sink = new ns.RTCVideoSink(track);
        sink.onframe = ({ frame }) => {
          this.node.frames.push({ width: frame.width, height: frame.height });
          this.changed();
        };
        sinks.push(sink);
      }
      this.changed();
    });
    peer.on('error', (err: unknown) => this.fail('node simple-peer error', err));
    for (const data of this.fromPage.splice(0)) peer.signal(data);
  }

  describe(): string {
    const end = (e: End) =>
      `connected=${e.connected} received=${e.received.length} streams=${JSON.stringify(e.streams)} frames=${e.frames.length}` +
      (e.frames.length ? ` last ${JSON.stringify(e.frames[e.frames.length - 1])}` : '');
    return [
      `  node:    ${end(this.node)} signals=${this.signals.node.map((s) => s.type ?? 'candidate').join(',')}`,
      `  browser: ${end(this.browser)} signals=${this.signals.browser.map((s) => s.type ?? 'candidate').join(',')}`,
      ...(this.errors.length ? [`  errors: ${this.errors.join('\n          ')}`] : []),
    ].join('\n');
  }

  until<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 20000): Promise<T> {
    return waitFor(
      this.changes,
      () => {
        if (this.errors.length) throw new Error(`while waiting for ${what}:\n${this.describe()}`);
        return check();
      },
      timeoutMs,
      what,
      () => this.describe(),
    );
  }

  close(): void {
    this.closed = true;
  }
}

describe(`interop: simple-peer in node and in Chromium [${implName}]`, function () {
  this.timeout(40000);
  const interop = useInterop({
    files: { 'simplepeer.min.js': path.join(packageRoot, 'node_modules', 'simple-peer', 'simplepeer.min.js') },
  });

  for (const initiator of ['node', 'browser'] as const) {
    it(`${initiator} initiates: data both ways, node's video source to the page, the page's camera to node's sink`, async function () {
      const wrtc = loadImpl() as WrtcModule;
      const ns = wrtc.nonstandard;
      assert.ok(ns, 'the implementation exports nonstandard');
      let page: Page | undefined;
      const call = new Call(() => page!);
      page = await openPage(
        interop.browser,
        `${interop.pageUrl}simple-peer.html`,
        (text) => call.receive(text),
        (e) => call.fail('page', e),
      );
      const sinks: RTCVideoSink[] = [];
      const source = startPatternSource(ns, new TestPattern());
      interop.defer(async () => {
        call.close();
        call.peer?.destroy();
        for (const sink of sinks) sink.stop();
        source.stop();
        await page!.close().catch(() => {});
      });

      const camera = await page.evaluate(
        (opts) =>
          (globalThis as unknown as { SP: { start(o: unknown): Promise<{ width: number; height: number }> } }).SP.start(
            opts,
          ),
        { initiator: initiator === 'browser', camera: { width: WIDTH, height: HEIGHT } },
      );
      assert.deepEqual([camera.width, camera.height], [WIDTH, HEIGHT], 'the fake camera runs at the size asked for');
      call.attach(
        new Peer({
          initiator: initiator === 'node',
          wrtc,
          stream: new wrtc.MediaStream!([source.track]),
          config: { iceServers: [] },
        }),
        ns,
        sinks,
      );

      await call.until(() => call.node.connected && call.browser.connected, "'connect' on both peers");
      assert.equal(call.signals[initiator][0]?.type, 'offer', `the ${initiator} offered`);

      // Data both ways: text and bytes, in order, exactly.
      const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff));
      call.peer!.send('hello from node');
      call.peer!.send(bytes);
      await page.evaluate(
        (items) => (globalThis as unknown as { SP: { send(i: unknown): void } }).SP.send(items),
        [{ s: 'hello from chromium' }, { b64: bytes.toString('base64') }],
      );
      await call.until(
        () => call.node.received.length >= 2 && call.browser.received.length >= 2,
        'two messages on each side',
      );
      assert.deepEqual(call.browser.received, [Buffer.from('hello from node'), bytes], 'what the page received');
      assert.deepEqual(call.node.received, [Buffer.from('hello from chromium'), bytes], 'what node received');

      // Media both ways: each side's 'stream' has one video track, and its frames arrive at the
      // size they were sent.
      await call.until(() => call.node.frames.length >= 10, "ten frames of the page's camera in node's sink");
      await call.until(() => call.browser.frames.length >= 10, "ten frames of node's video in the page");
      assert.deepEqual(call.node.streams, [['video']], "node's 'stream' events");
      assert.deepEqual(call.browser.streams, [['video']], "the page's 'stream' events");
      for (const f of call.node.frames) assert.deepEqual(f, { width: WIDTH, height: HEIGHT }, 'a camera frame in node');
      for (const f of call.browser.frames)
        assert.deepEqual(f, { width: WIDTH, height: HEIGHT }, "a frame of node's video in the page");
    });
  }
});
