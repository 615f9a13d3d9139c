#!/usr/bin/env node
'use strict';
// prebuildify builds with node-gyp; this package builds with cmake-js. prebuildify runs this in
// node-gyp's place (`--node-gyp scripts/cmake-js-as-node-gyp.js`, see `npm run prebuild`) as
// `rebuild --target=<node version> --devdir=... --arch=<arch> --release|--debug`: it builds the
// addon with cmake-js into build/Release (or build/Debug), where prebuildify then finds the .node,
// strips it and moves it into prebuilds/<platform>-<arch>/. Node-API: one build serves every
// Node version, so --target only names the headers' version, which node-api-headers provides.
const { spawnSync } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const args = process.argv.slice(2);
if (args[0] !== 'rebuild') {
  process.stderr.write(`cmake-js-as-node-gyp: only 'rebuild' is supported, got '${args[0]}'\n`);
  process.exit(2);
}
const debug = args.includes('--debug');
const arch = (args.find((a) => a.startsWith('--arch=')) ?? '').slice('--arch='.length) || os.arch();
if (arch !== os.arch()) {
  process.stderr.write(
    `cmake-js-as-node-gyp: building for ${arch} on ${os.arch()} needs a cross toolchain; build on a ${arch} machine\n`,
  );
  process.exit(2);
}
const root = path.join(__dirname, '..');
const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
const result = spawnSync(
  process.execPath,
  [
    cmakeJs,
    'rebuild',
    `--CDCMAKE_BUILD_TYPE=${debug ? 'Debug' : 'Release'}`,
    ...(debug ? ['--debug'] : []),
    '--parallel',
    String(os.availableParallelism?.() ?? os.cpus().length),
  ],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
