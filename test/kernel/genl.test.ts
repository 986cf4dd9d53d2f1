import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Genl } from '../../src/genl/client.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { cli } from '../helpers/cli-path.js';
import { rejects } from '../helpers/expect.js';
import { ip, ipJson, requireIsolation, run } from '../helpers/sh.js';

requireIsolation();

const hasEthtool = ['/usr/sbin/ethtool', '/sbin/ethtool', '/usr/bin/ethtool'].some(existsSync);

test('families and their multicast groups resolve by name, as genl ctrl list has them', async () => {
  using g = Genl.open();
  const all = await g.list();
  const names = all.map((f) => f.name);
  for (const n of ['nlctrl', 'netdev', 'ethtool', 'tcp_metrics', 'mptcp_pm']) {
    assert.ok(names.includes(n), `${n} in ${names.join(',')}`);
    const f = await g.family(n);
    const listed = all.find((x) => x.name === n)!;
    assert.is(f.info.id, listed.id);
    assert.equal(f.info.groups, listed.groups);
  }
  assert.equal((await g.family('netdev')).info.groups.map((x) => x.name), ['mgmt', 'page-pool']);
  assert.equal((await g.family('mptcp_pm')).info.groups.map((x) => x.name), ['mptcp_pm_cmds', 'mptcp_pm_events']);
  assert.equal((await g.family('nlctrl')).info.groups.map((x) => x.name), ['notify']);
});

test('netdev dev-get: dump and do find lo', async () => {
  using g = Genl.open();
  const dump = await g.dump('netdev', 'dev-get');
  assert.equal(dump.map((m) => m.attrs.ifindex), [1]);
  const [one] = await g.do('netdev', 'dev-get', { ifindex: 1 });
  assert.is(one!.op, 'dev-get');
  assert.equal(one!.attrs['xdp-features'], []);
});

test('a request the spec refuses is not sent; one the kernel refuses comes back with its errno', async () => {
  using g = Genl.open();
  // As a JavaScript caller (no types to stop the mistakes) would call it.
  const untyped = g.do.bind(g) as unknown as (family: string, op: string, attrs?: Record<string, unknown>) => Promise<unknown>;
  await rejects(() => g.do('netdev', 'dev-get', { ifindex: 0 }), (e) => /minimum 1/.test(e.message));
  await rejects(() => untyped('netdev', 'dev-get', { nope: 1 }), (e) => /unknown attribute "nope"/.test(e.message));
  await rejects(() => untyped('netdev', 'no-such-op'), (e) => /no operation "no-such-op"/.test(e.message));
  try {
    await g.do('netdev', 'dev-get', { ifindex: 999 });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, NetlinkError);
    assert.is((e as NetlinkError).code, 'ENODEV');
  }
});

test('ethtool linkinfo-get and features-get on a veth agree with ethtool -k', async () => {
  ip('link', 'add', 'nlg-a', 'type', 'veth', 'peer', 'name', 'nlg-b');
  try {
    using g = Genl.open();
    const [info] = await g.do('ethtool', 'linkinfo-get', { header: { 'dev-name': 'nlg-a' } });
    assert.is((info!.attrs.header as Record<string, unknown>)['dev-name'], 'nlg-a');
    const [feat] = await g.do('ethtool', 'features-get', { header: { 'dev-name': 'nlg-a' } });
    type Bit = { name?: string; value?: true };
    // `active` is a list bitset (no mask): the bits listed are the ones set.
    const activeSet = feat!.attrs.active as { nomask?: true; bits?: { bit?: Bit[] } };
    assert.is(activeSet.nomask, true);
    const active = (activeSet.bits?.bit ?? []).map((b) => b.name);
    assert.ok(active.includes('tx-checksum-ip-generic'), active.join(','));
    if (hasEthtool) {
      // ethtool -k prints "name: on|off [fixed]" for every feature: each one the kernel names must agree.
      const named = new Set(((feat!.attrs.hw as { bits?: { bit?: Bit[] } }).bits?.bit ?? []).map((b) => b.name));
      const isOn = new Set(active);
      let compared = 0;
      for (const line of run('ethtool', ['-k', 'nlg-a']).split('\n')) {
        const m = /^\s*([a-z0-9-]+): (on|off)/.exec(line);
        if (!m || !named.has(m[1]!)) continue;
        compared++;
        assert.is(isOn.has(m[1]!), m[2] === 'on', `${m[1]} is ${m[2]} in ethtool -k`);
      }
      assert.ok(compared > 10, `compared ${compared} features`);
    }
  } finally {
    ip('link', 'del', 'nlg-a');
  }
});

