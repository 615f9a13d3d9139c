import assert from 'node:assert/strict';
import { RTCSessionDescription, type RTCSdpType } from '../lib/RTCSessionDescription.js';

// Calls the constructor with values TypeScript would reject, as JS callers can.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const Ctor = RTCSessionDescription as any;

describe('RTCSessionDescription', () => {
  for (const type of ['offer', 'pranswer', 'answer', 'rollback'] as RTCSdpType[]) {
    it(`accepts type '${type}'`, () => {
      const d = new RTCSessionDescription({ type, sdp: 'v=0\r\n' });
      assert.equal(d.type, type);
      assert.equal(d.sdp, 'v=0\r\n');
    });
  }

  it("defaults sdp to ''", () => {
    assert.equal(new RTCSessionDescription({ type: 'offer' }).sdp, '');
    assert.equal(new Ctor({ type: 'offer', sdp: undefined }).sdp, '');
  });

  it('converts sdp with ToString, as a DOMString member', () => {
    assert.equal(new Ctor({ type: 'answer', sdp: null }).sdp, 'null');
    assert.equal(new Ctor({ type: 'answer', sdp: 12 }).sdp, '12');
    assert.equal(new Ctor({ type: { toString: () => 'offer' } }).type, 'offer');
  });

  // Chromium 156 accepts the first four and gives type null (legacy); the spec makes `type`
  // required, and so do we.
  const missingType: [string, unknown[]][] = [
    ['no argument', []],
    ['undefined', [undefined]],
    ['null', [null]],
    ['{}', [{}]],
    ['{ type: undefined }', [{ type: undefined }]],
  ];
  for (const [label, args] of missingType) {
    it(`throws a TypeError for ${label}`, () => {
      assert.throws(() => new Ctor(...args), { name: 'TypeError' });
    });
  }

  it('throws a TypeError for a type that is not an RTCSdpType', () => {
    for (const type of ['bogus', 'Offer', null, '']) {
      assert.throws(
        () => new Ctor({ type }),
        (e: unknown) => {
          assert.ok(e instanceof TypeError);
          assert.match(e.message, /is not a valid enum value of type RTCSdpType/);
          return true;
        },
      );
    }
  });

  it('throws a TypeError for an argument that is not an object', () => {
    for (const value of [5, 'offer', true]) {
      assert.throws(() => new Ctor(value), {
        name: 'TypeError',
        message: /is not of type 'RTCSessionDescriptionInit'/,
      });
    }
  });

  it('throws a TypeError for a Symbol sdp', () => {
    assert.throws(() => new Ctor({ type: 'offer', sdp: Symbol('x') }), {
      name: 'TypeError',
    });
  });

  it('reads the members in WebIDL order (sdp, then type), each once', () => {
    const log: string[] = [];
    const init = {
      get type() {
        log.push('type');
        return 'bogus';
      },
      get sdp() {
        log.push('sdp');
        return 'x';
      },
    };
    assert.throws(() => new Ctor(init), { name: 'TypeError' });
    assert.deepEqual(log, ['sdp', 'type']);
  });

  it('copies another RTCSessionDescription (its getters are its members)', () => {
    const a = new RTCSessionDescription({ type: 'answer', sdp: 'v=0' });
    assert.deepEqual(new RTCSessionDescription(a).toJSON(), {
      type: 'answer',
      sdp: 'v=0',
    });
  });

  it('toJSON() gives exactly { type, sdp }, in that order', () => {
    const d = new RTCSessionDescription({ type: 'rollback', sdp: 'x' });
    const json = d.toJSON();
    assert.deepEqual(json, { type: 'rollback', sdp: 'x' });
    assert.deepEqual(Object.keys(json), ['type', 'sdp']);
    assert.equal(JSON.stringify(d), '{"type":"rollback","sdp":"x"}');
    assert.notEqual(d.toJSON(), json, 'a fresh object each time');
  });

  it('has read-only prototype getters, like a WebIDL interface', () => {
    const d = new RTCSessionDescription({ type: 'offer', sdp: 'a' });
    assert.deepEqual(Object.keys(d), []);
    assert.deepEqual(Object.keys(RTCSessionDescription.prototype), ['type', 'sdp', 'toJSON']);
    for (const name of ['type', 'sdp']) {
      const desc = Object.getOwnPropertyDescriptor(RTCSessionDescription.prototype, name)!;
      assert.equal(typeof desc.get, 'function');
      assert.equal(desc.set, undefined);
      assert.equal(desc.enumerable, true);
      assert.equal(desc.configurable, true);
    }
    // Module code is strict: assigning to a getter-only attribute throws and changes nothing.
    assert.throws(() => {
      (d as { type: string }).type = 'answer';
    }, TypeError);
    assert.equal(d.type, 'offer');
  });

  it('throws a TypeError when a getter is called on a non-instance', () => {
    assert.throws(() => RTCSessionDescription.prototype.type, TypeError);
    const get = Object.getOwnPropertyDescriptor(RTCSessionDescription.prototype, 'sdp')!.get!;
    assert.throws(() => get.call({ sdp: 'x' }), TypeError);
  });

  it('is tagged as RTCSessionDescription and has length 1', () => {
    const d = new RTCSessionDescription({ type: 'offer' });
    assert.equal(Object.prototype.toString.call(d), '[object RTCSessionDescription]');
    assert.equal(RTCSessionDescription.length, 1);
  });
});
