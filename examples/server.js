'use strict';
// The demo: a WebSocket signaling server whose peer answers every caller, plus a built-in Node
// client that calls it and prints a report.
//
//   node examples/server.js                      # server + built-in client, report, exit
//   node examples/server.js --serve              # keep serving (open the printed URL in a browser)
//   node examples/server.js --port 0 --impl @roamhq/wrtc
//
// Signaling is MDN's "Signaling and video calling" flow, JSON over the socket:
//   client → server  {type:'video-offer', sdp}
//   server → client  {type:'video-answer', sdp}
//   both ways        {type:'new-ice-candidate', candidate}   (RTCIceCandidate JSON; the
//                                                             end-of-candidates null is not sent)
//   client → server  {type:'hang-up'}
// The server's peer echoes every data channel message back, unchanged, on its channel.
// An HTTP server on the same port serves examples/public/ (the browser page).

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { WebSocketServer } = require('ws');
const { runClient, loadImpl, implLabel, armHardTimeout } = require('./client.js');

const PUBLIC_DIR = path.join(__dirname, 'public');
const HOST = '127.0.0.1';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.wasm': 'application/wasm',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
};

// ---------------------------------------------------------------------------------------------
// Static files

/**
 * Serves GET/HEAD requests from `root`. The URL path is decoded once, must not contain NUL or
 * backslashes, is normalised, and must resolve (symlinks included) to a regular file inside
 * `root`. Anything else is a 4xx.
 */
