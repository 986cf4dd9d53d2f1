import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Rtnl } from '../../src/client.js';
import { ROUTE_DUMP_MAGIC, readRouteDump, restoreRoutes, routeDumpMessages, saveRoutes } from '../../src/api/route-save.js';
import { cli } from '../helpers/cli-path.js';
import { ip, requireIsolation } from '../helpers/sh.js';
import { withVeth } from '../helpers/veth.js';

requireIsolation();
const run = (cmd: string, args: string[], input?: Buffer): Buffer => execFileSync(cmd, args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
const ours = (args: string[], input?: Buffer): Buffer => run(process.execPath, [cli, ...args], input);

/** The messages of a dump with each nlmsghdr's seq and port id zeroed (they are the dumping socket's own). */
const comparable = (d: Buffer): string[] => routeDumpMessages(d).map((m) => { const b = Buffer.from(m); b.fill(0, 8, 16); return b.toString('hex'); });

const withRoutes = (fn: (nl: Rtnl) => Promise<void>): (() => Promise<void>) => withVeth('nlts-s0', 'nlts-s1', fn, {
  setup: () => {
    ip('addr', 'add', '198.18.0.1/24', 'dev', 'nlts-s0');
    ip('route', 'add', '198.18.5.0/24', 'via', '198.18.0.2', 'metric', '7');
    ip('route', 'add', '198.18.6.0/24', 'dev', 'nlts-s0', 'src', '198.18.0.1');
    ip('route', 'add', 'blackhole', '198.18.7.0/24');
    ip('route', 'add', '198.18.8.0/24', 'nexthop', 'via', '198.18.0.2', 'weight', '2', 'nexthop', 'via', '198.18.0.3');
  },
  // The blackhole route has no device to take it along.
  cleanup: () => { ip('route', 'flush', '198.18.7.0/24'); },
});

const mainRoutes = (): string => ip('route', 'show');

/** ip restore seeks back to the start for each of its passes: its standard input must be a file, not a pipe. */
function ipRestore(data: Buffer): void {
  const dir = mkdtempSync(join(tmpdir(), 'nlts-route-save-'));
  const file = join(dir, 'dump');
  writeFileSync(file, data);
  const fd = openSync(file, 'r');
  try {
    execFileSync('ip', ['route', 'restore'], { stdio: [fd, 'pipe', 'pipe'] });
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

test('ip route save and netlink-ts route save write the same stream; showdump reads ip\'s as ip does', withRoutes(async (nl) => {
  const theirs = run('ip', ['route', 'save']);
  const mine = ours(['route', 'save']);
  assert.is(theirs.readUInt32LE(0), ROUTE_DUMP_MAGIC);
  assert.equal(comparable(mine), comparable(theirs));
  assert.equal(comparable(await saveRoutes(nl.socket, (r) => nl.ifindex(r), { family: 'inet' })), comparable(theirs));
  assert.is(ours(['route', 'showdump'], theirs).toString(), run('ip', ['route', 'showdump'], theirs).toString());
  assert.equal(readRouteDump(theirs).map((r) => r.dst), ['198.18.0.0', '198.18.5.0', '198.18.6.0', '198.18.7.0', '198.18.8.0']);
}));

test('a stream saved by ip is restored by netlink-ts, and the reverse; routes that exist are left alone', withRoutes(async (nl) => {
  const before = mainRoutes();
  const theirs = run('ip', ['route', 'save']);
  ip('route', 'flush', 'table', 'main');
  assert.is(mainRoutes(), '');
  assert.equal(await restoreRoutes(nl.socket, theirs), { added: 5, existed: 0 });
  assert.is(mainRoutes(), before);
  // ip 6.1 restores a multipath route before the networks its gateways are on, which the kernel refuses:
  // the reverse direction is shown without one.
  ip('route', 'del', '198.18.8.0/24');
  const withoutMultipath = mainRoutes();
  const mine = ours(['route', 'save']);
  ip('route', 'flush', 'table', 'main');
  ipRestore(mine);
  assert.is(mainRoutes(), withoutMultipath);
  ours(['route', 'restore'], mine);
  assert.is(mainRoutes(), withoutMultipath);
}));

test.run();
