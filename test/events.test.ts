import assert from 'node:assert/strict';
import { RTCError } from '../lib/errors.js';
import {
  RTCDataChannelEvent,
  RTCErrorEvent,
  RTCPeerConnectionIceErrorEvent,
  RTCPeerConnectionIceEvent,
} from '../lib/events.js';
import { RTCIceCandidate } from '../lib/RTCIceCandidate.js';

// Constructors called with values TypeScript would reject, as JS callers can.
/* eslint-disable @typescript-eslint/no-explicit-any */
const IceEvent = RTCPeerConnectionIceEvent as any;
const IceErrorEvent = RTCPeerConnectionIceErrorEvent as any;
const ChannelEvent = RTCDataChannelEvent as any;
const ErrorEvent = RTCErrorEvent as any;
/* eslint-enable @typescript-eslint/no-explicit-any */

function readLog(init: Record<string, unknown>): {
  init: object;
  log: string[];
} {
  const log: string[] = [];
  const props: PropertyDescriptorMap = {};
  for (const [key, value] of Object.entries(init)) {
    props[key] = {
      enumerable: true,
      get() {
        log.push(key);
        return value;
      },
    };
  }
  return { init: Object.defineProperties({}, props), log };
}

describe('events', () => {
  const candidate = new RTCIceCandidate({ candidate: '', sdpMid: '0' });
  const error = new RTCError({ errorDetail: 'sctp-failure' }, 'abort');

  describe('RTCPeerConnectionIceEvent', () => {
    it('defaults candidate and url to null', () => {
      const e = new RTCPeerConnectionIceEvent('icecandidate');
      assert.ok(e instanceof Event);
      assert.equal(e.type, 'icecandidate');
      assert.equal(e.candidate, null);
      assert.equal(e.url, null);
      assert.equal(e.bubbles, false);
      assert.equal(e.cancelable, false);
      assert.equal(e.isTrusted, false);
    });

    it('carries the candidate, url and EventInit members', () => {
      const e = new RTCPeerConnectionIceEvent('icecandidate', {
        candidate,
        url: 'stun:stun.example.org',
        bubbles: true,
        cancelable: true,
      });
      assert.equal(e.candidate, candidate);
      assert.equal(e.url, 'stun:stun.example.org');
      assert.equal(e.bubbles, true);
      assert.equal(e.cancelable, true);
    });

    it('accepts null members, a null init, and arrays or functions as the init', () => {
      assert.equal(new IceEvent('x', { candidate: null, url: null }).candidate, null);
      assert.equal(new IceEvent('x', { url: 5 }).url, '5');
      assert.equal(new IceEvent('x', null).candidate, null);
      assert.equal(new IceEvent('x', []).candidate, null);
      const init = Object.assign(() => {}, { bubbles: true });
      assert.equal(new IceEvent('x', init).bubbles, true);
    });

    it('throws TypeErrors as the bindings do', () => {
      assert.throws(() => new IceEvent(), {
        name: 'TypeError',
        message: /1 argument required, but only 0 present/,
      });
      assert.throws(() => new IceEvent('x', { candidate: {} }), {
        name: 'TypeError',
        message: /Failed to convert value to 'RTCIceCandidate'/,
      });
      assert.throws(() => new IceEvent('x', { candidate: candidate.toJSON() }), TypeError);
      assert.throws(() => new IceEvent('x', 5), {
        name: 'TypeError',
        message: /is not of type 'RTCPeerConnectionIceEventInit'/,
      });
      assert.throws(() => new IceEvent(Symbol('x')), { name: 'TypeError' });
    });

    it('converts the type with ToString', () => {
      assert.equal(new IceEvent(undefined).type, 'undefined');
    });

    it('reads EventInit members first, then its own in order', () => {
      const { init, log } = readLog({
        url: null,
        candidate: null,
        composed: false,
        cancelable: false,
        bubbles: false,
      });
      new IceEvent('x', init);
      assert.deepEqual(log, ['bubbles', 'cancelable', 'composed', 'candidate', 'url']);
    });
  });

  describe('RTCPeerConnectionIceErrorEvent', () => {
    it('has spec defaults for the optional members', () => {
      const e = new RTCPeerConnectionIceErrorEvent('icecandidateerror', {
        errorCode: 701,
      });
      assert.ok(e instanceof Event);
      assert.equal(e.address, null);
      assert.equal(e.port, null);
      assert.equal(e.url, '');
      assert.equal(e.errorCode, 701);
      assert.equal(e.errorText, '');
    });

    it('converts the members (unsigned shorts wrap; errorText is a USVString)', () => {
      const e = new IceErrorEvent('icecandidateerror', {
        errorCode: 70001,
        address: '192.0.2.1',
        port: -1,
        url: 'turn:turn.example.org',
        errorText: 'x\uD800y',
      });
      assert.equal(e.address, '192.0.2.1');
      assert.equal(e.port, 65535);
      assert.equal(e.url, 'turn:turn.example.org');
      assert.equal(e.errorCode, 4465);
      assert.equal(e.errorText, 'x\uFFFDy');
      const text = (errorText: string) => new IceErrorEvent('x', { errorCode: 1, errorText }).errorText;
      assert.equal(text('\uD83D\uDE00 ok'), '\uD83D\uDE00 ok', 'a surrogate pair is kept');
      assert.equal(text('a\uDE00\uD83D'), 'a\uFFFD\uFFFD', 'reversed halves are lone');
      const n = new IceErrorEvent('x', {
        errorCode: null,
        address: null,
        port: null,
      });
      assert.equal(n.errorCode, 0);
      assert.equal(n.address, null);
      assert.equal(n.port, null);
      assert.equal(new IceErrorEvent('x', { errorCode: 'abc' }).errorCode, 0);
    });

    it('throws a TypeError without errorCode', () => {
      for (const args of [['x'], ['x', {}], ['x', undefined], ['x', null]]) {
        assert.throws(() => new IceErrorEvent(...args), { name: 'TypeError' });
      }
      assert.throws(() => new IceErrorEvent('x', {}), {
        message:
          /Failed to read the 'errorCode' property from 'RTCPeerConnectionIceErrorEventInit': Required member is undefined/,
      });
    });

    it('reads EventInit members first, then its own in order', () => {
      const { init, log } = readLog({
        url: '',
        port: null,
        errorText: '',
        errorCode: 1,
        address: null,
        composed: false,
        cancelable: false,
        bubbles: false,
      });
      new IceErrorEvent('x', init);
      assert.deepEqual(log, ['bubbles', 'cancelable', 'composed', 'address', 'errorCode', 'errorText', 'port', 'url']);
    });
  });

  describe('RTCDataChannelEvent', () => {
    it('carries the channel', () => {
      const channel = { label: 'chat' };
      // Any object passes the constructor's check (Chromium checks the interface; we only
      // make these events ourselves), hence the cast.
      const e = new RTCDataChannelEvent('datachannel', { channel: channel as never });
      assert.ok(e instanceof Event);
      assert.equal(e.type, 'datachannel');
      assert.equal(e.channel, channel);
    });

    it('throws a TypeError without a channel object', () => {
      assert.throws(() => new ChannelEvent('datachannel'), {
        name: 'TypeError',
        message: /2 arguments required, but only 1 present/,
      });
      assert.throws(() => new ChannelEvent('datachannel', {}), {
        name: 'TypeError',
        message: /Failed to read the 'channel' property from 'RTCDataChannelEventInit': Required member is undefined/,
      });
      for (const channel of [null, 'chat', 5, () => {}]) {
        assert.throws(() => new ChannelEvent('datachannel', { channel }), {
          name: 'TypeError',
          message: /Failed to convert value to 'RTCDataChannel'/,
        });
      }
    });
  });

  describe('RTCErrorEvent', () => {
    it('carries the same RTCError object every time', () => {
      const e = new RTCErrorEvent('error', { error });
      assert.ok(e instanceof Event);
      assert.equal(e.error, error);
      assert.equal(e.error, e.error);
    });

    it('throws a TypeError without an RTCError', () => {
      assert.throws(() => new ErrorEvent('error'), { name: 'TypeError' });
      assert.throws(() => new ErrorEvent('error', {}), {
        name: 'TypeError',
        message: /Required member is undefined/,
      });
      const notRTCErrors = [null, new DOMException('x', 'OperationError'), { errorDetail: 'sctp-failure' }];
      for (const value of notRTCErrors) {
        assert.throws(() => new ErrorEvent('error', { error: value }), {
          name: 'TypeError',
          message: /Failed to convert value to 'RTCError'/,
        });
      }
      assert.throws(() => new ErrorEvent('error', 5), {
        name: 'TypeError',
        message: /is not of type 'RTCErrorEventInit'/,
      });
    });
  });

  it('dispatch through an EventTarget to handlers and listeners', () => {
    const target = new EventTarget();
    const seen: Event[] = [];
    target.addEventListener('icecandidate', (e) => seen.push(e));
    const e = new RTCPeerConnectionIceEvent('icecandidate', { candidate });
    target.dispatchEvent(e);
    assert.equal(seen[0], e);
    assert.equal(e.target, target);
    assert.equal((seen[0] as RTCPeerConnectionIceEvent).candidate, candidate);
  });

  it('have the shape of their WebIDL interfaces', () => {
    const shapes: [{ prototype: object; length: number; name: string }, number, string[]][] = [
      [RTCPeerConnectionIceEvent, 1, ['candidate', 'url']],
      [RTCPeerConnectionIceErrorEvent, 2, ['address', 'port', 'url', 'errorCode', 'errorText']],
      [RTCDataChannelEvent, 2, ['channel']],
      [RTCErrorEvent, 2, ['error']],
    ];
    for (const [ctor, length, keys] of shapes) {
      assert.equal(ctor.length, length, ctor.name);
      assert.deepEqual(Object.keys(ctor.prototype), keys, ctor.name);
      assert.equal(Object.getPrototypeOf(ctor.prototype), Event.prototype);
      assert.equal((ctor.prototype as { [Symbol.toStringTag]: string })[Symbol.toStringTag], ctor.name);
      const getter = Object.getOwnPropertyDescriptor(ctor.prototype, keys[0]!)!.get!;
      assert.throws(() => getter.call(new Event('x')), TypeError, ctor.name);
    }
    assert.equal(Object.prototype.toString.call(new RTCErrorEvent('error', { error })), '[object RTCErrorEvent]');
  });
});
