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
  const fail = (where, err) => post({ kind: 'error', where, message: String((err && err.stack) || err) });

  let pc = null;
  let closed = false;
  const channels = new Map();
  // What to do with received tracks (T.media): send video back, analyse audio.
  const media = { loopback: false, analyseAudio: false };
  let audioContext = null;
  const timers = [];
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

  // A received video track plays in a <video> element; every frame it presents is reported.
  function renderVideo(track) {
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = new MediaStream([track]);
    document.body.append(video);
    const onFrame = (_now, meta) => {
      if (closed) return;
      report({ type: 'video-frame', width: meta.width, height: meta.height });
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    video.play().catch((err) => fail('video.play', err));
  }

  // A received audio track plays in an <audio> element: Chromium decodes remote audio only
  // while something plays it out. With media.analyseAudio, an AnalyserNode reports the
  // strongest frequency every 100 ms while there is any signal.
  function playAudio(track) {
    const audio = document.createElement('audio');
    audio.muted = true;
    audio.srcObject = new MediaStream([track]);
    document.body.append(audio);
    audio.play().catch((err) => fail('audio.play', err));
    if (!media.analyseAudio) return;
    audioContext = audioContext || new AudioContext();
    const analyser = audioContext.createAnalyser();
    analyser.fftSize = 8192;
    analyser.smoothingTimeConstant = 0;
    audioContext.createMediaStreamSource(new MediaStream([track])).connect(analyser);
    const bins = new Float32Array(analyser.frequencyBinCount);
    const binHz = audioContext.sampleRate / analyser.fftSize;
    timers.push(
      setInterval(() => {
        if (closed) return;
        analyser.getFloatFrequencyData(bins);
        let best = 1;
        for (let i = 2; i < bins.length - 1; i++) if (bins[i] > bins[best]) best = i;
        if (!Number.isFinite(bins[best])) return; // silence
        // Parabolic interpolation between the peak bin and its neighbours (in dB).
        const [a, b, c] = [bins[best - 1], bins[best], bins[best + 1]];
        const denominator = a - 2 * b + c;
        const offset = Number.isFinite(denominator) && denominator !== 0 ? (0.5 * (a - c)) / denominator : 0;
        report({ type: 'audio-tone', frequency: (best + offset) * binHz, level: b });
      }, 100),
    );
  }

  // Sends a received video track back to where it came from, on the transceiver it arrived
  // on (made sendrecv). Called from ontrack, so when this page answers, the answer sends too.
  function loopback(transceiver, track) {
    if (transceiver.direction !== 'sendrecv') transceiver.direction = 'sendrecv';
    transceiver.sender.replaceTrack(track).catch((err) => fail('loopback replaceTrack', err));
  }

  // The mimeType of each inbound-rtp / outbound-rtp stream's codec, and its counters (the
  // shape of RtpStreamStats in media-io.ts).
  async function rtpStreams() {
    const report = await pc.getStats();
    const out = [];
    report.forEach((s) => {
      if (s.type !== 'inbound-rtp' && s.type !== 'outbound-rtp') return;
      const codec = s.codecId ? report.get(s.codecId) : undefined;
      const entry = {
        type: s.type,
        kind: s.kind,
        mimeType: codec ? codec.mimeType : null,
        packets: (s.type === 'inbound-rtp' ? s.packetsReceived : s.packetsSent) || 0,
      };
      for (const key of ['framesEncoded', 'framesDecoded', 'frameWidth', 'frameHeight']) {
        if (typeof s[key] === 'number') entry[key] = s[key];
      }
      out.push(entry);
    });
    return out;
  }

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
          renderVideo(track);
          if (media.loopback) loopback(event.transceiver, track);
        } else {
          playAudio(track);
        }
      };
    },

    fromNode(text) {
      // Like an application would: after close(), late signaling (Node keeps trickling) is
      // dropped.
      if (closed) return;
      const msg = JSON.parse(text);
      incoming = incoming.then(() => handlers[msg.type](msg)).catch((err) => fail(`handling ${msg.type}`, err));
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

    // With codecs (mimeTypes), the transceiver prefers those codecs' entries of
    // RTCRtpReceiver.getCapabilities(kind), in that order, before the negotiationneeded offer.
    addTransceiver(kind, direction, codecs) {
      const transceiver = pc.addTransceiver(kind, { direction });
      if (codecs) {
        const capabilities = RTCRtpReceiver.getCapabilities(kind).codecs;
        transceiver.setCodecPreferences(
          codecs.flatMap((codec) => capabilities.filter((c) => c.mimeType.toLowerCase() === codec.toLowerCase())),
        );
      }
    },

    media(options) {
      Object.assign(media, options);
    },

    async addUserMedia(constraints) {
      const stream = await navigator.mediaDevices.getUserMedia(constraints || { audio: true, video: true });
      for (const track of stream.getTracks()) pc.addTrack(track, stream);
      return stream.getTracks().map((t) => ({ kind: t.kind, settings: t.getSettings() }));
    },

    stats() {
      return rtpStreams();
    },

    descriptions() {
      return {
        local: pc.localDescription && pc.localDescription.sdp,
        remote: pc.remoteDescription && pc.remoteDescription.sdp,
      };
    },

    close() {
      closed = true;
      for (const timer of timers) clearInterval(timer);
      pc.close();
    },
  };
})();
