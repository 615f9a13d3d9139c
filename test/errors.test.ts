import assert from 'node:assert/strict';
import { domException, fromRecord, isRTCError, RTCError, type RTCErrorDetailType } from '../lib/errors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const Ctor = RTCError as any;

// A named frame to look for in rewritten stacks.
function callerOfTheApi(): string {
  return new Error().stack!;
}

describe('errors', () => {
  describe('domException()', () => {
    it('makes a DOMException with the given name, message and legacy code', () => {
      const e = domException('InvalidStateError', 'closed');
      assert.ok(e instanceof DOMException);
      assert.equal(e.name, 'InvalidStateError');
      assert.equal(e.message, 'closed');
      assert.equal((e as DOMException).code, 11);
    });

    it('makes SyntaxError and OperationError DOMExceptions, not ECMAScript errors', () => {
      const syntax = domException('SyntaxError', 'bad url');
      assert.ok(syntax instanceof DOMException);
      assert.ok(!(syntax instanceof SyntaxError));
      assert.equal(syntax.name, 'SyntaxError');
      assert.equal((syntax as DOMException).code, 12);
      const operation = domException('OperationError', 'failed');
      assert.ok(operation instanceof DOMException);
      assert.equal((operation as DOMException).code, 0);
    });

    it('makes real TypeErrors and RangeErrors for those names', () => {
      const type = domException('TypeError', 'not a function');
      assert.equal(Object.getPrototypeOf(type), TypeError.prototype);
      assert.equal(type.message, 'not a function');
      const range = domException('RangeError', 'too big');
      assert.equal(Object.getPrototypeOf(range), RangeError.prototype);
      assert.equal(range.message, 'too big');
    });

    it("shows the caller's frames under its own Name: message line", () => {
      const stack = callerOfTheApi();
      for (const name of ['InvalidStateError', 'TypeError', 'RangeError']) {
        const e = domException(name, 'boom', stack);
        const lines = e.stack!.split('\n');
        assert.equal(lines[0], `${name}: boom`);
        assert.match(lines[1]!, /^\s+at callerOfTheApi /);
        assert.equal(lines.length, stack.split('\n').length);
        assert.doesNotMatch(e.stack!, /domException|new DOMException/);
      }
    });

    it('writes just the name when the message is empty, and skips a multi-line header', () => {
      const stack = (function multiLine() {
        return new Error('one\ntwo').stack!;
      })();
      const e = domException('NotFoundError', '', stack);
      const lines = e.stack!.split('\n');
      assert.equal(lines[0], 'NotFoundError');
      assert.match(lines[1]!, /^\s+at multiLine /);
    });

    it('keeps its own stack when no caller stack is given', () => {
      const e = domException('InvalidStateError', 'x');
      assert.match(e.stack!, /^InvalidStateError: x\n/);
    });
  });

  describe('RTCError', () => {
    it('is an OperationError DOMException with the init members', () => {
      const e = new RTCError({ errorDetail: 'sdp-syntax-error', sdpLineNumber: 3 }, 'boom');
      assert.ok(e instanceof DOMException);
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'OperationError');
      assert.equal(e.message, 'boom');
      assert.equal(e.code, 0);
      assert.equal(e.errorDetail, 'sdp-syntax-error');
      assert.equal(e.sdpLineNumber, 3);
      assert.equal(e.sctpCauseCode, null);
      assert.equal(e.receivedAlert, null);
      assert.equal(e.sentAlert, null);
      assert.equal(e.httpRequestStatusCode, null);
      assert.equal(String(e), 'OperationError: boom');
      assert.equal(Object.prototype.toString.call(e), '[object RTCError]');
    });

    it("defaults the message to '' and converts it with ToString", () => {
      assert.equal(new RTCError({ errorDetail: 'dtls-failure' }).message, '');
      assert.equal(new Ctor({ errorDetail: 'dtls-failure' }, undefined).message, '');
      assert.equal(new Ctor({ errorDetail: 'dtls-failure' }, null).message, 'null');
      assert.throws(() => new Ctor({ errorDetail: 'dtls-failure' }, Symbol('m')), {
        name: 'TypeError',
      });
    });

    it('accepts every RTCErrorDetailType Chromium accepts, identity ones included', () => {
      const details: RTCErrorDetailType[] = [
        'data-channel-failure',
        'dtls-failure',
        'fingerprint-failure',
        'sctp-failure',
        'sdp-syntax-error',
        'hardware-encoder-not-available',
        'hardware-encoder-error',
        'idp-bad-script-failure',
        'idp-execution-failure',
        'idp-load-failure',
        'idp-need-login',
        'idp-timeout',
        'idp-tls-failure',
        'idp-token-expired',
        'idp-token-invalid',
      ];
      for (const errorDetail of details) {
        assert.equal(new RTCError({ errorDetail }).errorDetail, errorDetail);
      }
    });

    it('throws a TypeError without a valid errorDetail', () => {
      const cases: [unknown[], RegExp][] = [
        [[], /1 argument required, but only 0 present/],
        [[{}], /Failed to read the 'errorDetail' property from 'RTCErrorInit': Required member is undefined/],
        [[null], /Required member is undefined/],
        [[{ errorDetail: 'nope' }], /'nope' is not a valid enum value of type RTCErrorDetailType/],
        [[{ errorDetail: 'DTLS-FAILURE' }], /not a valid enum value/],
        [[5], /is not of type 'RTCErrorInit'/],
      ];
      for (const [args, message] of cases) {
        assert.throws(() => new Ctor(...args), { name: 'TypeError', message });
      }
    });

    it('converts the numeric members as long / unsigned long (wrapping)', () => {
      const e = new Ctor({
        errorDetail: 'dtls-failure',
        sdpLineNumber: 2.7,
        sctpCauseCode: 'x',
        receivedAlert: -1,
        sentAlert: 4294967297,
        httpRequestStatusCode: 404,
      });
      assert.equal(e.sdpLineNumber, 2);
      assert.equal(e.sctpCauseCode, 0);
      assert.equal(e.receivedAlert, 4294967295);
      assert.equal(e.sentAlert, 1);
      assert.equal(e.httpRequestStatusCode, 404);
      const f = new Ctor({
        errorDetail: 'dtls-failure',
        sdpLineNumber: 2147483648,
        sctpCauseCode: Infinity,
        receivedAlert: null,
        sentAlert: undefined,
      });
      assert.equal(f.sdpLineNumber, -2147483648);
      assert.equal(f.sctpCauseCode, 0);
      assert.equal(f.receivedAlert, 0);
      assert.equal(f.sentAlert, null);
      const g = new Ctor({
        errorDetail: 'sctp-failure',
        sctpCauseCode: -1,
        sdpLineNumber: -5,
        receivedAlert: 2.9,
      });
      assert.equal(g.sctpCauseCode, -1);
      assert.equal(g.sdpLineNumber, -5);
      assert.equal(g.receivedAlert, 2);
      assert.throws(() => new Ctor({ errorDetail: 'dtls-failure', sdpLineNumber: 1n }), {
        name: 'TypeError',
      });
    });

    it('reads the members in WebIDL order, then the message', () => {
      const log: string[] = [];
      const member = (name: string, value: unknown) => ({
        get() {
          log.push(name);
          return value;
        },
      });
      const init = Object.defineProperties(
        {},
        {
          sentAlert: member('sentAlert', 1),
          sdpLineNumber: member('sdpLineNumber', 1),
          sctpCauseCode: member('sctpCauseCode', 1),
          receivedAlert: member('receivedAlert', 1),
          httpRequestStatusCode: member('httpRequestStatusCode', 1),
          errorDetail: member('errorDetail', 'dtls-failure'),
        },
      );
      new Ctor(init, {
        toString() {
          log.push('message');
          return 'm';
        },
      });
      assert.deepEqual(log, [
        'errorDetail',
        'httpRequestStatusCode',
        'receivedAlert',
        'sctpCauseCode',
        'sdpLineNumber',
        'sentAlert',
        'message',
      ]);
    });

    it('has the shape of the WebIDL interface', () => {
      assert.equal(RTCError.length, 1);
      assert.deepEqual(Object.keys(RTCError.prototype), [
        'errorDetail',
        'sdpLineNumber',
        'httpRequestStatusCode',
        'sctpCauseCode',
        'receivedAlert',
        'sentAlert',
      ]);
      assert.throws(() => RTCError.prototype.errorDetail, TypeError);
      const e = new RTCError({ errorDetail: 'sctp-failure' });
      assert.equal(isRTCError(e), true);
      assert.equal(isRTCError(new DOMException('x', 'OperationError')), false);
      assert.equal(isRTCError({ errorDetail: 'sctp-failure' }), false);
      assert.equal(isRTCError(undefined), false);
    });
  });

  describe('fromRecord()', () => {
    it('makes an RTCError when the record has an error detail', () => {
      const stack = callerOfTheApi();
      const e = fromRecord(
        {
          name: 'OperationError',
          message: 'line 4 is bad',
          errorDetail: 'sdp-syntax-error',
          sdpLineNumber: 4,
        },
        stack,
      );
      assert.ok(e instanceof RTCError);
      assert.equal(e.errorDetail, 'sdp-syntax-error');
      assert.equal(e.sdpLineNumber, 4);
      assert.equal(e.message, 'line 4 is bad');
      assert.equal(e.name, 'OperationError');
      assert.match(e.stack!, /^OperationError: line 4 is bad\n\s+at callerOfTheApi /);
    });

    it('makes the named DOMException otherwise', () => {
      const e = fromRecord({
        name: 'InvalidModificationError',
        message: 'nope',
      });
      assert.ok(e instanceof DOMException);
      assert.ok(!(e instanceof RTCError));
      assert.equal(e.name, 'InvalidModificationError');
      assert.equal(e.message, 'nope');
      const t = fromRecord({ name: 'TypeError', message: 'bad' }, callerOfTheApi());
      assert.equal(Object.getPrototypeOf(t), TypeError.prototype);
      assert.match(t.stack!, /^TypeError: bad\n\s+at callerOfTheApi /);
    });

    it('falls back to the named DOMException for an unknown error detail', () => {
      const e = fromRecord({
        name: 'OperationError',
        message: 'x',
        errorDetail: 'made-up',
      });
      assert.ok(e instanceof DOMException);
      assert.ok(!(e instanceof RTCError));
      assert.equal(e.name, 'OperationError');
    });
  });
});
