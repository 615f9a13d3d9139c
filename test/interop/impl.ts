// The one place the interop tests get their Node WebRTC implementation from.
//
// By default it is this package (its root: what `require('libwebrtc-node')` gives a user).
// WRTC_IMPL swaps it for another wrtc-compatible module, e.g. `WRTC_IMPL=@roamhq/wrtc`, to check
// the tests themselves against a known implementation. A relative path is taken from the
// current directory.
//
// Loaded lazily (from a `before` hook), so that a missing build fails these suites, not the
// loading of every other test file.
import * as path from 'node:path';

// This file runs as dist-test/test/interop/impl.js: three levels up is the package root.
export const packageRoot: string = path.resolve(__dirname, '../../..');

export const implName: string = process.env.WRTC_IMPL || `libwebrtc-node (${packageRoot})`;

function resolveImpl(spec: string | undefined): string {
  if (!spec) return packageRoot;
  if (spec.startsWith('.')) return path.resolve(process.cwd(), spec);
  return spec;
}

// Typed loosely on purpose: test/interop/types.ts says what the tests rely on.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let cached: any;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadImpl(): any {
  if (cached === undefined) cached = require(resolveImpl(process.env.WRTC_IMPL));
  return cached;
}
