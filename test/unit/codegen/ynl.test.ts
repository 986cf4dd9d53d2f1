import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGeneratedDir } from '../../../codegen/read-generated.js';
import { YNL_BANNER, runYnl } from '../../../codegen/ynl/main.js';

const GENL = 'name: demo\nprotocol: genetlink\nattribute-sets:\n  - name: a\n    attributes:\n      - { name: x, type: u32 }\noperations:\n  list:\n    - { name: get, attribute-set: a, do: { request: { attributes: [ x ] } } }\n';
const RAW = 'name: rt-demo\nprotocol: netlink-raw\nattribute-sets: []\n';

function withDirs(fn: (specs: string, out: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'nlts-ynl-'));
  try {
    const specs = join(root, 'specs');
    mkdirSync(specs);
    writeFileSync(join(specs, 'demo.yaml'), GENL);
    writeFileSync(join(specs, 'rt_demo.yaml'), RAW);
    fn(specs, join(root, 'out'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('codegen ynl: generic netlink specs only, written then checked; an edit or a stray file is a mismatch', () => withDirs((specs, out) => {
  assert.ok(runYnl(specs, out, false).ok);
  const text = readFileSync(join(out, 'demo.ts'), 'utf8');
  assert.ok(text.startsWith(`${YNL_BANNER}Documentation/netlink/specs/demo.yaml.`));
  assert.match(text, /\{"name":"get","cmd":1,"set":"a","do":\{"request":\{"attrs":\["x"\]\}\}\}/);
  assert.match(readFileSync(join(out, 'index.ts'), 'utf8'), /"demo": \(\) => load\('\.\/demo\.js'\)/);
  assert.equal(runYnl(specs, out, true), { ok: true, lines: [`codegen: 1 generic netlink families match ${specs}`] });
  appendFileSync(join(out, 'demo.ts'), '// edited\n');
  assert.is(runYnl(specs, out, true).ok, false);
  runYnl(specs, out, false);
  writeFileSync(join(out, 'gone.ts'), `${YNL_BANNER}x\n`);
  assert.match(runYnl(specs, out, true).lines.join('\n'), /gone\.ts has no spec/);
}));

test('codegen ynl: without specs, a note outside CI and a failure in CI', () => {
  const saved = process.env.CI;
  try {
    delete process.env.CI;
    assert.is(runYnl('/nonexistent/specs', '/nonexistent/out', true).ok, true);
    process.env.CI = 'true';
    assert.is(runYnl('/nonexistent/specs', '/nonexistent/out', true).ok, false);
  } finally {
    if (saved === undefined) delete process.env.CI; else process.env.CI = saved;
  }
});

test('the header check reads src/generated without the ynl tables', () => {
  const dir = new URL('../../../../src/generated', import.meta.url).pathname;
  const mods = readGeneratedDir(dir);
  assert.ok(mods.has('linux/genetlink'));
  assert.not.ok([...mods.keys()].some((m) => m.startsWith('ynl/')));
});

test.run();
