'use strict';
// A desktop-capture app: this machine's screen (or one window) and microphone, streamed to
// any browser that opens the viewer page, through the demo's signaling server
// (examples/server.js). The capture is the browser API — mediaDevices.getDisplayMedia() and
// getUserMedia() — over X11 (or PipeWire) and PulseAudio.
//
//   node examples/desktop-capture.js                 # the primary screen and the default microphone
//   node examples/desktop-capture.js --list          # the screens and windows it can capture
//   node examples/desktop-capture.js --source window:0x3a00007 --no-audio --frame-rate 15
//
// Then open the printed URL (viewer.html) in a browser: it offers to receive, the Node peer
// answers with the capture. Ctrl-C stops the capture and the server; the process then exits.

const { startServer } = require('./server.js');
const { loadImpl } = require('./client.js');

const USAGE = `usage: node examples/desktop-capture.js [--port N] [--source ID] [--frame-rate N] [--no-audio] [--list]
  --port N          port on 127.0.0.1 (default 8080; 0 picks a free one)
  --source ID       what to capture: an id from --list (default: the primary screen)
  --frame-rate N    capture frame rate (default 30)
  --no-audio        no microphone
  --list            print the screens and windows that can be captured, and the audio inputs
`;

function parseArgs(argv) {
  const opts = { port: 8080, source: undefined, frameRate: 30, audio: true, list: false };
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
    } else if (a === '--source' || a.startsWith('--source=')) {
      const v = value();
      // Window ids as xwininfo prints them (hex) are accepted too.
      const m = /^(screen|window):(0x[0-9a-f]+|\d+)$/i.exec(v);
      if (!m) throw new Error(`bad --source '${v}' (screen:N or window:N, from --list)`);
      opts.source = `${m[1].toLowerCase()}:${Number(m[2])}`;
    } else if (a === '--frame-rate' || a.startsWith('--frame-rate=')) {
      const v = value();
      opts.frameRate = Number(v);
      if (!(opts.frameRate >= 1 && opts.frameRate <= 60)) throw new Error(`bad --frame-rate '${v}' (1 to 60)`);
    } else if (a === '--no-audio') opts.audio = false;
    else if (a === '--list') opts.list = true;
    else if (a === '-h' || a === '--help') opts.help = true;
    else throw new Error(`unknown argument '${a}'`);
  }
  return opts;
}

async function list(wrtc) {
  for (const source of await wrtc.nonstandard.getDisplaySources()) {
    process.stdout.write(`${source.id.padEnd(20)} ${source.kind.padEnd(7)} ${source.title}\n`);
  }
  try {
    for (const device of await wrtc.mediaDevices.enumerateDevices()) {
      if (device.kind === 'audioinput') process.stdout.write(`${'audio:' + device.deviceId}  ${device.label}\n`);
    }
  } catch (error) {
    process.stdout.write(`(no audio inputs: ${error.message})\n`);
  }
}

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
  const wrtc = loadImpl();
  const { mediaDevices, MediaStream } = wrtc;
  if (opts.list) {
    await list(wrtc);
    return;
  }

  let stream;
  try {
    stream = await mediaDevices.getDisplayMedia({ video: { frameRate: opts.frameRate }, source: opts.source });
  } catch (err) {
    process.stderr.write(
      `error: cannot capture the ${opts.source ?? 'screen'}: ${err.name}: ${err.message}\n` +
        '(an X11 session, or Xvfb: DISPLAY must name it)\n',
    );
    process.exitCode = 1;
    return;
  }
  const tracks = stream.getTracks();
  if (opts.audio) {
    try {
      tracks.push(...(await mediaDevices.getUserMedia({ audio: true })).getAudioTracks());
    } catch (err) {
      process.stderr.write(`note: no microphone (${err.name}: ${err.message}); video only\n`);
    }
  }
  const capture = new MediaStream(tracks);
  for (const track of tracks) {
    track.addEventListener('ended', () => process.stdout.write(`${track.kind} capture ended (the device went away)\n`));
  }

  const log = (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  let server;
  try {
    server = await startServer({ port: opts.port, wrtc, log, stream: capture });
  } catch (err) {
    for (const track of tracks) track.stop();
    process.stderr.write(`error: cannot listen on port ${opts.port}: ${err.message}\n`);
    process.exitCode = 1;
    return;
  }
  const video = tracks[0].getSettings();
  process.stdout.write(
    `capturing ${video.displaySurface} ${video.width}x${video.height} at ${video.frameRate} fps` +
      `${tracks.length > 1 ? ` and '${tracks[1].label}'` : ''}\n` +
      `open ${server.url}viewer.html in a browser to watch; Ctrl-C to stop\n`,
  );
  const stop = () => {
    process.stdout.write('stopping\n');
    for (const track of tracks) track.stop();
    server.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) main();
