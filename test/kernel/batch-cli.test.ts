// `netlink-ts -batch FILE` beside `ip -batch FILE`: the same file leaves the
// same links, addresses and routes, stops at the same failed line, and with
// -force goes on past it as ip does.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { waitForLinksSettled } from '../helpers/settle.js';
import { ip, ipJson, requireIsolation } from '../helpers/sh.js';
import { cli } from '../helpers/cli-path.js';

requireIsolation();

const COMMANDS = [
  '# a veth pair with addresses and a route',
  'link add nlts-bc0 type veth peer name nlts-bc1',
  'link set nlts-bc0 up',
  'link set nlts-bc1 up alias "the other end"',
  'address add 198.18.0.1/24 dev nlts-bc0',
  'address add fd00::1/64 dev nlts-bc0 nodad',
  'route add 198.18.5.0/24 via 198.18.0.2',
  'route add 198.18.6.0/24 via 198.18.9.9   # no such gateway: fails',
  'address add 198.18.1.1/24 dev nlts-bc1',
];

async function state(): Promise<unknown> {
  const mine = (x: { ifname?: string; dev?: string }) => (x.ifname ?? x.dev ?? '').startsWith('nlts-bc');
  // The veth ends just came up: their NO-CARRIER goes only when the kernel's linkwatch has run.
  await waitForLinksSettled({ pick: mine });
  const links = ipJson<{ ifname: string; flags: string[]; ifalias?: string }[]>('link', 'show').filter(mine).map((l) => [l.ifname, l.flags, l.ifalias]);
  const addrs = ipJson<{ ifname: string; addr_info: { local: string; prefixlen: number; scope: string }[] }[]>('address', 'show').filter(mine)
    .map((a) => [a.ifname, a.addr_info.filter((i) => i.scope !== 'link').map((i) => `${i.local}/${i.prefixlen}`)]);
  const routes = ipJson<{ dst: string; gateway?: string; dev?: string }[]>('route', 'show').filter(mine).map((r) => [r.dst, r.gateway, r.dev]);
  return { links, addrs, routes };
}

function clean(): void {
  spawnSync('ip', ['link', 'del', 'nlts-bc0']);
}

async function run(tool: 'ip' | 'netlink-ts', file: string, force: boolean): Promise<{ status: number | null; stderr: string; state: unknown }> {
  clean();
  const args = [...(force ? ['-force'] : []), '-batch', file];
  const r = tool === 'ip' ? spawnSync('ip', args, { encoding: 'utf8' }) : spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  const s = { status: r.status, stderr: r.stderr, state: await state() };
  clean();
  return s;
}

test('the same batch file leaves the same state as ip -batch, stopping at the failed line, or going on with -force', async () => {
  const dir = mkdtempSync('/run/nlts-batch-');
  try {
    const file = join(dir, 'cmds');
    writeFileSync(file, `${COMMANDS.join('\n')}\n`);
    for (const force of [false, true]) {
      const theirs = await run('ip', file, force);
      const ours = await run('netlink-ts', file, force);
      assert.equal(ours.state, theirs.state, `state after ${force ? '-force ' : ''}-batch`);
      assert.is(theirs.status, 1);
      assert.is(ours.status, 1);
      assert.match(ours.stderr, new RegExp(`Command failed ${file}:8\\n$`));
      assert.match(theirs.stderr, new RegExp(`Command failed ${file}:8`));
    }
    // The state itself, to be sure the comparison saw something.
    const forced = (await run('netlink-ts', file, true)).state as { addrs: [string, string[]][] };
    assert.equal(forced.addrs.find(([n]) => n === 'nlts-bc1'), ['nlts-bc1', ['198.18.1.1/24']], 'with -force the line after the failure ran');
    // Standard input, and a clean run exits 0.
    clean();
    const ok = spawnSync(process.execPath, [cli, '-batch', '-'], { input: `${COMMANDS.slice(0, 7).join('\n')}\n`, encoding: 'utf8' });
    assert.is(ok.status, 0, ok.stderr);
    assert.ok(ip('route', 'show', '198.18.5.0/24').includes('via 198.18.0.2'));
    const json = execFileSync(process.execPath, [cli, '-j', '-batch', '-'], { input: 'link show nlts-bc0\n', encoding: 'utf8' });
    assert.is(JSON.parse(json)[0].ifname, 'nlts-bc0', 'options on the command line apply to each line');
  } finally {
    clean();
    rmSync(dir, { recursive: true });
  }
});

test.run();