function createStaticHandler(root) {
  let realRoot = null;
  return async function serveStatic(req, res) {
    const reply = (status, text, extra = {}) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...extra });
      res.end(req.method === 'HEAD' ? undefined : `${text}\n`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return reply(405, 'method not allowed', { Allow: 'GET, HEAD' });
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    } catch {
      return reply(400, 'bad request');
    }
    if (pathname.includes('\0') || pathname.includes('\\')) return reply(400, 'bad request');
    if (pathname.endsWith('/')) pathname += 'index.html';
    const relative = path.posix.normalize(pathname).replace(/^\/+/, '');
    if (relative.split('/').includes('..')) return reply(403, 'forbidden');
    try {
      realRoot ??= await fs.promises.realpath(root);
      const file = await fs.promises.realpath(path.join(realRoot, relative));
      if (file !== realRoot && !file.startsWith(realRoot + path.sep)) return reply(403, 'forbidden');
      const stat = await fs.promises.stat(file);
      if (stat.isDirectory()) {
        // /dir → /dir/ so relative URLs in its index.html resolve inside it.
        return reply(301, 'moved', { Location: `${pathname}/` });
      }
      if (!stat.isFile()) return reply(404, 'not found');
      const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      res.writeHead(200, {
        'Content-Type': type,
        'Content-Length': stat.size,
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
      });
      if (req.method === 'HEAD') return res.end();
      const stream = fs.createReadStream(file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch (err) {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') {
        realRoot = realRoot && fs.existsSync(realRoot) ? realRoot : null;
        return reply(404, 'not found');
      }
      if (err.code === 'EACCES') return reply(403, 'forbidden');
      return reply(500, 'internal error');
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Signaling: one answering peer per socket

/**
 * One caller. With `stream` (a MediaStream), the answering peer also sends its tracks: they go
 * on the transceivers the caller's offer made (a viewer offers to receive), added once the
 * offer is applied, so the answer sends them (examples/desktop-capture.js).
 */
function handleSocket(ws, wrtc, log, id, stream) {
  const { RTCPeerConnection, RTCIceCandidate } = wrtc;
  let pc = null;
  let pending = []; // candidates that arrived before the offer was applied
  let chain = Promise.resolve();

  const send = (msg) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };

  const closePeer = (why) => {
    if (!pc) return;
    log(`[${id}] closing peer connection (${why})`);
    try {
      pc.close();
    } catch (err) {
      log(`[${id}] pc.close() threw: ${err.message}`);
    }
    pc = null;
    pending = [];
  };

  const createPeer = () => {
    const peer = new RTCPeerConnection();
    peer.addEventListener('icecandidate', (e) => {
      // MDN sends only real candidates: the end-of-candidates null is not signaled.
      if (e.candidate && peer === pc) send({ type: 'new-ice-candidate', candidate: e.candidate });
    });
    peer.addEventListener('connectionstatechange', () => {
      if (peer === pc) log(`[${id}] connectionState ${peer.connectionState}`);
    });
    peer.addEventListener('datachannel', (e) => {
      const channel = e.channel;
      channel.binaryType = 'arraybuffer';
      log(`[${id}] data channel '${channel.label}' opened by the caller: echoing`);
      channel.addEventListener('message', (m) => {
        // Echo unchanged: a string stays a string, binary stays binary.
        if (channel.readyState === 'open') channel.send(m.data);
      });
    });
    return peer;
  };

  const addCandidate = async (init) => {
    try {
      await pc.addIceCandidate(new RTCIceCandidate(init));
    } catch (err) {
      log(`[${id}] addIceCandidate failed: ${err.name}: ${err.message}`);
    }
  };

  const handle = async (msg) => {
    switch (msg.type) {
      case 'video-offer': {
        if (typeof msg.sdp !== 'string') throw new Error('video-offer without an sdp string');
        // A later offer on the same socket renegotiates the same connection.
        if (!pc) pc = createPeer();
        const peer = pc;
        log(`[${id}] video-offer received`);
        await peer.setRemoteDescription({ type: 'offer', sdp: msg.sdp });
        if (peer !== pc) return; // hung up meanwhile
        if (stream) {
          const sending = new Set(
            peer
              .getSenders()
              .map((s) => s.track)
              .filter(Boolean),
          );
          for (const track of stream.getTracks()) {
            if (track.readyState === 'live' && !sending.has(track)) peer.addTrack(track, stream);
          }
        }
        for (const c of pending.splice(0)) await addCandidate(c);
        const answer = await peer.createAnswer();
        await peer.setLocalDescription(answer);
        if (peer !== pc) return;
        send({ type: 'video-answer', sdp: peer.localDescription.sdp });
        log(`[${id}] video-answer sent`);
        break;
      }
      case 'new-ice-candidate': {
        if (!msg.candidate || !msg.candidate.candidate) return; // end-of-candidates: nothing to do
        if (!pc || !pc.remoteDescription) pending.push(msg.candidate);
        else await addCandidate(msg.candidate);
        break;
      }
      case 'hang-up':
        closePeer('hang-up');
        break;
      default:
        log(`[${id}] ignoring message of type '${msg.type}'`);
    }
  };

  ws.on('message', (data, isBinary) => {
    let msg;
    try {
      if (isBinary) throw new Error('binary');
      msg = JSON.parse(String(data));
      if (!msg || typeof msg.type !== 'string') throw new Error('no type');
    } catch {
      log(`[${id}] ignoring a message that is not a JSON {type, ...} object`);
      return;
    }
    chain = chain
      .then(() => handle(msg))
      .catch((err) => {
        log(`[${id}] error handling '${msg.type}': ${err.message}`);
        send({ type: 'error', message: `${msg.type}: ${err.message}` });
      });
  });
  ws.on('close', () => {
    log(`[${id}] socket closed`);
    // After whatever is in flight, so a late answer cannot resurrect the peer.
    chain = chain.then(() => closePeer('socket closed'));
  });
  ws.on('error', (err) => log(`[${id}] socket error: ${err.message}`));
}

/**
 * Starts the HTTP + WebSocket server. Resolves to { url, wsUrl, close() }. `stream`: a
 * MediaStream every caller receives.
 */
function startServer({ port = 8080, host = HOST, wrtc, log = () => {}, publicDir = PUBLIC_DIR, stream }) {
  const serveStatic = createStaticHandler(publicDir);
  const server = http.createServer((req, res) => {
    serveStatic(req, res).catch(() => res.destroy());
  });
  const wss = new WebSocketServer({ server, maxPayload: 1024 * 1024 });
  let nextId = 1;
  wss.on('connection', (ws, req) => {
    const id = nextId++;
    log(`[${id}] socket connected from ${req.socket.remoteAddress}:${req.socket.remotePort}`);
    handleSocket(ws, wrtc, log, id, stream);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const { port: actual } = server.address();
      resolve({
        url: `http://${host}:${actual}/`,
        wsUrl: `ws://${host}:${actual}/`,
        close: () =>
          new Promise((done) => {
            for (const ws of wss.clients) ws.terminate();
            wss.close(() => server.close(() => done()));
            server.closeAllConnections?.();
          }),
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const opts = { port: 8080, impl: undefined, serve: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--port' || a.startsWith('--port=')) {
      const v = value();
      opts.port = Number(v);
      if (!/^\d+$/.test(v) || opts.port > 65535) throw new Error(`bad --port '${v}'`);
    } else if (a === '--impl' || a.startsWith('--impl=')) opts.impl = value();
    else if (a === '--serve') opts.serve = true;
    else if (a === '--verbose' || a === '-v') opts.verbose = true;
    else if (a === '-h' || a === '--help') opts.help = true;
    else throw new Error(`unknown argument '${a}'`);
  }
  return opts;
}

const USAGE = `usage: node examples/server.js [--port N] [--impl <module>] [--serve] [--verbose]
  --port N        port on 127.0.0.1 (default 8080; 0 picks a free one)
  --impl <module> WebRTC implementation (default: this package's root; e.g. @roamhq/wrtc)
  --serve         keep serving for other clients (a browser) instead of running the built-in client
  --verbose       log signaling activity to stderr (always on with --serve)
`;

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err.message}\n${USAGE}`);
    process.exitCode = 64;
    return;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return;
  }
  const progress = { stage: 'loading the implementation' };
  if (!opts.serve) armHardTimeout(progress);

  let wrtc;
  try {
    wrtc = loadImpl(opts.impl);
  } catch (err) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = 1;
    return;
  }
  const label = implLabel(opts.impl);
  const log = opts.serve
    ? (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`)
    : opts.verbose
      ? (line) => process.stderr.write(`[server] ${line}\n`)
      : () => {};

  progress.stage = 'starting the server';
  let server;
  try {
    server = await startServer({ port: opts.port, wrtc, log });
  } catch (err) {
    process.stderr.write(`error: cannot listen on ${HOST}:${opts.port}: ${err.message}\n`);
    process.exitCode = 1;
    return;
  }

  if (opts.serve) {
    process.stdout.write(
      `signaling server (implementation: ${label})\n` +
        `open ${server.url} in a browser (WebSocket: ${server.wsUrl}); Ctrl-C to stop\n`,
    );
    if (!fs.existsSync(path.join(PUBLIC_DIR, 'index.html'))) {
      process.stdout.write(
        `note: ${path.relative(process.cwd(), PUBLIC_DIR) || PUBLIC_DIR}/index.html does not exist yet\n`,
      );
    }
    const stop = () => {
      process.stdout.write('stopping\n');
      server.close();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return;
  }

  process.stdout.write(`signaling server listening on ${server.url}\n\n`);
  const ok = await runClient({ url: server.wsUrl, wrtc, label, progress });
  progress.stage = 'closing the server';
  await server.close();
  // Everything is closed: the process must now exit by itself (the hard timeout reports it
  // if it does not).
  progress.stage = 'exiting';
  process.exitCode = ok ? 0 : 1;
}

module.exports = { startServer, createStaticHandler };

if (require.main === module) main();
