// Kernel round trips for filters: u32 (IPv4, IPv6, ports, hash tables),
// mirred redirecting ingress traffic to an ifb, bpf by pinned path. What we
// write, tc reads back the same (our --json equals tc -j); what tc writes,
// we decode the same.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSocket } from 'node:dgram';
import { mkdirSync } from 'node:fs';
import { Rtnl } from '../../src/client.js';
import { bpfObjPin, bpfProgLoad } from '../../src/ffi/bpf.js';
import { BPF_ALU64, BPF_EXIT, BPF_MOV, BPF_PROG_TYPE_SCHED_CLS } from '../../src/generated/linux/bpf.js';
import { BPF_JMP, BPF_K } from '../../src/generated/linux/bpf_common.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { type Filter, isFilter } from '../../src/rtnl/tc/filter.js';
import { waitFor } from '../helpers/settle.js';
import { ip, realRootTest, requireIsolation, run } from '../helpers/sh.js';
import { ours, sameJson, tc } from '../helpers/tc.js';

requireIsolation();


/** A filter's configuration, without counters and the kernel's bookkeeping. */
function shape(f: Filter): unknown {
  const { stats, ifindex, ...rest } = f;
  void stats; void ifindex;
  return JSON.parse(JSON.stringify(rest, (k, v) => (k === 'tm' ? undefined : v)));
}

