// Browser half of the simple-peer interop tests: one SimplePeer (its UMD build, served as
// simplepeer.min.js) driven by test/interop/simple-peer.test.ts through Playwright.
//
// As in page/peer.js, everything for Node goes through window.__toNode(text) as JSON with a
// sequence number: simple-peer's own 'signal' events (kind 'signal'), what happened here
// (kind 'event') and failures (kind 'error'). Node calls SP.signal(text) with the other peer's
// signal data, one message at a time, in order.
'use strict';

(() => {
  let seq = 0;
  const post = (body) => window.__toNode(JSON.stringify({ seq: seq++, ...body }));
  const report = (ev) => post({ kind: 'event', ev });
  const fail = (where, err) => post({ kind: 'error', where, message: String((err && err.stack) || err) });

  let peer = null;
  let destroyed = false;

  const toBase64 = (bytes) => {
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(bin);
  };
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

  // Every frame a <video> element presents of the remote stream's video.
  function render(stream) {
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = stream;
    document.body.append(video);
    const onFrame = (_now, meta) => {
      if (destroyed) return;
      report({ type: 'video-frame', width: meta.width, height: meta.height });
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    video.play().catch((err) => fail('video.play', err));
  }

  window.SP = {
    // A SimplePeer with the fake camera's stream (at `camera` constraints); returns the
    // camera track's settings.
    async start({ initiator, camera }) {
      const stream = await navigator.mediaDevices.getUserMedia({ video: camera, audio: false });
      peer = new SimplePeer({ initiator, stream, config: { iceServers: [] } });
      peer.on('signal', (data) => post({ kind: 'signal', data }));
      peer.on('connect', () => report({ type: 'connect' }));
      // simple-peer hands strings and binary alike as bytes (a Buffer).
      peer.on('data', (data) => report({ type: 'data', b64: toBase64(new Uint8Array(data)) }));
      peer.on('stream', (remote) => {
        report({ type: 'stream', kinds: remote.getTracks().map((t) => t.kind) });
        render(remote);
      });
      peer.on('error', (err) => fail('simple-peer error', err));
      peer.on('close', () => report({ type: 'close' }));
      return stream.getVideoTracks()[0].getSettings();
    },

    signal(text) {
      if (!destroyed) peer.signal(JSON.parse(text));
    },

    // Items are { s: text } or { b64: bytes }.
    send(items) {
      for (const item of items) peer.send('s' in item ? item.s : fromBase64(item.b64));
    },

    destroy() {
      destroyed = true;
      if (peer) peer.destroy();
    },
  };
})();
