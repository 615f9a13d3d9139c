// libwebrtc's fatal checks (RTC_CHECK, and RTC_DCHECK, live in Debian's build) stop the process
// when one fails. native/runtime/fatal_checks.cc keeps libwebrtc's own text and adds the thread and the
// last JavaScript call each environment made into the addon, with its stack.
import * as assert from 'node:assert/strict';
import { describeRun, runFixture } from './child-process.js';

describe("libwebrtc's fatal checks (child processes)", function () {
  this.timeout(60000);

  for (const thread of ['signaling', 'js'] as const) {
    it(`a check failing on the ${thread === 'js' ? 'JS' : 'signaling'} thread: libwebrtc's text, then the thread and the JS calls that led there`, async () => {
      const r = await runFixture('fatal-check.js', [thread], { timeoutMs: 30000 });
      const account = describeRun(`fatal-check ${thread}`, r);
      assert.equal(r.signal, 'SIGABRT', `the process aborts\n${account}`);
      // libwebrtc's own lines, as it has always printed them.
      assert.match(
        r.stderr,
        /# Fatal error in: .*addon\.cc, line \d+\n# last system error: \d+\n# Check failed: /,
        account,
      );
      assert.match(
        r.stderr,
        thread === 'signaling'
          ? /Check failed: 1 == 2 \(1 vs\. 2\)\n# failCheckForTest on the signaling thread/
          : /Check failed: false\n# failCheckForTest on the JS thread/,
        account,
      );
      // Ours: where, and what JavaScript called last in each environment.
      assert.match(
        r.stderr,
        thread === 'signaling' ? /failed on thread 'lwn-signaling'/ : /failed on thread '(node|MainThread)'/,
        account,
      );
      assert.match(
        r.stderr,
        /#\s+main thread: RTCPeerConnection\.setLocalDescription\(\)\n(#\s+at .*\n)*#\s+at .*fatal-check\.js:\d+:\d+/,
        account,
      );
      assert.match(r.stderr, /#\s+worker \d+: RTCPeerConnection\.setLocalDescription\(\)/, account);
    });
  }
});
