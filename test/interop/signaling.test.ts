// MDN's "Signaling and video calling" flow between Chromium and the Node peer, both ways round.
import * as assert from 'node:assert/strict';

import { useInterop, type Session } from './harness.js';
import { implName } from './impl.js';

/** The browser opens 'chat' (its negotiationneeded makes the offer) and checks the echo. */
async function browserOffersChat(s: Session): Promise<void> {
  await s.browser.createChannel('chat');
  await s.bothConnected();
  assert.deepEqual(s.browser.view.sent[0]?.type, 'video-offer', 'the browser offered');
  assert.deepEqual(s.node.view.sent[0]?.type, 'video-answer', 'node answered');
  await s.until(
    () => s.browser.view.channel('chat').opened && s.node.view.channels.get('chat')?.opened,
    "'chat' open on both sides",
  );
  const { there, back } = await s.echo('browser', 'chat', ['hello from chromium']);
  assert.deepEqual(there, ['hello from chromium']);
  assert.deepEqual(back, ['hello from chromium']);
}

describe(`interop: signaling with Chromium [${implName}]`, function () {
  this.timeout(30000);
  const interop = useInterop();

  it('a. browser offers, node answers with createAnswer() (promise form)', async function () {
    const s = await interop.open({ answerStyle: 'promise' });
    await browserOffersChat(s);
    assert.equal(s.node.view.channel('chat').created, 'remote');
    // Trickle went both ways.
    assert.ok(
      s.browser.view.sent.some((m) => m.type === 'new-ice-candidate'),
      'browser trickled candidates',
    );
    assert.ok(
      s.node.view.sent.some((m) => m.type === 'new-ice-candidate'),
      'node trickled candidates',
    );
    assert.deepEqual(s.node.view.signalingStates, ['have-remote-offer', 'stable']);
    assert.equal(s.node.pc.connectionState, 'connected');
    assert.equal(s.node.pc.signalingState, 'stable');
  });

  it('b. browser offers, node answers with createAnswer(successCallback, failureCallback)', async function () {
    const s = await interop.open({ answerStyle: 'callback' });
    await browserOffersChat(s);
    assert.equal(s.node.legacy.successArgs.length, 1, 'successCallback called once');
    assert.equal(s.node.legacy.failureArgs.length, 0, 'failureCallback not called');
    const answer = s.node.legacy.successArgs[0] as { type?: unknown; sdp?: unknown };
    assert.equal(answer.type, 'answer');
    assert.equal(typeof answer.sdp, 'string');
    assert.match(answer.sdp as string, /^v=0\r\n/);
  });

  it('b. the legacy createAnswer(success, failure) returns a promise resolved with undefined', async function () {
    const s = await interop.open({ answerStyle: 'callback' });
    await browserOffersChat(s);
    assert.equal(s.node.legacy.returned.length, 1);
    assert.ok(s.node.legacy.returned[0] instanceof Promise, 'returns a Promise');
    await s.until(() => s.node.legacy.resolvedWith.length === 1, 'the returned promise to settle');
    // WebRTC 1.0 §4.4.3 (legacy interface extensions): "Return a promise resolved with undefined."
    assert.equal(s.node.legacy.resolvedWith[0], undefined);
  });

  it('c. node offers, browser answers', async function () {
    const s = await interop.open();
    await s.node.createChannel('chat');
    await s.bothConnected();
    assert.equal(s.node.view.sent[0]?.type, 'video-offer', 'node offered');
    assert.equal(s.browser.view.sent[0]?.type, 'video-answer', 'the browser answered');
    assert.deepEqual(s.node.view.signalingStates, ['have-local-offer', 'stable']);
    await s.until(
      () => s.node.view.channel('chat').opened && s.browser.view.channels.get('chat')?.opened,
      "'chat' open on both sides",
    );
    const { there, back } = await s.echo('node', 'chat', ['hello from node']);
    assert.deepEqual(there, ['hello from node']);
    assert.deepEqual(back, ['hello from node']);
  });
});
