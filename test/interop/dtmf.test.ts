// DTMF from the Node peer to Chromium (RTCDTMFSender, webrtc-pc §7): telephone-event in the
// negotiated answer, canInsertDTMF only once the connection is connected, tonechange events in
// order with the tone buffer shrinking, and the tones heard in the page (Chromium's jitter
// buffer plays received telephone-events out as dual tones).
import * as assert from 'node:assert/strict';

import { useInterop, waitFor } from './harness.js';
import { implName } from './impl.js';
import { rtpmapNames, startToneSource } from './media-io.js';
import type { Nonstandard, RTCDTMFToneChangeEvent } from './types.js';

/** The two frequencies of each DTMF key (ITU-T Q.23). */
const DTMF_HZ: Record<string, [number, number]> = {
  '1': [697, 1209],
  '2': [697, 1336],
  '3': [697, 1477],
  '4': [770, 1209],
  '#': [941, 1477],
};

describe(`interop: DTMF to Chromium [${implName}]`, function () {
  this.timeout(40000);
  const interop = useInterop();

  it("insertDTMF('1234#', 100, 70): telephone-event negotiated, canInsertDTMF once connected, tonechange in order, tones heard", async function () {
    const s = await interop.open();
    const ns = s.wrtc.nonstandard as Nonstandard;
    assert.ok(ns, 'the implementation exports nonstandard');
    // Silence, so that whatever the page hears is the DTMF tones.
    const silence = startToneSource(ns, 440, 0);
    interop.defer(() => silence.stop());
    await s.browser.media({ analyseAudio: true });

    // Node offers one audio transceiver with its track.
    const pc = s.node.pc;
    const transceiver = pc.addTransceiver(silence.track, {
      direction: 'sendrecv',
      streams: [new s.wrtc.MediaStream!([silence.track])],
    });
    const dtmf = transceiver.sender.dtmf;
    assert.ok(dtmf, 'an audio sender has an RTCDTMFSender');
    assert.equal(transceiver.sender.dtmf, dtmf, 'the same RTCDTMFSender every time');
    assert.equal(dtmf.canInsertDTMF, false, 'canInsertDTMF before negotiation');
    assert.throws(() => dtmf.insertDTMF('1'), { name: 'InvalidStateError' }, 'insertDTMF before negotiation');

    // canInsertDTMF as each state event sees it; and insertDTMF while not connected yet.
    const seen: { event: string; connectionState: string; currentDirection: string | null; canInsertDTMF: boolean }[] =
      [];
    const early: string[] = [];
    const sample = (event: string) => () => {
      seen.push({
        event,
        connectionState: pc.connectionState,
        currentDirection: transceiver.currentDirection,
        canInsertDTMF: dtmf.canInsertDTMF,
      });
      if (pc.connectionState !== 'connected' && transceiver.currentDirection === 'sendonly') {
        try {
          dtmf.insertDTMF('9');
          early.push('no exception');
        } catch (err) {
          early.push((err as Error).name);
        }
      }
    };
    pc.addEventListener('signalingstatechange', sample('signalingstatechange'));
    pc.addEventListener('connectionstatechange', sample('connectionstatechange'));
    const tones: { tone: string; toneBuffer: string }[] = [];
    dtmf.addEventListener('tonechange', (event: RTCDTMFToneChangeEvent) => {
      tones.push({ tone: event.tone, toneBuffer: dtmf.toneBuffer });
      s.changes.emit('change');
    });

    await s.bothConnected(20000);
    const answer = s.browser.view.sentSdp('video-answer')[0] ?? '';
    assert.ok(
      rtpmapNames(answer, 'audio').includes('telephone-event'),
      `telephone-event in the browser's answer:\n${answer}`,
    );
    assert.equal(transceiver.currentDirection, 'sendonly', 'the page only receives');

    // Spec §7.3: false unless the connection is connected (and the direction sends).
    const before = seen.filter((x) => x.connectionState !== 'connected');
    assert.ok(
      before.some((x) => x.currentDirection === 'sendonly'),
      `an event after the answer, before connected: ${JSON.stringify(seen)}`,
    );
    assert.deepEqual(
      before.filter((x) => x.canInsertDTMF),
      [],
      'canInsertDTMF is false until connected',
    );
    assert.ok(
      early.length > 0 && early.every((name) => name === 'InvalidStateError'),
      `insertDTMF before connected throws InvalidStateError: ${early.join(', ')}`,
    );
    const atConnected = seen.find((x) => x.event === 'connectionstatechange' && x.connectionState === 'connected');
    assert.equal(
      atConnected?.canInsertDTMF,
      true,
      `canInsertDTMF when connectionstatechange says connected: ${JSON.stringify(seen)}`,
    );
    assert.equal(dtmf.canInsertDTMF, true, 'canInsertDTMF once connected');

    // Wait for the first packets, so the page plays the audio out when the tones come.
    await s.until(() => s.browser.view.tracks.some((t) => t.unmuted), 'the audio track unmuted in the page', 20000);
    const tonesBefore = s.browser.view.tones.length;
    dtmf.insertDTMF('1234#', 100, 70);
    assert.equal(dtmf.toneBuffer, '1234#', 'toneBuffer right after insertDTMF');
    await s.until(() => tones.some((t) => t.tone === ''), "the final '' tonechange", 20000);
    assert.deepEqual(
      tones,
      [
        { tone: '1', toneBuffer: '234#' },
        { tone: '2', toneBuffer: '34#' },
        { tone: '3', toneBuffer: '4#' },
        { tone: '4', toneBuffer: '#' },
        { tone: '#', toneBuffer: '' },
        { tone: '', toneBuffer: '' },
      ],
      'tonechange events, with toneBuffer as each saw it',
    );

    // The page heard the keys: node's track is silence, so a loud strongest frequency that is
    // a DTMF one comes from the telephone-events. Two different ones: more than one key arrived.
    const dtmfHz = [...new Set(Object.values(DTMF_HZ).flat())];
    const heard = () => {
      const found = new Set<number>();
      for (const t of s.browser.view.tones.slice(tonesBefore)) {
        const hz = dtmfHz.find((f) => Math.abs(t.frequency - f) <= 15);
        if (hz !== undefined && t.level > -70) found.add(hz);
      }
      return found.size >= 2;
    };
    await waitFor(s.changes, heard, 10000, 'two different DTMF frequencies in the page', () => s.describe());
  });
});
