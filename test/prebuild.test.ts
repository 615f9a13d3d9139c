// The prebuilt binary (`npm run prebuild`) and the packed package, on a system that has nothing
// but the C library: scripts/bare-system.sh assembles a Debian 12 root file system from
// Debian's libc6, libgcc-s1 and libstdc++6 plus this machine's node and npm, installs the
// `npm pack` tarball into it offline, and the package runs there in a chroot — no libtgowt,
// ffmpeg, libvpx, libsrtp, X11, PulseAudio or compiler. Needs root (chroot, mount), apt-get
// and dpkg-deb; skips, saying so, without them.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const prebuild = path.join(root, 'prebuilds', 'linux-x64', 'libwebrtc-node.glibc.node');
const MAX_BYTES = 30 * 1024 * 1024;

function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
) {
  return spawnSync(command, args, {
    encoding: 'utf8',
    timeout: options.timeout ?? 300000,
    cwd: options.cwd ?? root,
    env: options.env ?? process.env,
  });
}

function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Makes the prebuild when it is missing or older than the native sources. */
function ensurePrebuild(): void {
  const sources = Math.max(
    newestUnder(path.join(root, 'native')),
    fs.statSync(path.join(root, 'CMakeLists.txt')).mtimeMs,
  );
  if (fs.existsSync(prebuild) && fs.statSync(prebuild).mtimeMs >= sources) return;
  const r = run(process.execPath, [path.join(root, 'scripts', 'prebuild.js'), '--skip-setup'], { timeout: 1200000 });
  assert.equal(r.status, 0, `npm run prebuild failed:\n${r.stderr.slice(-4000)}`);
}

let packed: string[] | undefined;
/** `npm pack` of the package (with its prebuild) and of its two dependencies; once per run. */
function packTarballs(): string[] {
  if (packed) return packed;
  const packs = fs.mkdtempSync(path.join(os.tmpdir(), 'lwn-packs-'));
  process.once('exit', () => fs.rmSync(packs, { recursive: true, force: true }));
  for (const dir of [
    root,
    path.join(root, 'node_modules', 'node-gyp-build'),
    path.join(root, 'node_modules', 'node-addon-api'),
  ]) {
    const r = run('npm', ['pack', '--silent', '--pack-destination', packs], { cwd: dir });
    assert.equal(r.status, 0, `npm pack in ${dir}: ${r.stderr}`);
  }
  packed = fs.readdirSync(packs).map((f) => path.join(packs, f));
  const ours = packed.find((t) => path.basename(t).startsWith('libwebrtc-node-'))!;
  const listing = run('tar', ['tzf', ours]).stdout;
  assert.match(listing, /^package\/prebuilds\/linux-x64\/libwebrtc-node\.glibc\.node$/m, 'npm pack ships the prebuild');
  assert.doesNotMatch(
    listing,
    /^package\/(build|test|bench|node_modules)\//m,
    'no build tree, tests or benchmarks in the package',
  );
  return packed;
}

