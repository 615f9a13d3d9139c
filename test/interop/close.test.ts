// The browser goes away and the Node peer notices. Measured with Chromium 156 (and the same with
// two Chromium pages, so this is Chromium's behaviour, not the Node side's):
//
// - pc.close() in the page, or navigating away (the document is destroyed, Chromium closes its
//   peer connections): Chromium ends the SCTP association (ABORT) and the DTLS session
//   (close_notify), so the channel's close event comes within milliseconds; ICE consent checks
//   then fail and the states leave 'connected' (to 'failed' about 15 s later).
// - closing the tab (Playwright's page.close(), i.e. Target.closeTarget): the renderer process
//   just exits, nothing is sent. Only ICE notices: 'disconnected' after ~5 s (not always
//   reported), connectionState 'failed' after ~15 s. The channel stays open on the remote side (a Chromium peer's too)
//   until SCTP itself gives up, minutes later, so that case asserts the states only.
//
// Every wait has a generous timeout; none is a sleep.
import * as assert from 'node:assert/strict';

import { useInterop, type Session } from './harness.js';
import { implName } from './impl.js';

const LIVE_ICE: readonly string[] = ['connected', 'completed'];
const GONE: readonly string[] = ['disconnected', 'failed'];

async function connectChat(s: Session): Promise<void> {
  await s.browser.createChannel('chat');
  await s.bothConnected();
  await s.until(
    () => s.node.view.channels.get('chat')?.opened && s.browser.view.channels.get('chat')?.opened,
    "'chat' open on both sides",
  );
  assert.deepEqual((await s.echo('browser', 'chat', ['hi'])).back, ['hi']);
}

/** Node's ICE and connection states leave 'connected', to 'disconnected' or 'failed'. */
async function nodeStatesLeaveConnected(s: Session): Promise<void> {
  const node = s.node.view;
  await s.until(
    () => !LIVE_ICE.includes(node.iceConnectionState),
    "node's iceConnectionState to leave 'connected'",
    60000,
  );
  await s.until(() => node.connectionState !== 'connected', "node's connectionState to leave 'connected'", 60000);
  assert.ok(GONE.includes(node.iceConnectionState), `iceConnectionState is ${node.iceConnectionState}`);
  assert.ok(GONE.includes(node.connectionState), `connectionState is ${node.connectionState}`);
  // The getters agree with the last events.
  assert.equal(s.node.pc.iceConnectionState, node.iceConnectionState);
  assert.equal(s.node.pc.connectionState, node.connectionState);
  // The remote going away does not close the local peer.
  assert.equal(s.node.pc.signalingState, 'stable');
}

async function nodeSeesChannelClose(s: Session): Promise<void> {
  await s.until(() => s.node.view.channel('chat').closed, "the 'chat' channel's close event on node", 15000);
}

describe(`interop: the browser leaves [${implName}]`, function () {
  this.timeout(90000);
  const interop = useInterop();

  it("g. pc.close() in the page: node's channel closes at once, then its states leave connected", async function () {
    const s = await interop.open();
    await connectChat(s);
    await s.browser.close();
    await nodeSeesChannelClose(s);
    await nodeStatesLeaveConnected(s);
  });

  it("g. the page navigates away: node's channel closes at once, then its states leave connected", async function () {
    const s = await interop.open();
    await connectChat(s);
    s.browser.closed = true;
    await s.page.goto('about:blank');
    await nodeSeesChannelClose(s);
    await nodeStatesLeaveConnected(s);
  });

  it('g. the page (tab) closes: node sees ICE go disconnected and the connection fail', async function () {
    const s = await interop.open();
    await connectChat(s);
    s.browser.closed = true;
    await s.page.close();
    await nodeStatesLeaveConnected(s);
    // Consent freshness runs out: 'failed' (directly, or after 'disconnected': both were seen).
    await s.until(() => s.node.view.connectionState === 'failed', "node's connectionState 'failed'", 60000);
  });
});
