// The demo itself: examples/server.js --serve in a child process, its page
// (examples/public/index.html + client.js) in Chromium, reaching 'connected' and an echo.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import type { Page } from 'playwright-core';

import { launchChromium, waitFor, type Browser } from './harness.js';
import { implName, packageRoot } from './impl.js';

/** Starts `node examples/server.js --serve --port 0`; resolves with the URL it prints. */
function startDemoServer(output: string[], changes: EventEmitter): { child: ChildProcess; url: Promise<string> } {
  const args = [path.join(packageRoot, 'examples', 'server.js'), '--serve', '--port', '0'];
  const impl = process.env.WRTC_IMPL;
  if (impl) args.push('--impl', impl.startsWith('.') ? path.resolve(impl) : impl);
  const child = spawn(process.execPath, args, { cwd: packageRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the demo server printed no URL in 15 s:\n${output.join('')}`)),
      15000,
    );
    const onData = (chunk: Buffer): void => {
      output.push(chunk.toString());
      changes.emit('change');
      const m = /open (http:\/\/\S+) in a browser/.exec(output.join(''));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      changes.emit('change');
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the demo server exited (${code ?? signal}) before printing its URL:\n${output.join('')}`));
    });
  });
  return { child, url };
}

/** SIGTERM, then SIGKILL if it has not exited within 5 s; resolves with how it ended. */
async function stop(child: ChildProcess): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null)
    return `already exited (${child.exitCode ?? child.signalCode})`;
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(`exit ${code ?? signal}`)),
  );
  child.kill('SIGTERM');
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, 5000);
  const how = await exited;
  clearTimeout(timer);
  return killed ? `still running 5 s after SIGTERM: killed (${how})` : how;
}

interface Node_ {
  textContent: string | null;
}
interface PageGlobals {
  document: { querySelector(selector: string): Node_ | null };
  MutationObserver: new (cb: () => void) => { observe(target: Node_, init: object): void; disconnect(): void };
}

/** Resolves with the text of `selector` once it matches `pattern`: a MutationObserver in the
 *  page, no polling. */
function waitForText(page: Page, selector: string, pattern: RegExp, timeoutMs: number): Promise<string> {
  return page.evaluate(
    ([sel, source, flags, ms]) =>
      new Promise<string>((resolve, reject) => {
        const g = globalThis as unknown as PageGlobals;
        const el = g.document.querySelector(sel);
        if (!el) throw new Error(`no element ${sel}`);
        const re = new RegExp(source, flags);
        const check = (): boolean => {
          const text = el.textContent ?? '';
          if (!re.test(text)) return false;
          observer.disconnect();
          clearTimeout(timer);
          resolve(text);
          return true;
        };
        const observer = new g.MutationObserver(check);
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`${sel} is '${el.textContent}', not /${source}/ after ${ms} ms`));
        }, ms);
        if (!check()) observer.observe(el, { childList: true, subtree: true, characterData: true });
      }),
    [selector, pattern.source, pattern.flags, timeoutMs] as [string, string, string, number],
  );
}

describe(`interop: the demo page (examples/public) with examples/server.js [${implName}]`, function () {
  this.timeout(60000);
  let browser: Browser | undefined;
  let server: ChildProcess | undefined;
  let url: Promise<string> | undefined;
  const output: string[] = [];
  const changes = new EventEmitter();
  const serverSays = (re: RegExp, what: string): Promise<true> =>
    waitFor(
      changes,
      () => re.test(output.join('')),
      10000,
      `the demo server to log ${what}`,
      () => output.join(''),
    );

  // One server for the block: the second test checks how it ends after the first one's call.
  before(async function () {
    ({ child: server, url } = startDemoServer(output, changes));
    browser = await launchChromium();
  });
  after(async function () {
    await browser?.close();
    if (server) await stop(server);
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(`demo server output:\n${output.join('')}`);
  });

  it("the page gets the camera, reaches 'connected', its chat message comes back echoed, it hangs up", async function () {
    const pageUrl = await url!;
    assert.match(pageUrl, /^http:\/\/127\.0\.0\.1:\d+\/$/);

    const page = await browser!.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    try {
      await page.goto(pageUrl);
      // The fake camera and microphone (--use-fake-device-for-media-stream) are sent too.
      assert.match(await waitForText(page, '#media', /^(audio|video) \+ (audio|video)$/, 10000), /video/);
      await waitForText(page, '#connectionState', /^connected$/, 20000);
      await waitForText(page, '#channelState', /^open$/, 10000);
      await serverSays(/connectionState connected/, 'its peer connected');

      const text = 'héllo from Chromium ✓';
      await page.fill('#message', text);
      await page.press('#message', 'Enter');
      const line = await waitForText(page, '#log', /echo: /, 10000);
      const m = /echo: (.*?) {2}\((\d+(?:\.\d+)?) ms\)/.exec(line);
      assert.ok(m, `an echo line with a round-trip time in: ${line}`);
      assert.equal(m[1], text);
      assert.ok(Number(m[2]) >= 0 && Number(m[2]) < 10000, `round trip ${m[2]} ms`);
      assert.deepEqual(pageErrors, []);

      // Hang up: the server closes its peer.
      await page.click('#hangup');
      await waitForText(page, '#connectionState', /^closed$/, 5000);
      await serverSays(/closing peer connection \(hang-up\)/, 'the hang-up');
    } finally {
      await page.close();
    }
  });

  it('then, every peer closed, the server exits by itself (code 0) on SIGTERM', async function () {
    await url!;
    // SIGTERM closes the HTTP and WebSocket servers; nothing else may keep the process alive,
    // nor crash it on the way out.
    assert.equal(await stop(server!), 'exit 0');
  });
});
