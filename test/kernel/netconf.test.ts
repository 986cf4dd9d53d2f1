import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { Rtnl } from '../../src/client.js';
import { cli } from '../helpers/cli-path.js';
import { ip, requireIsolation } from '../helpers/sh.js';
import { withVeth } from '../helpers/veth.js';

requireIsolation();
const ours = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
const sysctl = (path: string, value: number): void => writeFileSync(`/proc/sys/net/${path}`, `${value}\n`);

const withLinks = (fn: (nl: Rtnl) => Promise<void>): (() => Promise<void>) => withVeth('nlts-c0', 'nlts-c1', fn, {
  setup: () => { sysctl('ipv4/conf/nlts-c0/rp_filter', 2); },
});

test('netlink-ts netconf prints what ip netconf prints, every family or one, every device or one, text and -j', withLinks(async () => {
  for (const global of [[], ['-j'], ['-4'], ['-6'], ['-j', '-6'], ['-j', '-4']]) {
    for (const sel of [[], ['dev', 'nlts-c0'], ['dev', 'lo']]) {
      const args = [...global, 'netconf', 'show', ...sel];
      assert.is(ours(...args), ip(...args), args.join(' '));
    }
  }
}));

test('read typed: one entry per family and device, all and default, from a dump and from a lookup', withLinks(async (nl) => {
  const index = (await nl.link.get('nlts-c0')).index;
  const list = await nl.netconf.list();
  const v4 = list.find((n) => n.family === 'inet' && n.ifindex === index);
  assert.equal({ rpFilter: v4?.rpFilter, forwarding: v4?.forwarding, input: v4?.input }, { rpFilter: 2, forwarding: 0, input: undefined });
  assert.ok(list.some((n) => n.family === 'inet6' && n.ifindex === -1), 'inet6 all');
  assert.ok(list.some((n) => n.family === 'inet' && n.ifindex === -2), 'inet default');
  assert.equal((await nl.netconf.list({ family: 'inet6', dev: 'nlts-c0' })).map((n) => n.ifindex), [index]);
  const one = await nl.netconf.get({ family: 'inet', dev: 'nlts-c0' });
  assert.is(one.rpFilter, 2);
  assert.is((await nl.netconf.get({ family: 'inet6', dev: 'all' })).ifindex, -1);
}));

test('the monitor reports a sysctl change as a typed netconf event', withLinks(async (nl) => {
  const index = (await nl.link.get('nlts-c0')).index;
  const it = nl.monitor({ groups: ['netconf'], list: true })[Symbol.asyncIterator]();
  try {
    let initial = 0;
    for (let step = await it.next(); !step.done && step.value.action !== 'synced'; step = await it.next()) if (step.value.kind === 'netconf') initial++;
    assert.ok(initial >= 6, `${initial} entries listed first`);
    sysctl('ipv4/conf/nlts-c0/forwarding', 1);
    const deadline = Date.now() + 5000;
    let got: unknown;
    while (Date.now() < deadline) {
      const step = await it.next();
      if (step.done) break;
      const ev = step.value;
      if (ev.kind === 'netconf' && ev.object.ifindex === index && ev.object.forwarding !== undefined) { got = { action: ev.action, family: ev.object.family, forwarding: ev.object.forwarding }; break; }
    }
    assert.equal(got, { action: 'new', family: 'inet', forwarding: 1 });
  } finally {
    await it.return?.(undefined);
  }
}));

test.run();