test('u32 on htb: IPv4 and IPv6 prefixes, protocol, ports, hash tables; we write, tc reads; tc writes, we read', async () => {
  ip('link', 'add', 'nlts-f0', 'type', 'veth', 'peer', 'name', 'nlts-f1');
  try {
    await using nl = await Rtnl.open();
    await nl.qdisc.add({ dev: 'nlts-f0', parent: 'root', handle: '1:', kind: 'htb', options: { default: 0x10 } });
    await nl.class.add({ dev: 'nlts-f0', parent: '1:', classid: '1:10', kind: 'htb', options: { rate: '10mbit' } });
    await nl.filter.add({
      dev: 'nlts-f0', parent: '1:', protocol: 'ip', priority: 1, kind: 'u32',
      options: { match: [{ ip: 'dst', value: '198.18.0.0/16' }, { ip: 'dport', value: 80, mask: 0xffff }], classid: '1:10' },
    });
    await nl.filter.add({
      dev: 'nlts-f0', parent: '1:', protocol: 'ipv6', priority: 2, kind: 'u32',
      options: { match: [{ ip6: 'src', value: 'fd00:1::/64' }, { ip6: 'protocol', value: 6 }, { ip6: 'dport', value: 22 }], classid: '1:10' },
    });
    await nl.filter.add({
      dev: 'nlts-f0', parent: '1:', protocol: 'ip', priority: 3, kind: 'u32',
      options: { match: [{ ip: 'protocol', value: 6 }, { tcp: 'src', value: 1024, mask: 0xfc00 }, { tcp: 'dst', value: 443 }], classid: '1:10' },
    });
    // A hash table of 256 buckets keyed on the last byte of the destination.
    await nl.filter.add({ dev: 'nlts-f0', parent: '1:', protocol: 'ip', priority: 5, handle: '2:', kind: 'u32', options: { divisor: 256 } });
    await nl.filter.add({
      dev: 'nlts-f0', parent: '1:', protocol: 'ip', priority: 5, kind: 'u32',
      options: { ht: '800::', match: [{ ip: 'dst', value: '198.18.0.0/24' }], hashkey: { mask: 0xff, at: 16 }, link: '2:' },
    });
    await nl.filter.add({
      dev: 'nlts-f0', parent: '1:', protocol: 'ip', priority: 5, kind: 'u32',
      options: { ht: '2:', sample: { match: { ip: 'dst', value: '198.18.0.9/32' } }, match: [{ ip: 'dst', value: '198.18.0.9/32' }], classid: '1:10' },
    });
    sameJson('filter', 'show', 'dev', 'nlts-f0');
    sameJson('filter', 'show', 'dev', 'nlts-f0', 'parent', '1:', 'pref', '5');
    const text = tc('filter', 'show', 'dev', 'nlts-f0');
    assert.match(text, /match c6120000\/ffff0000 at 16/);
    assert.match(text, /fh 2:9:800 order 2048 key ht 2 bkt 9 \*flowid 1:10/);
    const mine = (await nl.filter.list({ dev: 'nlts-f0', parent: '1:' })).map(shape);
    const f1 = (await nl.filter.list({ dev: 'nlts-f0', parent: '1:', priority: 1 })).find((f) => f.handle !== 0 && isFilter(f, 'u32') && f.options?.sel)!;
    assert.ok(isFilter(f1, 'u32'));
    if (isFilter(f1, 'u32')) {
      assert.is(f1.protocol, 'ip');
      assert.is(f1.options!.classid, '1:10');
      assert.equal(f1.options!.sel!.keys, [{ val: 0xc6120000, mask: 0xffff0000, off: 16, offmask: 0 }, { val: 80, mask: 0xffff, off: 20, offmask: 0 }]);
    }
    // The same filters written by tc decode the same.
    await nl.qdisc.delete({ dev: 'nlts-f0', parent: 'root' });
    for (const line of [
      'qdisc add dev nlts-f0 root handle 1: htb default 10',
      'class add dev nlts-f0 parent 1: classid 1:10 htb rate 10mbit',
      'filter add dev nlts-f0 parent 1: protocol ip prio 1 u32 match ip dst 198.18.0.0/16 match ip dport 80 0xffff classid 1:10',
      'filter add dev nlts-f0 parent 1: protocol ipv6 prio 2 u32 match ip6 src fd00:1::/64 match ip6 protocol 6 0xff match ip6 dport 22 0xffff classid 1:10',
      'filter add dev nlts-f0 parent 1: protocol ip prio 3 u32 match ip protocol 6 0xff match tcp src 1024 0xfc00 match tcp dst 443 0xffff classid 1:10',
      'filter add dev nlts-f0 parent 1: protocol ip prio 5 handle 2: u32 divisor 256',
      'filter add dev nlts-f0 parent 1: protocol ip prio 5 u32 ht 800:: match ip dst 198.18.0.0/24 hashkey mask 0x000000ff at 16 link 2:',
      'filter add dev nlts-f0 parent 1: protocol ip prio 5 u32 ht 2: sample ip dst 198.18.0.9/32 match ip dst 198.18.0.9/32 classid 1:10',
    ]) tc(...line.split(' '));
    const theirs = (await nl.filter.list({ dev: 'nlts-f0', parent: '1:' })).map(shape);
    assert.equal(theirs, mine);
    // Replace one (the kernel keeps an existing u32 node's keys and takes the rest), delete a priority.
    await nl.filter.replace({
      dev: 'nlts-f0', parent: '1:', protocol: 'ip', priority: 1, handle: '800::800', kind: 'u32',
      options: { match: [{ ip: 'dst', value: '198.18.0.0/16' }], classid: '1:11' },
    });
    assert.match(tc('filter', 'show', 'dev', 'nlts-f0', 'pref', '1'), /800::800 .*flowid 1:11/);
    await nl.filter.delete({ dev: 'nlts-f0', parent: '1:', priority: 2, protocol: 'ipv6' });
    assert.not.match(tc('filter', 'show', 'dev', 'nlts-f0'), /pref 2 /);
  } finally {
    ip('link', 'del', 'nlts-f0');
  }
});

