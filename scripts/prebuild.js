'use strict';
// `npm run prebuild`: the prebuilt binary of this platform, where node-gyp-build loads it:
// prebuilds/<platform>-<arch>/libwebrtc-node[.glibc].node, made by prebuildify (Node-API:
// one binary for every Node version since 18, and for Electron) over cmake-js
// (scripts/cmake-js-as-node-gyp.js), stripped. On Linux it is then checked: it needs only the
// C library, leaves nothing unresolved, and asks for no glibc newer than Debian 12's (2.36).
// `npm pack` ships the prebuilds/ folder; the per-platform packages
// (libwebrtc-node-<platform>-<arch>, .github/workflows/prebuild.yml) carry one each.
//
//   node scripts/prebuild.js [--skip-setup]     prints { file, bytes } as JSON
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const MAX_GLIBC = '2.36'; // Debian 12

const root = path.join(__dirname, '..');
const linux = process.platform === 'linux';

function run(command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: ['ignore', process.stderr, process.stderr] });
  if (r.error) throw new Error(`cannot run ${command}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status ?? r.signal})`);
}

function main() {
  // On Debian the set-up script installs the build's packages; elsewhere (the workflow) the
  // build's dependencies are prepared before.
  if (linux && !process.argv.includes('--skip-setup')) run('bash', ['scripts/setup.sh']);
  const prebuildify = require.resolve('prebuildify/bin.js');
  run(process.execPath, [
    prebuildify,
    '--napi',
    '--strip',
    ...(linux ? ['--tag-libc'] : []),
    '--node-gyp',
    path.join(__dirname, 'cmake-js-as-node-gyp.js'),
  ]);
  const dir = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  const file = path.join(dir, `libwebrtc-node${linux ? '.glibc' : ''}.node`);
  if (!fs.existsSync(file)) throw new Error(`prebuildify made no ${path.relative(root, file)}`);
  if (linux) run(process.execPath, [path.join(__dirname, 'check-native.js'), file, '--max-glibc', MAX_GLIBC]);
  process.stdout.write(`${JSON.stringify({ file: path.relative(root, file), bytes: fs.statSync(file).size })}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`prebuild: ${error.message}\n`);
  process.exitCode = 1;
}
