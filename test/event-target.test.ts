import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { defineEventHandlers, type EventHandler } from '../lib/event-target.js';

class Target extends EventTarget {
  declare onfoo: EventHandler<Target>;
  declare onbar: EventHandler<Target>;
}
defineEventHandlers(Target, ['foo', 'bar']);

// Assigns values the declared type does not allow, as JS callers can.
function assign(target: Target, value: unknown): void {
  (target as { onfoo: unknown }).onfoo = value;
}

describe('defineEventHandlers', () => {
  it('starts at null', () => {
    const t = new Target();
    assert.equal(t.onfoo, null);
    assert.equal(t.onbar, null);
  });

  it('calls the handler with the event, the target as this, and returns it from the getter', () => {
    const t = new Target();
    const calls: [unknown, Event][] = [];
    const handler = function (this: Target, ev: Event) {
      calls.push([this, ev]);
    };
    t.onfoo = handler;
    assert.equal(t.onfoo, handler);
    const event = new Event('foo');
    t.dispatchEvent(event);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]![0], t);
    assert.equal(calls[0]![1], event);
    t.dispatchEvent(new Event('bar'));
    assert.equal(calls.length, 1, 'onfoo does not see bar events');
  });

  it("keeps the first assignment's place among listeners, as Chromium does", () => {
    // The same sequence gave exactly this log on an RTCPeerConnection in Chromium 156.
    const t = new Target();
    const log: string[] = [];
    const fire = () => {
      t.dispatchEvent(new Event('foo'));
      log.push('|');
    };
    t.addEventListener('foo', () => log.push('A'));
    t.onfoo = () => log.push('h1');
    t.addEventListener('foo', () => log.push('B'));
    t.onfoo = () => log.push('h2'); // replaces h1 in its slot
    fire();
    assign(t, 'x'); // a non-object removes the listener...
    t.onfoo = () => log.push('h3'); // ...so this one goes last
    fire();
    assign(t, {}); // an object keeps the slot
    t.onfoo = () => log.push('h4');
    fire();
    assert.deepEqual(log, ['A', 'h2', 'B', '|', 'A', 'B', 'h3', '|', 'A', 'B', 'h4', '|']);
  });

  it('treats null and every non-object as null, removing the listener', () => {
    for (const value of [null, undefined, 'alert(1)', 5, true, Symbol('s'), 1n]) {
      const t = new Target();
      let calls = 0;
      t.onfoo = () => calls++;
      assign(t, value);
      assert.equal(t.onfoo, null);
      t.dispatchEvent(new Event('foo'));
      assert.equal(calls, 0, String(value));
    }
  });

  it('keeps a non-callable object without calling it', () => {
    const t = new Target();
    let called = false;
    const listenerObject = {
      handleEvent() {
        called = true;
      },
    };
    assign(t, listenerObject);
    assert.equal(t.onfoo, listenerObject);
    assert.equal(t.dispatchEvent(new Event('foo', { cancelable: true })), true);
    assert.equal(called, false);
  });

  it('cancels a cancelable event when the handler returns false, and only then', () => {
    const t = new Target();
    const outcome = (handler: () => unknown, cancelable: boolean) => {
      assign(t, handler);
      const event = new Event('foo', { cancelable });
      const result = t.dispatchEvent(event);
      return [result, event.defaultPrevented];
    };
    assert.deepEqual(
      outcome(() => false, true),
      [false, true],
    );
    assert.deepEqual(
      outcome(() => false, false),
      [true, false],
    );
    assert.deepEqual(
      outcome(() => 0, true),
      [true, false],
    );
    assert.deepEqual(
      outcome(() => true, true),
      [true, false],
    );
    assert.deepEqual(
      outcome(async () => false, true),
      [true, false],
    );
  });

  it('is per instance and per event type', () => {
    const a = new Target();
    const b = new Target();
    const log: string[] = [];
    a.onfoo = () => log.push('a.foo');
    a.onbar = () => log.push('a.bar');
    b.onfoo = () => log.push('b.foo');
    a.onfoo = null;
    a.dispatchEvent(new Event('foo'));
    a.dispatchEvent(new Event('bar'));
    b.dispatchEvent(new Event('foo'));
    assert.deepEqual(log, ['a.bar', 'b.foo']);
    assert.equal(a.onfoo, null);
    assert.notEqual(b.onfoo, null);
  });

  it('cannot be removed with removeEventListener(handler)', () => {
    const t = new Target();
    let calls = 0;
    const handler = () => calls++;
    t.onfoo = handler;
    t.removeEventListener('foo', handler);
    t.dispatchEvent(new Event('foo'));
    assert.equal(calls, 1);
  });

  it('stops at once when set to null inside the handler', () => {
    const t = new Target();
    let calls = 0;
    t.onfoo = () => {
      calls++;
      t.onfoo = null;
    };
    t.dispatchEvent(new Event('foo'));
    t.dispatchEvent(new Event('foo'));
    assert.equal(calls, 1);
  });

  it("uses EventTarget's own addEventListener, not an override", () => {
    const t = new Target();
    let overridden = 0;
    t.addEventListener = () => {
      overridden++;
    };
    let calls = 0;
    t.onfoo = () => calls++;
    t.dispatchEvent(new Event('foo'));
    assert.equal(overridden, 0);
    assert.equal(calls, 1);
  });

  it('installs enumerable, configurable prototype accessors with browser names', () => {
    const desc = Object.getOwnPropertyDescriptor(Target.prototype, 'onfoo')!;
    assert.equal(desc.enumerable, true);
    assert.equal(desc.configurable, true);
    assert.equal(desc.get!.name, 'get onfoo');
    assert.equal(desc.set!.name, 'set onfoo');
    const t = new Target();
    t.onfoo = () => {};
    assert.equal(Object.hasOwn(t, 'onfoo'), false);
    assert.ok(Object.keys(Target.prototype).includes('onbar'));
  });

  it('throws "Illegal invocation" TypeErrors on non-instances', () => {
    assert.throws(() => Target.prototype.onfoo, {
      name: 'TypeError',
      message: 'Illegal invocation',
    });
    assert.throws(
      () => {
        Target.prototype.onfoo = null;
      },
      { name: 'TypeError', message: 'Illegal invocation' },
    );
    const desc = Object.getOwnPropertyDescriptor(Target.prototype, 'onfoo')!;
    assert.throws(() => desc.get!.call(new EventTarget()), TypeError);
    assert.throws(() => desc.set!.call({}, () => {}), TypeError);
  });

  it('works on subclasses', () => {
    class Sub extends Target {}
    const s = new Sub();
    let calls = 0;
    s.onfoo = () => calls++;
    s.dispatchEvent(new Event('foo'));
    assert.equal(calls, 1);
  });

  it('reports a throwing handler as an uncaught exception and runs the other listeners', function () {
    this.timeout(10000);
    // In a child process, since Mocha treats an uncaught exception as a failure of its own.
    const module = path.join(__dirname, '..', 'lib', 'event-target.js');
    const script = `
      const { defineEventHandlers } = require(${JSON.stringify(module)});
      class T extends EventTarget {}
      defineEventHandlers(T, ['foo']);
      const t = new T();
      const log = [];
      process.on('uncaughtException', (e) => {
        log.push('uncaught:' + e.message);
        process.stdout.write(JSON.stringify(log));
      });
      t.onfoo = () => { log.push('handler'); throw new Error('boom'); };
      t.addEventListener('foo', () => log.push('after'));
      t.dispatchEvent(new Event('foo'));
    `;
    const out = execFileSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
    });
    assert.deepEqual(JSON.parse(out), ['handler', 'after', 'uncaught:boom']);
  });
});
