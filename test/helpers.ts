// Two peers in one process: creation, trickle ICE, offer/answer, and waiting for events.
//
// Every connection made through makePeer()/createPair() is remembered until closeAllPeers()
// runs; usePeers() installs that as an afterEach hook of the enclosing describe(), so a failed
// test never leaves a connection (and libwebrtc's threads) behind for the next one.
//
// Timeouts here only turn "never happened" into a failure with a readable message; nothing
// asserts how long anything took.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { RTCPeerConnection, type RTCConfiguration, type RTCDataChannel } from '../lib/index.js';

/** The package root: this file runs as dist-test/test/helpers.js. */
export const packageRoot: string = path.resolve(__dirname, '../..');
/** The local cmake-js build of the addon. */
export const addonPath: string = path.join(packageRoot, 'build', 'Release', 'libwebrtc_node.node');

/** Long enough for a loaded 2-core machine; only a failure guard. */
export const DEFAULT_TIMEOUT_MS = 15000;

const registry = new Set<RTCPeerConnection>();

/** A connection that closeAllPeers() will close. */
export function makePeer(configuration?: RTCConfiguration): RTCPeerConnection {
  const pc = new RTCPeerConnection(configuration);
  registry.add(pc);
  return pc;
}

/** Closes every connection made by makePeer() since the last call. */
export function closeAllPeers(): void {
  for (const pc of registry) {
    try {
      pc.close();
    } catch {
      /* close() must not throw, but a broken one must not hide the test's own failure */
    }
  }
  registry.clear();
}

/** Registers closeAllPeers() as an afterEach hook of the current describe(). */
export function usePeers(): void {
  afterEach(closeAllPeers);
}

export interface Pair {
  a: RTCPeerConnection;
  b: RTCPeerConnection;
  /** addIceCandidate failures seen while trickling (none expected). */
  iceErrors: unknown[];
}

/**
 * Sends each peer's candidates to the other as they are gathered. Candidates are added in
 * order through the peer's operations chain; failures after one side closed are ignored, other
 * failures are collected in `errors`. Returns a function that stops the wiring.
 */
export function wireIce(a: RTCPeerConnection, b: RTCPeerConnection, errors: unknown[] = []): () => void {
  const forward = (to: RTCPeerConnection) => (event: Event) => {
    const candidate = (event as RTCPeerConnectionIceEventLike).candidate;
    if (!candidate) return;
    if (to.signalingState === 'closed') return;
    to.addIceCandidate(candidate).catch((error: unknown) => {
      if (to.signalingState !== 'closed') errors.push(error);
    });
  };
  const toB = forward(b);
  const toA = forward(a);
  a.addEventListener('icecandidate', toB);
  b.addEventListener('icecandidate', toA);
  return () => {
    a.removeEventListener('icecandidate', toB);
    b.removeEventListener('icecandidate', toA);
  };
}

interface RTCPeerConnectionIceEventLike extends Event {
  readonly candidate: { readonly candidate: string; toJSON(): object } | null;
}

/** Two registered peers with trickle ICE wired both ways. */
export function createPair(configA?: RTCConfiguration, configB?: RTCConfiguration): Pair {
  const a = makePeer(configA);
  const b = makePeer(configB);
  const iceErrors: unknown[] = [];
  wireIce(a, b, iceErrors);
  return { a, b, iceErrors };
}

/** One offer/answer exchange, `a` offering. Resolves when both descriptions are applied. */
export async function negotiate(a: RTCPeerConnection, b: RTCPeerConnection): Promise<void> {
  const offer = await a.createOffer();
  await a.setLocalDescription(offer);
  await b.setRemoteDescription(offer);
  const answer = await b.createAnswer();
  await b.setLocalDescription(answer);
  await a.setRemoteDescription(answer);
}

/**
 * The next `name` event of `target` (for which `predicate` holds, if given). Rejects after
 * `timeoutMs` with a message naming the event.
 */
