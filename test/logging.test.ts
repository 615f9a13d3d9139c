// libwebrtc's own logging: off by default, on at the level LIBWEBRTC_NODE_LOG names.
import * as assert from 'node:assert/strict';

import { runFixture } from './child-process.js';

// libwebrtc's log lines name their source file and line: "(peer_connection.cc:1890): ...".
const LIBWEBRTC_LINE = /\([a-z0-9_]+\.cc:\d+\):/;

describe('logging (child processes)', () => {
  const env = (value: string | undefined): Record<string, string> =>
    value === undefined ? { LIBWEBRTC_NODE_LOG: '' } : { LIBWEBRTC_NODE_LOG: value };

  it('is off by default: a whole connection with H.264 video logs nothing from libwebrtc, openh264 or ffmpeg', async () => {
    const r = await runFixture('logging.js', [], { timeoutMs: 30000, env: env(undefined) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'done\n', "stdout has only the fixture's own line");
    assert.equal(r.stderr, '', 'stderr is empty');
  });

  it('LIBWEBRTC_NODE_LOG=info turns it on, to stderr', async () => {
    const r = await runFixture('logging.js', [], { timeoutMs: 30000, env: env('info') });
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    assert.match(r.stderr, LIBWEBRTC_LINE);
  });

  it('LIBWEBRTC_NODE_LOG=error keeps the info lines out', async () => {
    const info = await runFixture('logging.js', [], { timeoutMs: 30000, env: env('info') });
    const error = await runFixture('logging.js', [], { timeoutMs: 30000, env: env('error') });
    assert.equal(error.code, 0, error.stderr.slice(-2000));
    const count = (s: string) => s.split('\n').filter((l) => LIBWEBRTC_LINE.test(l)).length;
    assert.ok(
      count(error.stderr) < count(info.stderr),
      `error: ${count(error.stderr)} lines, info: ${count(info.stderr)}`,
    );
  });
});