test('ingress traffic redirected to an ifb with u32 + mirred, as for ingress shaping', async () => {
  ip('link', 'add', 'nlts-f2', 'type', 'veth', 'peer', 'name', 'nlts-f3');
  ip('link', 'add', 'nlts-ifb1', 'type', 'ifb');
  try {
    await using nl = await Rtnl.open();
    await nl.qdisc.add({ dev: 'nlts-f3', kind: 'ingress' });
    await nl.filter.add({
      dev: 'nlts-f3', parent: 'ffff:', protocol: 'all', kind: 'u32',
      options: { match: [{ u32: 0, mask: 0 }], actions: [{ kind: 'mirred', options: { action: 'redirect', direction: 'egress', dev: 'nlts-ifb1' } }] },
    });
    await nl.qdisc.add({ dev: 'nlts-ifb1', parent: 'root', kind: 'tbf', options: { rate: '1mbit', burst: '10kb', latency: '50ms' } });
    sameJson('filter', 'show', 'dev', 'nlts-f3', 'parent', 'ffff:');
    const [, , f] = await nl.filter.list({ dev: 'nlts-f3', parent: 'ffff:' });
    assert.ok(f && isFilter(f, 'u32'));
    if (f && isFilter(f, 'u32')) {
      const a = f.options!.actions![0]!;
      assert.is(a.kind, 'mirred');
      if (a.kind === 'mirred' && a.options && !Buffer.isBuffer(a.options)) {
        assert.is(a.options.action, 'redirect');
        assert.is(a.options.direction, 'egress');
        assert.is(a.options.ifindex, await nl.ifindex('nlts-ifb1'));
        assert.is(a.options.control, 'stolen');
      }
    }
    // Traffic arriving on nlts-f3 now leaves through the ifb.
    for (const d of ['nlts-f2', 'nlts-f3', 'nlts-ifb1']) ip('link', 'set', d, 'up');
    ip('addr', 'add', '198.18.5.1/30', 'dev', 'nlts-f2');
    const before = (await nl.link.get('nlts-ifb1')).stats64?.rx_packets ?? 0;
    // UDP to the peer makes nlts-f2 send ARP requests, which arrive on nlts-f3 and are redirected;
    // the counters move when the packets have gone through, so they are polled, a datagram each time.
    const sock = createSocket('udp4');
    const rxPackets = async (): Promise<number> => (await nl.link.get('nlts-ifb1')).stats64?.rx_packets ?? 0;
    const mirredPackets = async (): Promise<number> => {
      const [, , counted] = await nl.filter.list({ dev: 'nlts-f3', parent: 'ffff:' });
      const act = counted && isFilter(counted, 'u32') ? counted.options?.actions?.[0] : undefined;
      return act?.stats?.packets ?? 0;
    };
    try {
      await waitFor(async () => {
        await new Promise<void>((resolve) => { sock.send('nlts', 9, '198.18.5.2', () => resolve()); });
        return await rxPackets() > before && await mirredPackets() > 0;
      }, { what: 'the redirected packets to be counted' }).catch(() => undefined);
    } finally {
      sock.close();
    }
    const after = await rxPackets();
    assert.ok(after > before, `the ifb received the redirected packets (${before} → ${after})`);
    assert.ok(await mirredPackets() > 0, 'the mirred action counted them');
    // tc's own mirred decodes like ours, mirror included.
    tc('filter', 'add', 'dev', 'nlts-f3', 'parent', 'ffff:', 'protocol', 'ip', 'prio', '7', 'u32', 'match', 'ip', 'protocol', '1', '0xff',
      'action', 'mirred', 'egress', 'mirror', 'dev', 'nlts-ifb1');
    const mirror = (await nl.filter.list({ dev: 'nlts-f3', parent: 'ffff:', priority: 7 })).find((x) => x.handle !== 0 && isFilter(x, 'u32') && x.options?.actions);
    assert.ok(mirror && isFilter(mirror, 'u32'));
    if (mirror && isFilter(mirror, 'u32')) {
      const a = mirror.options!.actions![0]!;
      assert.ok(a.kind === 'mirred' && a.options && !Buffer.isBuffer(a.options) && a.options.action === 'mirror' && a.options.control === 'pipe');
    }
    // With the sources down nothing moves, so two readers see the same counters.
    ip('link', 'set', 'nlts-f2', 'down');
    ip('link', 'set', 'nlts-f3', 'down');
    sameJson('-s', 'qdisc', 'show', 'dev', 'nlts-ifb1');
    sameJson('-s', 'filter', 'show', 'dev', 'nlts-f3', 'parent', 'ffff:');
  } finally {
    ip('link', 'del', 'nlts-f2');
    ip('link', 'del', 'nlts-ifb1');
  }
});

