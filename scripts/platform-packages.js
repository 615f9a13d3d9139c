'use strict';
// The per-platform packages, as @roamhq/wrtc and node-datachannel publish theirs: one npm
// package per prebuilt binary, libwebrtc-node-<platform>-<arch>, whose package.json `os`, `cpu`
// (and `libc` on Linux) let npm install only the one that fits, as an optional dependency of
// libwebrtc-node. Each holds prebuilds/<platform>-<arch>/<file>.node, node-gyp-build's layout,
// where lib/binding.ts looks when the main package has no binary of its own.
//
//   node scripts/platform-packages.js --prebuilds <dir> --out <dir> [--write-optional-dependencies]
// <dir> of --prebuilds holds <platform>-<arch>/ folders (npm run prebuild's prebuilds/, or the
// workflow's artifacts). Prints { packages: [dirs], optionalDependencies } as JSON; with
// --write-optional-dependencies, also sets them in this package's package.json (the publish
// step of .github/workflows/prebuild.yml does, just before publishing).
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

function parseArgs(argv) {
  const opts = { prebuilds: null, out: null, write: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--prebuilds') opts.prebuilds = argv[++i];
    else if (argv[i] === '--out') opts.out = argv[++i];
    else if (argv[i] === '--write-optional-dependencies') opts.write = true;
    else throw new Error(`unknown argument '${argv[i]}'`);
  }
  if (!opts.prebuilds || !opts.out)
    throw new Error('usage: --prebuilds <dir> --out <dir> [--write-optional-dependencies]');
  return opts;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const main = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const packages = [];
  const optionalDependencies = {};
  for (const target of fs.readdirSync(opts.prebuilds).sort()) {
    const m = /^(linux|darwin|win32)-(x64|arm64)$/.exec(target);
    if (!m) continue;
    const [, platform, arch] = m;
    const binaries = fs.readdirSync(path.join(opts.prebuilds, target)).filter((f) => f.endsWith('.node'));
    if (binaries.length === 0) continue;
    const name = `${main.name}-${target}`;
    const dir = path.join(opts.out, name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, 'prebuilds', target), { recursive: true });
    for (const file of binaries)
      fs.copyFileSync(path.join(opts.prebuilds, target, file), path.join(dir, 'prebuilds', target, file));
    const pkg = {
      name,
      version: main.version,
      description: `The ${target} native addon of ${main.name} (installed by it as an optional dependency)`,
      license: main.license,
      os: [platform],
      cpu: [arch],
      ...(platform === 'linux' ? { libc: ['glibc'] } : {}),
      files: ['prebuilds/'],
      ...(main.repository ? { repository: main.repository } : {}),
    };
    fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    fs.writeFileSync(
      path.join(dir, 'README.md'),
      `# ${name}\n\nThe prebuilt native addon of [${main.name}](https://www.npmjs.com/package/${main.name}) for ${target}.\n` +
        `Install ${main.name}, not this: npm adds the package for your platform by itself.\n`,
    );
    packages.push(dir);
    optionalDependencies[name] = main.version;
  }
  if (opts.write) {
    main.optionalDependencies = optionalDependencies;
    fs.writeFileSync(path.join(root, 'package.json'), `${JSON.stringify(main, null, 2)}\n`);
  }
  process.stdout.write(`${JSON.stringify({ packages, optionalDependencies }, null, 2)}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`platform-packages: ${error.message}\n`);
  process.exitCode = 1;
}