describe('prebuilt binary: what the .node needs', function () {
  this.timeout(1300000);
  before(function () {
    if (process.platform !== 'linux' || process.arch !== 'x64') this.skip();
    ensurePrebuild();
  });

  it('needs only the C library (libc, libm, ld.so), leaves nothing unresolved, asks for no glibc newer than Debian 12’s 2.36, and is at most 30 MB', () => {
    const r = run(process.execPath, [
      path.join(root, 'scripts', 'check-native.js'),
      prebuild,
      '--max-glibc',
      '2.36',
      '--json',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const found = JSON.parse(r.stdout) as {
      needed: string[];
      unresolved: string[];
      max_glibc: string;
      glibc_versions: string[];
    };
    assert.deepEqual(found.needed.sort(), ['ld-linux-x86-64.so.2', 'libc.so.6', 'libm.so.6']);
    assert.deepEqual(found.unresolved, []);
    assert.equal(found.max_glibc, '2.36');
    const bytes = fs.statSync(prebuild).size;
    assert.ok(bytes <= MAX_BYTES, `${bytes} bytes`);
    // Stripped: no symbol table of our code or libwebrtc's.
    const symbols = run('nm', [prebuild]);
    assert.match(symbols.stderr + symbols.stdout, /no symbols/);
  });
});

describe('prebuilt binary: the packed package on a bare system (chroot)', function () {
  this.timeout(1300000);
  let system: string | undefined;
  let chroot = 'chroot';
  // A clean environment inside: nothing of this machine's set-up (proxies, CA files) leaks in.
  const inside = (args: string[]) =>
    run(chroot, [system!, ...args], { env: { HOME: '/root', PATH: '/usr/bin', LANG: 'C.UTF-8' }, timeout: 120000 });

  before(function () {
    const why =
      process.platform !== 'linux' || process.arch !== 'x64'
        ? 'not linux-x64'
        : process.getuid?.() !== 0
          ? 'not root (chroot and mount need it)'
          : ['chroot', 'apt-get', 'dpkg-deb', 'mount'].find((p) => run('sh', ['-c', `command -v ${p}`]).status !== 0);
    if (why) {
      console.log(`      skipped: ${why === 'not linux-x64' || why.startsWith('not root') ? why : `${why} not found`}`);
      this.skip();
    }
    chroot = run('sh', ['-c', 'command -v chroot']).stdout.trim();
    ensurePrebuild();
    const tarballs = packTarballs();
    system = fs.mkdtempSync(path.join(os.tmpdir(), 'lwn-bare-'));
    const r = run('bash', [path.join(root, 'scripts', 'bare-system.sh'), system, ...tarballs]);
    if (r.status !== 0 && /apt-get|Could not resolve|Failed to fetch/.test(r.stderr)) {
      console.log(`      skipped: Debian's packages could not be downloaded:\n${r.stderr.slice(-1000)}`);
      this.skip();
    }
    assert.equal(r.status, 0, r.stderr);
    fs.copyFileSync(path.join(root, 'test', 'fixtures', 'bare-system.js'), path.join(system, 'app', 'bare-system.js'));
  });
  after(() => {
    if (system) run('bash', [path.join(root, 'scripts', 'bare-system.sh'), '--remove', system]);
  });

  it('the system has none of libtgowt’s libraries, no X11, PulseAudio or compiler', () => {
    const files = run('find', [system!, '-xdev', '-name', '*.so*']).stdout;
    for (const absent of [
      'libvpx',
      'libavcodec',
      'libsrtp',
      'libopus',
      'libX11',
      'libpulse',
      'libssl',
      'libnss3',
      'libglib',
    ]) {
      assert.doesNotMatch(files, new RegExp(absent), absent);
    }
    assert.ok(
      !fs.existsSync(path.join(system!, 'usr', 'bin', 'gcc')) && !fs.existsSync(path.join(system!, 'usr', 'bin', 'cc')),
    );
  });

  it('require() loads the prebuild and prints nothing', () => {
    const r = inside([
      '/usr/bin/node',
      '-e',
      "const w = require('/app/node_modules/libwebrtc-node'); if (typeof w.RTCPeerConnection !== 'function') process.exit(3)",
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, '');
  });

  it('a loopback call works: a data channel message and a VP8 frame through encoder and decoder, in the main thread and three workers at once; H.264 is sent but not received without ffmpeg; devices fail with NotReadableError naming the missing library; the process exits by itself', () => {
    const r = inside(['/usr/bin/node', '/app/bare-system.js']);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.equal(r.stderr, '');
    type Result = {
      message: string;
      frame: string;
      h264: { send: boolean; receive: boolean };
      screen: { name: string; message: string };
      microphone: { name: string; message: string };
      devices: number;
    };
    const out = JSON.parse(r.stdout) as { main: Result; workers: Result[] };
    assert.equal(out.workers.length, 3);
    for (const result of [out.main, ...out.workers]) {
      assert.equal(result.message, 'hello from a bare system');
      assert.equal(result.frame, '320x240');
      assert.deepEqual(result.h264, { send: true, receive: false });
      assert.equal(result.screen.name, 'NotReadableError');
      assert.match(result.screen.message, /libX11\.so\.6/);
      assert.equal(result.microphone.name, 'NotReadableError');
      assert.match(result.microphone.message, /libpulse\.so\.0/);
      assert.equal(result.devices, 0);
    }
  });

  it('with no binary for the platform, the loader says what to do', () => {
    fs.rmSync(path.join(system!, 'app', 'node_modules', 'libwebrtc-node', 'prebuilds'), {
      recursive: true,
      force: true,
    });
    const r = inside(['/usr/bin/node', '-e', "require('/app/node_modules/libwebrtc-node')"]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /no native addon for linux-x64 here/);
    assert.match(r.stderr, /libwebrtc-node-linux-x64/);
    assert.match(r.stderr, /npm run setup/);
    assert.match(r.stderr, /LIBWEBRTC_NODE_BINARY/);
  });
});

describe('source build of the installed package: one command', function () {
  this.timeout(1300000);
  let app: string | undefined;
  after(() => {
    if (app) fs.rmSync(app, { recursive: true, force: true });
  });

  it('`npm run setup` in node_modules/libwebrtc-node, with its prebuild removed, builds build/Release/ (cmake-js through npx), which then loads', function () {
    if (process.platform !== 'linux' || process.arch !== 'x64') this.skip();
    if (run('npm', ['view', 'cmake-js@8', 'version'], { timeout: 60000 }).status !== 0) {
      console.log('      skipped: the npm registry does not answer (npx fetches cmake-js)');
      this.skip();
    }
    ensurePrebuild();
    app = fs.mkdtempSync(path.join(os.tmpdir(), 'lwn-app-'));
    fs.writeFileSync(path.join(app, 'package.json'), '{"name":"app","version":"1.0.0","private":true}');
    const install = run('npm', ['install', '--no-audit', '--no-fund', '--offline', ...packTarballs()], { cwd: app });
    assert.equal(install.status, 0, install.stderr);
    const pkg = path.join(app, 'node_modules', 'libwebrtc-node');
    fs.rmSync(path.join(pkg, 'prebuilds'), { recursive: true, force: true });
    const env = { ...process.env };
    delete env.LIBWEBRTC_NODE_BINARY;
    const setup = run('npm', ['run', 'setup'], { cwd: pkg, env, timeout: 1200000 });
    assert.equal(setup.status, 0, setup.stderr.slice(-4000));
    assert.ok(fs.existsSync(path.join(pkg, 'build', 'Release', 'libwebrtc_node.node')));
    const load = run(
      process.execPath,
      ['-e', `const w = require(${JSON.stringify(pkg)}); new w.RTCPeerConnection().close(); console.log('ok')`],
      { cwd: app, env },
    );
    assert.equal(load.stdout.trim(), 'ok', load.stderr);
  });
});

describe('per-platform package (scripts/platform-packages.js)', function () {
  this.timeout(300000);
  let work: string | undefined;
  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('libwebrtc-node-linux-x64 carries the prebuild with os, cpu and libc; installed beside a package without one, the loader takes the binary from it', function () {
    if (process.platform !== 'linux' || process.arch !== 'x64') this.skip();
    ensurePrebuild();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'lwn-platform-'));
    const made = run(process.execPath, [
      path.join(root, 'scripts', 'platform-packages.js'),
      '--prebuilds',
      path.join(root, 'prebuilds'),
      '--out',
      path.join(work, 'packages'),
    ]);
    assert.equal(made.status, 0, made.stderr);
    const out = JSON.parse(made.stdout) as { packages: string[]; optionalDependencies: Record<string, string> };
    const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
      .version;
    assert.deepEqual(out.optionalDependencies, { 'libwebrtc-node-linux-x64': version });
    const dir = out.packages[0]!;
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(
      [pkg.name, pkg.os, pkg.cpu, pkg.libc],
      ['libwebrtc-node-linux-x64', ['linux'], ['x64'], ['glibc']],
    );
    const packed = run('npm', ['pack', '--silent', '--pack-destination', work], { cwd: dir });
    assert.equal(packed.status, 0, packed.stderr);
    const platformTarball = path.join(work, packed.stdout.trim());

    const app = path.join(work, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), '{"name":"app","version":"1.0.0","private":true}');
    const install = run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--offline', ...packTarballs(), platformTarball],
      { cwd: app },
    );
    assert.equal(install.status, 0, install.stderr);
    fs.rmSync(path.join(app, 'node_modules', 'libwebrtc-node', 'prebuilds'), { recursive: true, force: true });
    const env = { ...process.env };
    delete env.LIBWEBRTC_NODE_BINARY;
    const load = run(
      process.execPath,
      [
        '-e',
        "const w = require('libwebrtc-node'); new w.RTCPeerConnection().close(); console.log(Object.keys(require.cache).filter((k) => k.endsWith('.node')).join('\\n'))",
      ],
      { cwd: app, env },
    );
    assert.equal(load.status, 0, load.stderr);
    assert.match(
      load.stdout,
      /node_modules\/libwebrtc-node-linux-x64\/prebuilds\/linux-x64\/libwebrtc-node\.glibc\.node$/m,
    );
  });
});
