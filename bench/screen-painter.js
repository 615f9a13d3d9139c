'use strict';
// Runs inside an xterm on the bench's Xvfb (bench/screen.js): repaints the whole terminal
// window in a new colour --rate times a second (OSC 11, xterm's "set background colour"), and
// logs when each colour was asked for. The colour encodes a counter mod 64 in four levels of
// red, green and blue, coarse enough to survive I420 and a video codec.
//
//   node bench/screen-painter.js <log file> <rate>
// Log lines: "<counter> <time in ms since the epoch, from performance.timeOrigin + now()>".
const fs = require('node:fs');
const { performance } = require('node:perf_hooks');

const LEVELS = [0, 85, 170, 255];
const [logPath, rateArg] = process.argv.slice(2);
const period = 1000 / Number(rateArg || 60);
const log = fs.openSync(logPath, 'a');
const start = performance.now();
let counter = 0;

function colour(n) {
  const c = n % 64;
  return [LEVELS[c & 3], LEVELS[(c >> 2) & 3], LEVELS[(c >> 4) & 3]]
    .map((v) => v.toString(16).padStart(2, '0'))
    .join('');
}

// Drift-free: paint n is due at start + n × period.
function tick() {
  process.stdout.write(`\x1b]11;#${colour(counter)}\x07`);
  fs.writeSync(log, `${counter} ${(performance.timeOrigin + performance.now()).toFixed(3)}\n`);
  counter++;
  setTimeout(tick, Math.max(0, start + counter * period - performance.now()));
}
tick();