export function waitForEvent<E extends Event = Event>(
  target: EventTarget,
  name: string,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
  predicate?: (event: E) => boolean,
): Promise<E> {
  return new Promise<E>((resolve, reject) => {
    const listener = (event: Event) => {
      if (predicate && !predicate(event as E)) return;
      clearTimeout(timer);
      target.removeEventListener(name, listener);
      resolve(event as E);
    };
    const timer = setTimeout(() => {
      target.removeEventListener(name, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for '${name}'`));
    }, timeoutMs);
    target.addEventListener(name, listener);
  });
}

type StateAttribute = 'connectionState' | 'iceConnectionState' | 'iceGatheringState' | 'signalingState';
const STATE_EVENTS: Record<StateAttribute, string> = {
  connectionState: 'connectionstatechange',
  iceConnectionState: 'iceconnectionstatechange',
  iceGatheringState: 'icegatheringstatechange',
  signalingState: 'signalingstatechange',
};

/**
 * Resolves once `pc[attribute]` is one of `values` (at once if it already is). Rejects when
 * the timeout passes, or when the state reaches 'failed' or 'closed' without being wanted.
 */
export function waitForState(
  pc: RTCPeerConnection,
  attribute: StateAttribute,
  values: string | readonly string[],
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
): Promise<void> {
  const wanted: readonly string[] = typeof values === 'string' ? [values] : values;
  const current = () => pc[attribute] as string;
  if (wanted.includes(current())) return Promise.resolve();
  const eventName = STATE_EVENTS[attribute];
  return new Promise<void>((resolve, reject) => {
    const listener = () => {
      const state = current();
      if (wanted.includes(state)) {
        done();
        resolve();
      } else if (state === 'failed' || state === 'closed') {
        done();
        reject(new Error(`${attribute} became '${state}' while waiting for ${wanted.join('/')}`));
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for ${attribute} ${wanted.join('/')} (it is '${current()}')`,
        ),
      );
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener(eventName, listener);
    };
    pc.addEventListener(eventName, listener);
  });
}

export interface ConnectedPair extends Pair {
  /** `a`'s channel (label 'test') and `b`'s end of it, both open. */
  channelA: RTCDataChannel;
  channelB: RTCDataChannel;
}

/** A negotiated, connected pair with one open data channel. */
export async function connectedPair(timeoutMs: number = DEFAULT_TIMEOUT_MS): Promise<ConnectedPair> {
  const pair = createPair();
  const channelA = pair.a.createDataChannel('test');
  const remoteChannel = waitForEvent<Event & { channel: RTCDataChannel }>(pair.b, 'datachannel', timeoutMs);
  const openA =
    channelA.readyState === 'open'
      ? Promise.resolve()
      : waitForEvent(channelA, 'open', timeoutMs).then(() => undefined);
  await negotiate(pair.a, pair.b);
  const channelB = (await remoteChannel).channel;
  const openB =
    channelB.readyState === 'open'
      ? Promise.resolve()
      : waitForEvent(channelB, 'open', timeoutMs).then(() => undefined);
  await Promise.all([
    openA,
    openB,
    waitForState(pair.a, 'connectionState', 'connected', timeoutMs),
    waitForState(pair.b, 'connectionState', 'connected', timeoutMs),
  ]);
  assert.deepEqual(pair.iceErrors, [], 'trickled candidates were all accepted');
  return { ...pair, channelA, channelB };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The rejection reason of `promise`; fails when it resolves. Use with assertError() to check
 * a DOMException's name.
 */
export async function rejectionOf(promise: Promise<unknown>, what = 'the promise'): Promise<unknown> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error;
  }
  assert.fail(`${what} resolved (with ${show(value)}) instead of rejecting`);
}

/** The exception `fn` throws; fails when it returns. */
export function thrownBy(fn: () => unknown, what = 'the call'): unknown {
  let value: unknown;
  try {
    value = fn();
  } catch (error) {
    return error;
  }
  assert.fail(`${what} returned (${show(value)}) instead of throwing`);
}

/**
 * Asserts `error` is a TypeError (name 'TypeError') or a DOMException with that name.
 * DOMExceptions must be real DOMExceptions (instanceof) — RTCError included.
 */
export function assertError(error: unknown, name: string, context = ''): void {
  const prefix = context ? `${context}: ` : '';
  assert.ok(error instanceof Error || error instanceof DOMException, `${prefix}expected an error, got ${show(error)}`);
  const e = error as Error;
  assert.equal(e.name, name, `${prefix}expected ${name}, got ${e.name}: ${e.message}`);
  if (name === 'TypeError') assert.ok(e instanceof TypeError, `${prefix}a TypeError must be an ECMAScript TypeError`);
  else if (name !== 'RangeError' && name !== 'Error')
    assert.ok(e instanceof DOMException, `${prefix}${name} must be a DOMException`);
}

export async function assertRejects(promise: Promise<unknown>, name: string, context = ''): Promise<unknown> {
  const error = await rejectionOf(promise, context || undefined);
  assertError(error, name, context);
  return error;
}

export function assertThrows(fn: () => unknown, name: string, context = ''): unknown {
  const error = thrownBy(fn, context || undefined);
  assertError(error, name, context);
  return error;
}

function show(value: unknown): string {
  try {
    return typeof value === 'object' && value !== null ? JSON.stringify(value).slice(0, 200) : String(value);
  } catch {
    return String(value);
  }
}

/** The ICE ufrag / pwd of the first m-section (or the session) of `sdp`. */
export function iceCredentials(sdp: string): { ufrag: string; pwd: string } {
  const ufrag = /^a=ice-ufrag:(\S+)/m.exec(sdp);
  const pwd = /^a=ice-pwd:(\S+)/m.exec(sdp);
  assert.ok(ufrag && pwd, 'the SDP carries ice-ufrag and ice-pwd');
  return { ufrag: ufrag[1]!, pwd: pwd[1]! };
}
