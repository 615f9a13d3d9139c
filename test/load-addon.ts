// Side-effect module: import it before '../lib/index.js' in every test file.
//
// lib/binding.ts finds the addon with node-gyp-build from `path.join(__dirname, '..')`, which
// is the package root only when lib/ is compiled into dist/. The tests compile lib/ into
// dist-test/lib/, whose parent (dist-test/) holds no build/ or prebuilds/. Until the loader
// finds the package root by itself, point LIBWEBRTC_NODE_BINARY (its documented override) at
// the local cmake-js build when nothing else was chosen.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package root: this file runs as dist-test/test/load-addon.js. */
export const packageRoot: string = path.resolve(__dirname, '../..');
export const addonPath: string = path.join(packageRoot, 'build', 'Release', 'libwebrtc_node.node');

if (!process.env.LIBWEBRTC_NODE_BINARY && fs.existsSync(addonPath)) {
  process.env.LIBWEBRTC_NODE_BINARY = addonPath;
}
