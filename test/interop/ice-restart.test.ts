// ICE restart between Chromium and the Node peer, started from each side.
import * as assert from 'node:assert/strict';

import { iceUfrag, useInterop, type SideName } from './harness.js';
import { implName } from './impl.js';

const SIDES: readonly SideName[] = ['browser', 'node'];

describe(`interop: ICE restart with Chromium [${implName}]`, function () {
  this.timeout(30000);
  const interop = useInterop();

  for (const by of SIDES) {
    const other: SideName = by === 'node' ? 'browser' : 'node';
    it(`f. restartIce() on the ${by}, renegotiated through negotiationneeded: new ufrags, still connected, data flows`, async function () {
      const s = await interop.open();
      await s.browser.createChannel('chat');
      await s.bothConnected();
      await s.bothStable();
      await s.until(
        () => s.node.view.channels.get('chat')?.opened && s.browser.view.channels.get('chat')?.opened,
        "'chat' open on both sides",
      );
      assert.deepEqual((await s.echo('browser', 'chat', ['before'])).back, ['before']);

      const restarter = s.side(by).view;
      const answerer = s.other(by).view;
      const [ufragBefore] = restarter.sentUfrags().slice(-1);
      const [otherUfragBefore] = answerer.sentUfrags().slice(-1);
      const descriptionsBefore = { restarter: restarter.sentUfrags().length, answerer: answerer.sentUfrags().length };
      const needed = restarter.negotiationNeeded;

      await s.side(by).restartIce();
      await s.until(() => restarter.negotiationNeeded > needed, `negotiationneeded on the ${by}`);
      await s.until(
        () =>
          restarter.sentUfrags().length > descriptionsBefore.restarter &&
          answerer.sentUfrags().length > descriptionsBefore.answerer,
        `a new offer from the ${by} and an answer from the ${other}`,
      );
      await s.bothStable();

      const ufragOffer = iceUfrag(restarter.sentSdp('video-offer').at(-1)!);
      const ufragAnswer = iceUfrag(answerer.sentSdp('video-answer').at(-1)!);
      assert.notEqual(ufragOffer, ufragBefore, `the ${by}'s offer has a new ufrag`);
      assert.notEqual(ufragAnswer, otherUfragBefore, `the ${other}'s answer has a new ufrag`);
      // What the Node peer applied is what was signaled.
      const nodeLocal = iceUfrag(s.node.pc.localDescription!.sdp);
      const nodeRemote = iceUfrag(s.node.pc.remoteDescription!.sdp);
      assert.deepEqual(by === 'node' ? [nodeLocal, nodeRemote] : [nodeRemote, nodeLocal], [ufragOffer, ufragAnswer]);

      // Candidates of the new generation were trickled both ways (they carry the new ufrag).
      await s.until(
        () =>
          restarter.sentCandidates().some((c) => c.includes(` ufrag ${ufragOffer}`)) &&
          answerer.sentCandidates().some((c) => c.includes(` ufrag ${ufragAnswer}`)),
        'new-generation candidates from both sides',
      );
      await s.bothConnected(20000);
      assert.deepEqual((await s.echo('browser', 'chat', ['after', Buffer.from([1, 2, 3])])).back, [
        'after',
        Buffer.from([1, 2, 3]),
      ]);
      assert.equal(s.node.pc.connectionState, 'connected');
    });
  }
});
