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

function load(): typeof Binding {
  const override = process.env.LIBWEBRTC_NODE_BINARY;
  try {
    if (override) return require(path.resolve(override));
    // prebuilds/<platform>-<arch>/ first, then build/Release/ (a local cmake-js build).
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const nodeGypBuild: (dir: string) => typeof Binding = require('node-gyp-build');
    return nodeGypBuild(packageRoot());
  } catch (cause) {
    const message =
      `libwebrtc-node: could not load its native addon (${(cause as Error).message}).\n` +
      'Fixes, in order:\n' +
      '  1. `npm run setup` in the package folder installs what is missing (libtgowt-dev, cmake)\n' +
      '     and builds the addon into build/Release/.\n' +
      '  2. Or build it by hand: `npx cmake-js compile` (needs Debian/Ubuntu `libtgowt-dev`).\n' +
      '  3. Or point LIBWEBRTC_NODE_BINARY at a libwebrtc_node.node built elsewhere.';
    throw new Error(message, { cause });
  }
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
