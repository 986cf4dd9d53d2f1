// Runs every ts and js snippet of README.md and docs/*.md that is not marked `no-run`
// or `fragment` (test/docs/snippets.ts; docs/testing.md), each in a network +
// mount namespace of its own inside the test namespace, with the devices the
// docs name: lo up, and two veth pairs, eth0-eth1 and veth0-veth1, up. A
// snippet passes when it exits 0. Needs the built dist/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectSnippets, compile, runnable, scriptOf, writeProject } from '../docs/snippets.js';
import { requireIsolation } from '../helpers/sh.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SETUP = [
  'ip link set lo up',
  'ip link add eth0 type veth peer name eth1',
  'ip link add veth0 type veth peer name veth1',
  'for d in eth0 eth1 veth0 veth1; do ip link set "$d" up; done',
].join(' && ');

const snippets = collectSnippets(root).filter(runnable);
const dir = mkdtempSync(join(tmpdir(), 'nlts-snippets-run-'));
let compiled = false;

test.before(() => {
  requireIsolation();
  writeProject(root, dir, snippets);
  const r = compile(root, dir, snippets);
  assert.equal(r.status, 0, r.output);
  compiled = true;
});
test.after(() => rmSync(dir, { recursive: true, force: true }));

for (const s of snippets) {
  test(`${s.file}:${s.line} runs top to bottom`, () => {
    assert.ok(compiled);
    // A bound on a snippet that hangs, not a timing assertion.
    const r = spawnSync('unshare', ['--net', '--mount', '--propagation', 'private', '--', 'sh', '-c',
      `${SETUP} && exec "$0" "$1"`, process.execPath, scriptOf(dir, s)], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, `${s.file}:${s.line} (${s.id}) exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  });
}

test.run();
