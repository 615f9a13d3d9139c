'use strict';
// Checks a built .node (run by the build after linking, and by test/prebuild.test.ts):
//   - it needs no shared library beyond the C library family (glibc's libc, libm, libdl,
//     libpthread, librt, ld.so; libstdc++ and libgcc_s are allowed but are linked in today);
//   - every function it leaves undefined is Node's (napi_*, node_api_*) or glibc's, so nothing
//     fails to resolve on a machine without libtgowt's dependencies (a function of a library
//     loaded at run time missing from native/runtime/lazy_symbols.inc would show up here);
//   - with --max-glibc X.Y, no glibc symbol version newer than X.Y.
// Prints what it found as JSON with --json. Exit code 1, with the reasons, when a check fails.
//
//   node scripts/check-native.js <file.node> [--max-glibc 2.36] [--json]
const { execFileSync } = require('node:child_process');

const ALLOWED_NEEDED =
  /^(libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libgcc_s\.so\.1|libstdc\+\+\.so\.6|ld-linux-[\w-]+\.so\.\d+)$/;
const NODE_SYMBOL = /^(napi_|node_api_)/;

function inspect(file) {
  const dynamic = execFileSync('readelf', ['-d', '-W', file], { encoding: 'utf8' });
  const needed = [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  const symbols = execFileSync('nm', ['-D', '--undefined-only', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const undefinedStrong = [];
  const glibcVersions = new Set();
  for (const line of symbols.split('\n')) {
    const m = /^\s*([Uw])\s+(\S+)$/.exec(line);
    if (!m) continue;
    const [, kind, full] = m;
    const [name, version] = full.split('@');
    const glibc = /^GLIBC_(\d+\.\d+(?:\.\d+)?)$/.exec(version ?? '');
    if (glibc) glibcVersions.add(glibc[1]);
    if (kind === 'U' && !glibc && !NODE_SYMBOL.test(name) && !/^(GCC|CXXABI|GLIBCXX)_/.test(version ?? '')) {
      undefinedStrong.push(full);
    }
  }
  const versions = [...glibcVersions].sort(compareVersions);
  return {
    needed,
    unresolved: undefinedStrong,
    glibc_versions: versions,
    max_glibc: versions[versions.length - 1] ?? null,
  };
}

function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

function main() {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--max-glibc');
  const maxAt = args.indexOf('--max-glibc');
  const maxGlibc = maxAt >= 0 ? args[maxAt + 1] : null;
  if (!file) {
    process.stderr.write('usage: node scripts/check-native.js <file.node> [--max-glibc X.Y] [--json]\n');
    process.exit(2);
  }
  const found = inspect(file);
  const problems = [];
  const extra = found.needed.filter((n) => !ALLOWED_NEEDED.test(n));
  if (extra.length) problems.push(`needs shared libraries beyond the C library: ${extra.join(', ')}`);
  if (found.unresolved.length) {
    problems.push(
      `leaves functions unresolved (add their library to lazy_symbols.inc, or link it in): ${found.unresolved.join(', ')}`,
    );
  }
  if (maxGlibc && found.max_glibc && compareVersions(found.max_glibc, maxGlibc) > 0) {
    const newer = found.glibc_versions.filter((v) => compareVersions(v, maxGlibc) > 0);
    problems.push(`needs glibc symbol versions newer than ${maxGlibc}: ${newer.join(', ')}`);
  }
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify({ file, ...found, problems }, null, 2)}\n`);
  if (problems.length) {
    process.stderr.write(`check-native: ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
  }
}

if (require.main === module) main();

module.exports = { inspect, compareVersions };