realRootTest('bpf: a pinned program attached in direct-action mode, by us and by tc', async () => {
  ip('link', 'add', 'nlts-f4', 'type', 'veth', 'peer', 'name', 'nlts-f5');
  mkdirSync('/tmp/nlts-bpf', { recursive: true });
  run('mount', ['-t', 'bpf', 'bpf', '/tmp/nlts-bpf']);
  try {
    // r0 = 0 (TC_ACT_OK); exit
    const insns = Buffer.alloc(16);
    insns[0] = BPF_ALU64 | BPF_MOV | BPF_K;
    insns[8] = BPF_JMP | BPF_EXIT;
    const fd = bpfProgLoad(BPF_PROG_TYPE_SCHED_CLS, insns);
    bpfObjPin(fd, '/tmp/nlts-bpf/nlts-prog');
    await using nl = await Rtnl.open();
    await nl.qdisc.add({ dev: 'nlts-f4', kind: 'clsact' });
    await nl.filter.add({ dev: 'nlts-f4', parent: 'ingress', priority: 1, handle: 1, kind: 'bpf', options: { pinned: '/tmp/nlts-bpf/nlts-prog', directAction: true } });
    await nl.filter.add({ dev: 'nlts-f4', parent: 'egress', priority: 1, handle: 1, kind: 'bpf', options: { fd, name: 'by-fd', directAction: true } });
    // tc adds what bpf_dump_prog_info reads with more bpf(2) calls (name, jited); the rest must match.
    const strip = (s: string): string => s.replace(/,"prog":\{[^}]*\}/g, '');
    for (const hook of ['ingress', 'egress']) {
      assert.is(strip(ours('-j', 'filter', 'show', 'dev', 'nlts-f4', hook)), strip(tc('-j', 'filter', 'show', 'dev', 'nlts-f4', hook)));
    }
    const [mine] = (await nl.filter.list({ dev: 'nlts-f4', parent: 'ingress' })).filter((f) => f.options);
    assert.ok(mine && isFilter(mine, 'bpf'));
    if (mine && isFilter(mine, 'bpf')) {
      assert.is(mine.options!.name, 'nlts-prog:[*fsobj]');
      assert.is(mine.options!.directAction, true);
      assert.ok(mine.options!.id! > 0);
    }
    tc('filter', 'add', 'dev', 'nlts-f4', 'ingress', 'prio', '2', 'handle', '1', 'bpf', 'da', 'object-pinned', '/tmp/nlts-bpf/nlts-prog');
    const [theirs] = (await nl.filter.list({ dev: 'nlts-f4', parent: 'ingress', priority: 2 })).filter((f) => f.options);
    assert.equal({ ...shape(theirs!) as object, priority: 1 }, shape(mine!));
  } finally {
    ip('link', 'del', 'nlts-f4');
    run('umount', ['/tmp/nlts-bpf']);
  }
});

test('refusals name the missing classifier or action; bad input fails before sending', async () => {
  ip('link', 'add', 'nlts-f6', 'type', 'veth', 'peer', 'name', 'nlts-f7');
  try {
    await using nl = await Rtnl.open();
    await nl.qdisc.add({ dev: 'nlts-f6', kind: 'clsact' });
    try {
      await nl.filter.add({ dev: 'nlts-f6', parent: 'ingress', kind: 'matchall', options: { classid: '1:1' } });
      assert.unreachable();
    } catch (e) {
      assert.instance(e, NetlinkError);
      assert.match((e as Error).message, /this kernel has no classifier "matchall"/);
    }
    try {
      await nl.filter.add({ dev: 'nlts-f6', parent: 'ingress', kind: 'u32', options: { match: [{ u32: 0, mask: 0 }], actions: [{ kind: 'gact', options: { action: 'drop' } }] } });
      assert.unreachable();
    } catch (e) {
      assert.instance(e, NetlinkError);
      assert.match((e as Error).message, /this kernel has no action "gact"/);
    }
    try {
      await nl.filter.add({ dev: 'nlts-f6', parent: 'ingress', kind: 'u32', options: { match: [{ ip: 'dst', value: '198.18.0.0/33' }] } });
      assert.unreachable();
    } catch (e) {
      assert.match((e as Error).message, /filter\.options\.match\[0\]\.value: prefix length "33"/);
    }
    try {
      await nl.filter.add({ dev: 'nlts-f6', parent: 'ingress', kind: 'u32', options: { actions: [{ kind: 'mirred', options: { action: 'redirect', dev: 'nlts-nope' } }] } });
      assert.unreachable();
    } catch (e) {
      assert.instance(e, NetlinkError);
      assert.is((e as NetlinkError).code, 'ENODEV');
    }
    try {
      await nl.filter.add({ dev: 'nlts-f6', parent: '7:', kind: 'u32', options: { match: [{ u32: 0, mask: 0 }] } });
      assert.unreachable();
    } catch (e) {
      assert.instance(e, NetlinkError);
      assert.match((e as Error).message, /7:/);
    }
  } finally {
    ip('link', 'del', 'nlts-f6');
  }
});

test.run();
