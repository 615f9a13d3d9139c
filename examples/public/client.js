// Browser client of the demo (examples/server.js serves it). Plain JS, no bundler.
//
// MDN's "Signaling and video calling" flow over a WebSocket to the same host:
//   → {type:'video-offer', sdp}        sdp: the offer's SDP text
//   ← {type:'video-answer', sdp}
//   ↔ {type:'new-ice-candidate', candidate}
//   → {type:'hang-up'}
// The Node peer answers and echoes every message on the 'chat' channel; the page shows the
// round-trip time of each.
'use strict';

const $ = (id) => document.getElementById(id);

function log(text, className) {
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
  if (className) li.className = className;
  $('log').prepend(li);
}

const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`);
const sendToServer = (msg) => ws.send(JSON.stringify(msg));

const pc = new RTCPeerConnection();
let chat = null;
const sentAt = []; // send times of the messages whose echo has not come back (the channel is ordered)

function showStates() {
  $('signalingState').textContent = pc.signalingState;
  $('iceConnectionState').textContent = pc.iceConnectionState;
  $('connectionState').textContent = pc.connectionState;
  $('channelState').textContent = chat ? chat.readyState : '–';
}
pc.onsignalingstatechange = showStates;
pc.oniceconnectionstatechange = showStates;
pc.onconnectionstatechange = showStates;

pc.onicecandidate = (event) => {
  if (event.candidate) sendToServer({ type: 'new-ice-candidate', candidate: event.candidate });
};

pc.onnegotiationneeded = async () => {
  try {
    await pc.setLocalDescription(await pc.createOffer());
    sendToServer({ type: 'video-offer', sdp: pc.localDescription.sdp });
  } catch (err) {
    log(`could not make an offer: ${err}`, 'error');
  }
};

// Incoming messages are handled one at a time, in order (a candidate waits for the answer).
let incoming = Promise.resolve();
ws.onmessage = (event) => {
  const msg = JSON.parse(event.data);
  incoming = incoming
    .then(async () => {
      switch (msg.type) {
        case 'video-answer':
          await pc.setRemoteDescription({ type: 'answer', sdp: msg.sdp });
          break;
        case 'new-ice-candidate':
          await pc.addIceCandidate(msg.candidate);
          break;
        case 'error':
          log(`server: ${msg.message}`, 'error');
          break;
      }
    })
    .catch((err) => log(`${msg.type}: ${err}`, 'error'));
};
ws.onclose = () => log('signaling socket closed');

function openChat() {
  chat = pc.createDataChannel('chat');
  chat.onopen = () => {
    showStates();
    $('message').disabled = $('send').disabled = false;
    $('message').focus();
  };
  chat.onclose = () => {
    showStates();
    $('message').disabled = $('send').disabled = true;
  };
  chat.onmessage = (event) => {
    const rtt = performance.now() - sentAt.shift();
    log(`echo: ${event.data}  (${rtt.toFixed(1)} ms)`, 'echo');
  };
}

$('chat').onsubmit = (event) => {
  event.preventDefault();
  const text = $('message').value;
  if (!text || !chat || chat.readyState !== 'open') return;
  sentAt.push(performance.now());
  chat.send(text);
  log(`sent: ${text}`);
  $('message').value = '';
};

$('hangup').onclick = () => {
  if (ws.readyState === WebSocket.OPEN) sendToServer({ type: 'hang-up' });
  pc.close();
  ws.close();
  showStates();
  $('hangup').disabled = true;
};

async function start() {
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', () => reject(new Error('cannot reach the signaling server')), { once: true });
  });
  // The camera and microphone if there are any (and the user agrees); the chat works without.
  let stream = null;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    $('local').srcObject = stream;
    $('media').textContent = stream
      .getTracks()
      .map((t) => t.kind)
      .join(' + ');
  } catch (err) {
    $('media').textContent = `none (${err.name}): data channel only`;
  }
  // Tracks and channel together: one negotiationneeded, one offer.
  if (stream) for (const track of stream.getTracks()) pc.addTrack(track, stream);
  openChat();
  showStates();
}

showStates();
start().catch((err) => log(String(err.message || err), 'error'));
