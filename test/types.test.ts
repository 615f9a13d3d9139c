// The public types against lib.dom: type-checks test/types/browser-style.ts (browser-style
// code written against lib.dom's WebRTC types, using this package's classes) with
// test/types/tsconfig.json. Fails when a public type drifts from lib.dom.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const packageRoot = path.resolve(__dirname, '..', '..');
const TIMEOUT_MS = 60000;

describe('types: browser-style code against lib.dom', function () {
  this.timeout(TIMEOUT_MS + 10000);

  it('test/types/browser-style.ts compiles (tsc -p test/types/tsconfig.json)', async () => {
    const result = await new Promise<{ code: number | null; output: string; timedOut: boolean }>((resolve, reject) => {
      const child = spawn('npx', ['tsc', '-p', path.join('test', 'types', 'tsconfig.json')], {
        cwd: packageRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      let timedOut = false;
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, TIMEOUT_MS);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, output, timedOut });
      });
    });
    const errors = result.output
      .split('\n')
      .filter((line) => !/npm warn/i.test(line))
      .join('\n')
      .trim();
    assert.equal(result.timedOut, false, `tsc did not finish within ${TIMEOUT_MS} ms`);
    assert.equal(result.code, 0, `tsc reported errors:\n${errors}`);
  });
});