test('mptcp_pm endpoint add, dump and delete round trip, as ip mptcp endpoint shows it', async () => {
  using g = Genl.open();
  const addr4 = (198 << 24 | 18 << 16 | 7 << 8 | 9) >>> 0;
  await g.do('mptcp_pm', 'add-addr', { addr: { family: 2, addr4, id: 7, flags: 1 } });
  const shown = ip('mptcp', 'endpoint', 'show');
  assert.match(shown, /198\.18\.7\.9 id 7 signal/);
  const dump = await g.dump('mptcp_pm', 'get-addr');
  assert.equal(dump.map((m) => m.attrs.addr), [{ family: 2, port: 0, id: 7, flags: 1, addr4 }]);
  await g.do('mptcp_pm', 'del-addr', { addr: { id: 7 } });
  assert.is(ip('mptcp', 'endpoint', 'show').trim(), '');
  assert.equal(await g.dump('mptcp_pm', 'get-addr'), []);
});

test('notifications: netdev mgmt announces a new link as dev-add-ntf, decoded by the spec', async () => {
  using g = Genl.open();
  await g.subscribe('netdev', 'mgmt');
  await rejects(() => g.subscribe('netdev', 'nope'), (e) => /no multicast group "nope" \(it has: mgmt, page-pool\)/.test(e.message));
  const ac = new AbortController();
  const seen: { op: string; ifindex: unknown }[] = [];
  const reader = (async () => {
    for await (const ev of g.events({ signal: ac.signal })) {
      if (ev.kind !== 'message') continue;
      seen.push({ op: ev.value.op, ifindex: ev.value.attrs.ifindex });
      if (seen.some((x) => x.op === 'dev-del-ntf')) break;
    }
  })();
  ip('link', 'add', 'nlg-n0', 'type', 'veth', 'peer', 'name', 'nlg-n1');
  const index = ipJson<{ ifindex: number }[]>('link', 'show', 'nlg-n0')[0]!.ifindex;
  ip('link', 'del', 'nlg-n0');
  const bound = setTimeout(() => ac.abort(), 10_000);
  await reader;
  clearTimeout(bound);
  assert.ok(seen.some((x) => x.op === 'dev-add-ntf' && x.ifindex === index), JSON.stringify(seen));
  assert.ok(seen.some((x) => x.op === 'dev-del-ntf'), JSON.stringify(seen));
});

test('a client opened in a named namespace sees that namespace (library and CLI -n)', async () => {
  ip('netns', 'add', 'nlg-ns');
  try {
    ip('-n', 'nlg-ns', 'link', 'add', 'nlg-x0', 'type', 'veth', 'peer', 'name', 'nlg-x1');
    const there = ipJson<{ ifindex: number }[]>('-n', 'nlg-ns', 'link', 'show').map((l) => l.ifindex).sort((a, b) => a - b);
    using g = Genl.open({ netns: 'nlg-ns' });
    const dump = await g.dump('netdev', 'dev-get');
    assert.equal(dump.map((m) => m.attrs.ifindex).sort((a, b) => (a ?? 0) - (b ?? 0)), there);
    const cli1 = JSON.parse(execFileSync(process.execPath, [cli, '-n', 'nlg-ns', 'genl', '--family', 'netdev', '--dump', 'dev-get'], { encoding: 'utf8' })) as { ifindex: number }[];
    assert.equal(cli1.map((m) => m.ifindex).sort((a, b) => a - b), there);
    using here = Genl.open();
    assert.equal((await here.dump('netdev', 'dev-get')).map((m) => m.attrs.ifindex), [1]);
  } finally {
    ip('netns', 'del', 'nlg-ns');
  }
});

test('netlink-ts genl: list and a netdev dump', () => {
  const text = execFileSync(process.execPath, [cli, 'genl', 'list'], { encoding: 'utf8' });
  assert.match(text, /^Name: nlctrl\n\tID: 0x10 /);
  assert.match(text, /Name: netdev\n/);
  const json = JSON.parse(execFileSync(process.execPath, [cli, 'genl', '--family', 'netdev', '--dump', 'dev-get'], { encoding: 'utf8' }));
  assert.is(json[0].ifindex, 1);
  const one = JSON.parse(execFileSync(process.execPath, [cli, 'genl', '--family', 'netdev', '--do', 'dev-get', '--json', '{"ifindex":1}'], { encoding: 'utf8' }));
  assert.is(one[0].op, 'dev-get');
});

test.run();
