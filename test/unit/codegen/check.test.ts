// `node dist/codegen/main.js --check` on the committed src/generated: it
// passes, and it fails, naming each difference, when a committed value or
// offset is altered (in a temporary copy).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel } from '../../../codegen/model.js';
import { check } from '../../../codegen/check.js';
import { allModules, render, renderChoosers } from '../../../codegen/main.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const generated = join(root, 'src', 'generated');
const main = join(root, 'dist', 'codegen', 'main.js');
const HEADERS = '/usr/include';
const hasHeaders = existsSync(join(HEADERS, 'linux', 'netlink.h'));

const codegen = (...args: string[]) => spawnSync(process.execPath, [main, ...args], { cwd: root, encoding: 'utf8' });

test('--check passes on the committed output and prints one summary line', () => {
  if (!hasHeaders) {
    console.log(`  skipped: no kernel headers under ${HEADERS}`);
    return;
  }
  const r = codegen('--check');
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^codegen: [\d,]+ constants and [\d,]+ structs match \/usr\/include \(x86_64\)(, \S+ \(aarch64\))?( \(.*warning.*\))?$/m);
});

test('--check fails on an altered copy, listing each change', () => {
  if (!hasHeaders) {
    console.log(`  skipped: no kernel headers under ${HEADERS}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'codegen-check-'));
  try {
    cpSync(generated, dir, { recursive: true });
    const edit = (rel: string, from: string, to: string): void => {
      const file = join(dir, rel);
      const text = readFileSync(file, 'utf8');
      assert.ok(text.includes(from), `${rel} has no '${from}'`);
      writeFileSync(file, text.replace(from, to));
    };
    edit('linux/if_link.ts', 'export const IFLA_MTU = 4;', 'export const IFLA_MTU = 5;');
    edit('linux/netlink.ts', "{ name: 'nlmsg_seq', offset: 8, type: 'u32' }", "{ name: 'nlmsg_seq', offset: 9, type: 'u32' }");
    edit('linux/rtnetlink.ts', 'export const RTM_NEWLINK = 16;', 'export const RTM_NEWLINK = 16;\nexport const RTM_FROM_THE_FUTURE = 999;');
    const r = codegen('--check', '--out', dir);
    assert.is(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /MISMATCH linux\/if_link: IFLA_MTU = 5, installed headers say 4/);
    assert.match(r.stdout, /MISMATCH linux\/netlink: nlmsghdr\.nlmsg_seq: offset 9 → 8/);
    assert.match(r.stdout, /warning: linux\/rtnetlink: RTM_FROM_THE_FUTURE is not in the installed headers/);
    assert.match(r.stdout, /^codegen: 2 mismatches between .* and \/usr\/include \(x86_64\)/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the committed output is what the generator writes from these headers', () => {
  if (!hasHeaders) {
    console.log(`  skipped: no kernel headers under ${HEADERS}`);
    return;
  }
  const model = buildModel(HEADERS);
  const report = check(model, generated, allModules());
  const total = model.modules.reduce((n, m) => n + m.items.length, 0);
  if (report.warnings.length > 0 || report.constants + report.structs !== total) {
    // Other header versions: --check above is the test that matters there.
    console.log('  skipped: the installed headers are not the ones src/generated was made from');
    return;
  }
  for (const [rel, text] of [...render(model), ...renderChoosers([model], generated)]) {
    assert.is(readFileSync(join(generated, rel), 'utf8'), text, `${rel} is stale: run npm run codegen`);
  }
});

test('bad arguments are refused with exit status 2', () => {
  const r = codegen('--frobnicate');
  assert.is(r.status, 2);
  assert.match(r.stderr, /unknown argument --frobnicate/);
});

test.run();
