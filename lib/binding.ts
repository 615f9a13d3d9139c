// The one loader of the native addon. Everything in lib/ reaches native/ through this module
// and the types of binding.d.ts, nothing else.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import type * as Binding from '../binding';

export type { Binding };

/** The package root: the nearest folder above this file with a package.json (dist/ or a test build). */
function packageRoot(): string {
  let dir = path.join(__dirname, '..');
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(__dirname, '..');
    dir = parent;
  }
  return dir;
}

/**
 * The addon, from the first of: LIBWEBRTC_NODE_BINARY; this package's build/Release/ (a source
 * build) or prebuilds/<platform>-<arch>/ (node-gyp-build's layout; `npm pack` ships it); the
 * per-platform package libwebrtc-node-<platform>-<arch> (an optional dependency, with the same
 * layout). Nothing is built or downloaded at install or load time.
 */
function load(): typeof Binding {
  const override = process.env.LIBWEBRTC_NODE_BINARY;
  if (override) {
    try {
      return require(path.resolve(override));
    } catch (cause) {
      throw new Error(
        `libwebrtc-node: LIBWEBRTC_NODE_BINARY=${override} could not be loaded: ${(cause as Error).message}`,
        { cause },
      );
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const nodeGypBuild: ((dir: string) => typeof Binding) & { resolve(dir: string): string } = require('node-gyp-build');
  const target = `${process.platform}-${process.arch}`;
  const platformPackage = `libwebrtc-node-${target}`;
  const places = [packageRoot()];
  try {
    places.push(path.dirname(require.resolve(`${platformPackage}/package.json`)));
  } catch {
    // not installed (no such package for this platform, or optional dependencies omitted)
  }
  let lookup: Error | undefined;
  for (const dir of places) {
    let file: string;
    try {
      file = nodeGypBuild.resolve(dir);
    } catch (error) {
      lookup ??= error as Error;
      continue;
    }
    try {
      return require(file);
    } catch (cause) {
      // Found, but the system refuses it: say which file and why (an older glibc, say).
      throw new Error(
        `libwebrtc-node: found its native addon ${file} but could not load it: ${(cause as Error).message}\n` +
          'Prebuilt Linux binaries need glibc 2.36 or newer (Debian 12, Ubuntu 22.10); elsewhere build from source\n' +
          '(`npm run setup` in the package folder, on Debian 12 or Ubuntu with libtgowt-dev).',
        { cause },
      );
    }
  }
  throw new Error(
    `libwebrtc-node: no native addon for ${target} here: no prebuilt binary (prebuilds/${target}/ in this package, or the\n` +
      `package ${platformPackage}) and no source build (build/Release/). To get one:\n` +
      `  1. Install again with optional dependencies (no --omit=optional / --no-optional), so that npm adds\n` +
      `     ${platformPackage} where it is published for this platform;\n` +
      '  2. or build from source (Debian 12 or Ubuntu with the libtgowt-dev package): `npm run setup` in the package\n' +
      `     folder (${packageRoot()}), which installs what the build needs and builds build/Release/;\n` +
      '  3. or point LIBWEBRTC_NODE_BINARY at a libwebrtc_node.node built elsewhere.\n' +
      `(node-gyp-build: ${lookup?.message ?? 'nothing found'})`,
    { cause: lookup },
  );
}

export const binding: typeof Binding = load();

// libwebrtc's own logging is off unless LIBWEBRTC_NODE_LOG names a level
// (verbose, info, warning, error). It goes to stderr.
const logLevel = process.env.LIBWEBRTC_NODE_LOG;
if (logLevel) {
  const levels = ['verbose', 'info', 'warning', 'error', 'none'] as const;
  const level = levels.find((l) => l === logLevel.toLowerCase()) ?? 'info';
  binding.setLogLevel(level);
}

/**
 * Run on process.exit() (and a worker's end), before the addon's state is torn down: Node runs
 * no environment cleanup on process.exit(), so libwebrtc's threads would otherwise still run
 * while the process exits. Connections close first (their hooks), then every track, source and
 * sink lets go of libwebrtc.
 */
export const exitHooks = new Set<() => void>();
process.once('exit', () => {
  for (const hook of exitHooks) hook();
  binding.releaseMedia();
});

const environment = isMainThread ? 'main thread' : `worker ${threadId}`;

/**
 * Records the call going into native code now, with the caller's stack, for the report
 * native/runtime/fatal_checks.cc prints if one of libwebrtc's checks ever stops the process. For
 * control-plane calls only (formatting a stack costs microseconds). `site`: an Error made at
 * the API entry, when the caller already has one.
 */
export function noteCall(what: string, site: Error = new Error()): void {
  const stack = site.stack ?? '';
  binding.setCallSite(`${environment}: ${what}${stack.slice(stack.indexOf('\n'))}`);
}
