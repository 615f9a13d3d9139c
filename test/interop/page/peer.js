// Browser half of the interop harness: test/interop/harness.ts drives it through Playwright.
//
// Everything sent to Node goes through one exposed function, window.__toNode(text), as JSON text
// with a sequence number: it stands in for a signaling socket, and its messages are either
// signaling (MDN's "Signaling and video calling" messages: video-offer, video-answer,
// new-ice-candidate) or reports of what happened here (states, channel events, messages).
// Node calls back with T.fromNode(text) for signaling and T.<action>() for the rest.
'use strict';

(() => {
  let seq = 0;
  const post = (body) => window.__toNode(JSON.stringify({ seq: seq++, ...body }));
  const report = (ev) => post({ kind: 'event', ev });
  const sendToServer = (m) => post({ kind: 'signal', m });
  const fail = (where, err) =>
    post({ kind: 'error', where, message: String((err && err.stack) || err) });

  let pc = null;
  let closed = false;
  const channels = new Map();
  // Incoming signaling is handled one message at a time, in arrival order.
  let incoming = Promise.resolve();

  const toBase64 = (buffer) => {
    const bytes = new Uint8Array(buffer);
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(bin);
  };
  const fromBase64 = (text) => {
    const bin = atob(text);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes.buffer;
  };
  const encode = (data) => {
    if (typeof data === 'string') return { s: data };
    if (data instanceof ArrayBuffer) return { b64: toBase64(data) };
    return { other: Object.prototype.toString.call(data) };
  };
  const decode = (item) => ('s' in item ? item.s : fromBase64(item.b64));

  // The side that receives a channel (ondatachannel) echoes everything on it; the side that
  // created it records what comes back. Both sides report every message they receive.
  function wireChannel(dc, created) {
    dc.binaryType = 'arraybuffer';
    channels.set(dc.label, dc);
    report({ type: 'channel', label: dc.label, created, readyState: dc.readyState });
    dc.onopen = () => report({ type: 'open', label: dc.label });
    dc.onclose = () => report({ type: 'close', label: dc.label });
    dc.onerror = (e) => report({ type: 'channel-error', label: dc.label, message: String(e.error) });
    dc.onmessage = (e) => {
      report({ type: 'message', label: dc.label, data: encode(e.data) });
      if (created === 'remote') dc.send(e.data);
    };
  }

  // MDN's handleNegotiationNeededEvent.
  async function handleNegotiationNeededEvent() {
    report({ type: 'negotiationneeded' });
    try {
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      sendToServer({ type: 'video-offer', sdp: pc.localDescription });
    } catch (err) {
      fail('negotiationneeded', err);
    }
  }

  // MDN's handleVideoOfferMsg, without the camera.
  async function handleVideoOfferMsg(msg) {
    const desc = new RTCSessionDescription(msg.sdp);
    await pc.setRemoteDescription(desc);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    sendToServer({ type: 'video-answer', sdp: pc.localDescription });
  }

  async function handleVideoAnswerMsg(msg) {
    const desc = new RTCSessionDescription(msg.sdp);
    await pc.setRemoteDescription(desc);
  }

  async function handleNewICECandidateMsg(msg) {
    const candidate = new RTCIceCandidate(msg.candidate);
    await pc.addIceCandidate(candidate);
  }

  const handlers = {
    'video-offer': handleVideoOfferMsg,
    'video-answer': handleVideoAnswerMsg,
    'new-ice-candidate': handleNewICECandidateMsg,
  };

  const reportState = (which) =>
    report({
      type: 'state',
      which,
      connectionState: pc.connectionState,
      iceConnectionState: pc.iceConnectionState,
      signalingState: pc.signalingState,
    });

  window.T = {
    start(config) {
      pc = new RTCPeerConnection(config);
      pc.onicecandidate = (event) => {
        if (event.candidate) sendToServer({ type: 'new-ice-candidate', candidate: event.candidate });
      };
      pc.onnegotiationneeded = handleNegotiationNeededEvent;
      pc.onconnectionstatechange = () => reportState('connection');
      pc.oniceconnectionstatechange = () => reportState('ice');
      pc.onsignalingstatechange = () => reportState('signaling');
      pc.ondatachannel = (event) => wireChannel(event.channel, 'remote');
      pc.ontrack = (event) => {
        const track = event.track;
        report({ type: 'track', kind: track.kind, muted: track.muted });
        // A remote track unmutes when its first packets arrive.
        track.onunmute = () => report({ type: 'unmute', kind: track.kind });
        if (track.kind === 'video') {
          const video = document.createElement('video');
          video.muted = true;
          video.srcObject = new MediaStream([track]);
          document.body.append(video);
          let frames = 0;
          const onFrame = (now, meta) => {
            report({ type: 'video-frame', width: meta.width, height: meta.height });
            if (++frames < 3) video.requestVideoFrameCallback(onFrame);
          };
          video.requestVideoFrameCallback(onFrame);
          video.play().catch((err) => fail('video.play', err));
        }
      };
    },

    fromNode(text) {
      // Like an application would: after close(), late signaling (Node keeps trickling) is
      // dropped.
      if (closed) return;
      const msg = JSON.parse(text);
      incoming = incoming
        .then(() => handlers[msg.type](msg))
        .catch((err) => fail(`handling ${msg.type}`, err));
    },

    createChannel(label) {
      wireChannel(pc.createDataChannel(label), 'local');
    },

    send(label, items) {
      const dc = channels.get(label);
      for (const item of items) dc.send(decode(item));
    },

    restartIce() {
      pc.restartIce();
    },

    addTransceiver(kind, direction) {
      pc.addTransceiver(kind, { direction });
    },

    async addUserMedia() {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
      return stream.getTracks().map((t) => t.kind);
    },

    descriptions() {
      return {
        local: pc.localDescription && pc.localDescription.sdp,
        remote: pc.remoteDescription && pc.remoteDescription.sdp,
      };
    },

    close() {
      closed = true;
      pc.close();
    },
  };
})();
