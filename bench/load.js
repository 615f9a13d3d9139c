'use strict';
// Load benchmark: what a process pays to start using this package. Each run is a fresh
// `node` process (cold: nothing of the package loaded yet) that times require() of the
// package, then its first createOffer() (the libwebrtc runtime's threads and factory start
// there), and reports its RSS once that offer is made.
//
//   node bench/load.js                          # the binary the package's loader finds
//   node bench/load.js --binary a.node --binary b.node   # each named .node in turn
//   options: --runs N (15)
//
// --binary sets LIBWEBRTC_NODE_BINARY for the runs (lib/binding.ts), so a prebuild, a source
// build and an older build are measured the same way; the binaries alternate run by run.
// Prints ONE JSON document: per binary, the median of require_ms, first_offer_ms and rss_mb.

const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { progress, parseFlags, parseCount, median, round, machine, runMain } = require('./common');

const ROOT = path.resolve(__dirname, '..');

// The child: one cold load, one offer, one JSON line.
const CHILD = `
const t0 = process.hrtime.bigint();
const { RTCPeerConnection } = require(${JSON.stringify(ROOT)});
const t1 = process.hrtime.bigint();
const pc = new RTCPeerConnection();
pc.createOffer({ offerToReceiveVideo: true }).then(() => {
  const t2 = process.hrtime.bigint();
  pc.close();
  console.log(JSON.stringify({
    require_ms: Number(t1 - t0) / 1e6,
    first_offer_ms: Number(t2 - t1) / 1e6,
    rss_mb: process.memoryUsage.rss() / 2 ** 20,
  }));
});
`;

function once(binary) {
  const env = { ...process.env };
  if (binary) env.LIBWEBRTC_NODE_BINARY = path.resolve(binary);
  return JSON.parse(execFileSync(process.execPath, ['-e', CHILD], { env, encoding: 'utf8' }));
}

async function main() {
  const options = { runs: 15, binaries: [] };
  parseFlags(process.argv.slice(2), (flag, value) => {
    if (flag === '--runs') options.runs = parseCount(flag, value(), 1);
    else if (flag === '--binary') options.binaries.push(value());
    else return false;
    return true;
  });
  const binaries = options.binaries.length ? options.binaries : [null];
  const samples = new Map(binaries.map((b) => [b, []]));
  for (let i = 0; i < options.runs; i++) {
    for (const b of binaries) samples.get(b).push(once(b));
    progress(`run ${i + 1}/${options.runs}`);
  }
  const results = binaries.map((b) => {
    const runs = samples.get(b);
    const med = (key) => round(median(runs.map((r) => r[key])), 1);
    return {
      binary: b ?? 'the package loader',
      require_ms: med('require_ms'),
      first_offer_ms: med('first_offer_ms'),
      rss_mb: med('rss_mb'),
    };
  });
  process.stdout.write(`${JSON.stringify({ bench: 'load', machine: machine(), options, results }, null, 2)}\n`);
}

runMain(main);
