// Kernel round trips for qdiscs and classes: what we write, tc reads back the
// same (and `netlink-ts ... --json` prints what `tc -j` prints); what tc
// writes, we decode the same.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Rtnl } from '../../src/client.js';
import { NetlinkError } from '../../src/netlink/errors.js';
import { type Qdisc, isQdisc } from '../../src/rtnl/tc/qdisc.js';
import { type TcClass, isClass } from '../../src/rtnl/tc/class.js';
import { ip, requireIsolation, run } from '../helpers/sh.js';
import { ours, sameJson, tc } from '../helpers/tc.js';

requireIsolation();

function pair(a: string, b: string): void {
  ip('link', 'add', a, 'type', 'veth', 'peer', 'name', b);
}

/** What identifies a qdisc's configuration, without kernel-assigned handles and counters. */
function shape(q: Qdisc | TcClass): unknown {
  const { stats, xstats, ifindex, ...rest } = q as Qdisc & { xstats?: unknown };
  void stats; void xstats; void ifindex;
  return rest;
}


test('htb with classes, fifos under them: we write, tc reads the same', async () => {
  pair('nlts-q0', 'nlts-q1');
  try {
    await using nl = await Rtnl.open();
    await nl.qdisc.add({ dev: 'nlts-q0', parent: 'root', handle: '1:', kind: 'htb', options: { default: 0x10, r2q: 5, directQlen: 100 } });
    await nl.class.add({ dev: 'nlts-q0', parent: '1:', classid: '1:1', kind: 'htb', options: { rate: '10mbit', ceil: '20mbit' } });
    await nl.class.add({ dev: 'nlts-q0', parent: '1:1', classid: '1:10', kind: 'htb', options: { rate: '1mbit', ceil: '5mbit', prio: 3, burst: '15k', quantum: 1514 } });
    await nl.class.add({ dev: 'nlts-q0', parent: '1:1', classid: '1:20', kind: 'htb', options: { rate: '40gbit', ceil: '100gbit' } });
    await nl.qdisc.add({ dev: 'nlts-q0', parent: '1:10', handle: '10:', kind: 'pfifo', options: { limit: 50 } });
    await nl.qdisc.add({ dev: 'nlts-q0', parent: '1:20', handle: '20:', kind: 'bfifo', options: { limit: '10kb' } });
    const j = JSON.parse(tc('-j', 'qdisc', 'show', 'dev', 'nlts-q0')) as Record<string, unknown>[];
    assert.equal(j.map((q) => q.kind), ['htb', 'pfifo', 'bfifo']);
    assert.equal(j[0]!.options, { r2q: 5, default: '0x10', direct_packets_stat: 0, direct_qlen: 100 });
    assert.equal(j[1]!.options, { limit: 50 });
    assert.equal(j[2]!.options, { limit: 10240 });
    sameJson('qdisc', 'show', 'dev', 'nlts-q0');
    sameJson('qdisc', 'show');
    sameJson('-s', 'qdisc', 'show', 'dev', 'nlts-q0');
    sameJson('-d', 'qdisc', 'show', 'dev', 'nlts-q0'); // htb's version, which tc prints only with -d
    // tc 6.1 prints classes as text only: compare the text lines.
    const text = tc('class', 'show', 'dev', 'nlts-q0');
    assert.match(text, /class htb 1:10 parent 1:1 leaf 10: prio 3 rate 1Mbit ceil 5Mbit burst 15Kb cburst 1600b/);
    assert.match(text, /class htb 1:20 parent 1:1 leaf 20: prio 0 rate 40Gbit ceil 100Gbit/);
    assert.is(ours('class', 'show', 'dev', 'nlts-q0').split('\n').map((l) => l.trimEnd()).join('\n'),
      text.split('\n').map((l) => l.trimEnd()).join('\n'), 'class text equals tc');
    const classes = await nl.class.list({ dev: 'nlts-q0' });
    const c20 = classes.find((c) => c.handle === '1:20')!;
    assert.ok(isClass(c20, 'htb'));
    if (isClass(c20, 'htb')) {
      assert.is(c20.options!.rate, 5000000000);
      assert.is(c20.options!.ceil, 12500000000);
    }
    await nl.class.delete({ dev: 'nlts-q0', classid: '1:20' }).catch((e) => assert.instance(e, NetlinkError));
  } finally {
    ip('link', 'del', 'nlts-q0');
  }
});

test('htb, tbf, fifos, ingress, clsact: what tc writes, we decode as we wrote it', async () => {
  pair('nlts-q2', 'nlts-q3');
  pair('nlts-q4', 'nlts-q5');
  try {
    await using nl = await Rtnl.open();
    const setups: [string, () => Promise<void>, string[]][] = [
      ['nlts-q2', () => nl.qdisc.add({ dev: 'nlts-q2', parent: 'root', handle: '1:', kind: 'htb', options: { default: '20' } }),
        ['qdisc', 'add', 'dev', 'nlts-q2', 'root', 'handle', '1:', 'htb', 'default', '20']],
      ['nlts-q3', () => nl.qdisc.add({ dev: 'nlts-q3', parent: 'root', handle: '5:', kind: 'tbf', options: { rate: '8mbit', burst: '32kb', limit: '100kb', peakrate: '10mbit', mtu: 2000 } }),
        ['qdisc', 'add', 'dev', 'nlts-q3', 'root', 'handle', '5:', 'tbf', 'rate', '8mbit', 'burst', '32kb', 'limit', '100kb', 'peakrate', '10mbit', 'mtu', '2000']],
      ['nlts-q4', () => nl.qdisc.add({ dev: 'nlts-q4', kind: 'ingress' }), ['qdisc', 'add', 'dev', 'nlts-q4', 'ingress']],
      ['nlts-q5', () => nl.qdisc.add({ dev: 'nlts-q5', kind: 'clsact' }), ['qdisc', 'add', 'dev', 'nlts-q5', 'clsact']],
    ];
    for (const [dev, ourAdd, tcAdd] of setups) {
      await ourAdd();
      const mine = (await nl.qdisc.list({ dev })).map(shape);
      sameJson('qdisc', 'show', 'dev', dev);
      await nl.qdisc.delete({ dev, parent: dev === 'nlts-q4' ? 'ingress' : dev === 'nlts-q5' ? 'clsact' : 'root' });
      tc(...tcAdd);
      const theirs = (await nl.qdisc.list({ dev })).map(shape);
      assert.equal(theirs, mine, `tc's ${tcAdd.join(' ')} decodes as ours`);
    }
    // Classes: tc writes, we decode the same as when we write.
    tc('class', 'add', 'dev', 'nlts-q2', 'parent', '1:', 'classid', '1:5', 'htb', 'rate', '3mbit', 'ceil', '7mbit', 'burst', '20kb', 'prio', '1');
    await nl.class.add({ dev: 'nlts-q2', parent: '1:', classid: '1:6', kind: 'htb', options: { rate: '3mbit', ceil: '7mbit', burst: '20kb', prio: 1 } });
    const cs = await nl.class.list({ dev: 'nlts-q2' });
    const [c5, c6] = ['1:5', '1:6'].map((h) => cs.find((c) => c.handle === h)!);
    assert.equal({ ...shape(c5!) as object, handle: '' }, { ...shape(c6!) as object, handle: '' });
    assert.equal(c5!.kind === 'htb' && c5!.options, {
      rate: 375000, ceil: 875000, burst: 20479, cburst: 1598, buffer: 853328, cbuffer: 28562, prio: 1, quantum: 37500, level: 0,
      mpu: 0, overhead: 0, linklayer: 'ethernet',
    });
    // The same class changed by us, read by tc.
    await nl.class.change({ dev: 'nlts-q2', parent: '1:', classid: '1:5', kind: 'htb', options: { rate: '4mbit', ceil: '8mbit' } });
    assert.match(tc('class', 'show', 'dev', 'nlts-q2', 'classid', '1:5'), /rate 4Mbit ceil 8Mbit/);
    await nl.class.replace({ dev: 'nlts-q2', parent: '1:', classid: '1:7', kind: 'htb', options: { rate: '1mbit' } });
    await nl.class.delete({ dev: 'nlts-q2', classid: '1:7' });
    assert.not.match(tc('class', 'show', 'dev', 'nlts-q2'), /1:7/);
  } finally {
    ip('link', 'del', 'nlts-q2');
    ip('link', 'del', 'nlts-q4');
  }
});

test('change and replace qdiscs; pfifo_fast and noqueue are read', async () => {
  pair('nlts-q6', 'nlts-q7');
  ip('link', 'add', 'nlts-ifb0', 'type', 'ifb');
  try {
    await using nl = await Rtnl.open();
    await nl.qdisc.add({ dev: 'nlts-q6', parent: 'root', handle: '1:', kind: 'tbf', options: { rate: '1mbit', burst: '10kb', latency: '50ms' } });
    await nl.qdisc.change({ dev: 'nlts-q6', parent: 'root', handle: '1:', kind: 'tbf', options: { rate: '2mbit', burst: '20kb', latency: '20ms' } });
    const [t] = await nl.qdisc.list({ dev: 'nlts-q6' });
    assert.ok(isQdisc(t!, 'tbf') && t.options!.rate === 250000 && t.options!.burst === 20480);
    await nl.qdisc.replace({ dev: 'nlts-q6', parent: 'root', kind: 'pfifo', options: { limit: 30 }, estimator: { interval: '1s', timeConstant: '8s' } });
    assert.match(tc('qdisc', 'show', 'dev', 'nlts-q6'), /qdisc pfifo .* limit 30p/);
    // A rate estimator: its rate and pps show in -s, as with tc.
    const [est] = await nl.qdisc.list({ dev: 'nlts-q6' });
    assert.equal(est!.stats!.rate, { bps: 0, pps: 0 });
    assert.match(tc('-j', '-s', 'qdisc', 'show', 'dev', 'nlts-q6'), /"rate":0,"pps":0/);
    sameJson('-s', 'qdisc', 'show', 'dev', 'nlts-q6');
    // A device gets its default qdisc when it comes up: noqueue for a veth.
    ip('link', 'set', 'nlts-q7', 'up');
    const [noq] = await nl.qdisc.list({ dev: 'nlts-q7' });
    assert.is(noq!.kind, 'noqueue');
    assert.is(noq!.handle, '0:');
    // An ifb has a real queue: pfifo_fast once it is up (the kernel attaches defaults on open).
    ip('link', 'set', 'nlts-ifb0', 'up');
    const fast = (await nl.qdisc.list({ dev: 'nlts-ifb0' }))[0]!;
    assert.is(fast.kind, 'pfifo_fast');
    if (fast.kind === 'pfifo_fast') assert.equal(fast.options, { bands: 3, priomap: [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1] });
    sameJson('qdisc', 'show', 'dev', 'nlts-ifb0');
  } finally {
    ip('link', 'del', 'nlts-q6');
    ip('link', 'del', 'nlts-ifb0');
  }
});

test('refusals: unknown kind names the kind, missing parent, extack text', async () => {
  pair('nlts-q8', 'nlts-q9');
  try {
    await using nl = await Rtnl.open();
    try {
      // A kind no kernel has (this test also runs on the User-mode Linux kernel, which has netem).
      await nl.qdisc.add({ dev: 'nlts-q8', parent: 'root', kind: 'nltsnone' as 'pfifo' });
      assert.unreachable('no kernel has nltsnone');
    } catch (e) {
      assert.instance(e, NetlinkError);
      assert.match((e as Error).message, /this kernel has no qdisc "nltsnone"/);
      assert.match((e as Error).message, /Specified qdisc kind is unknown/);
    }
    await nl.qdisc.add({ dev: 'nlts-q8', parent: 'root', handle: '1:', kind: 'htb' });
    try {
      await nl.class.add({ dev: 'nlts-q8', parent: '5:', classid: '5:1', kind: 'htb', options: { rate: '1mbit' } });
      assert.unreachable();
    } catch (e) {
      assert.instance(e, NetlinkError);
      assert.is((e as NetlinkError).code, 'ENOENT');
      assert.match((e as Error).message, /parent 5:/);
    }
    try {
      await nl.qdisc.add({ dev: 'nlts-q8', parent: 'root', handle: '1:', kind: 'htb' });
      assert.unreachable();
    } catch (e) {
      assert.instance(e, NetlinkError);
      assert.is((e as NetlinkError).code, 'EEXIST');
    }
    try {
      await nl.class.add({ dev: 'nlts-q8', parent: '1:', classid: '1:1', kind: 'htb', options: { rate: '10mbits' } });
      assert.unreachable();
    } catch (e) {
      assert.match((e as Error).message, /class\.options\.rate: rate "10mbits": unknown unit/);
    }
  } finally {
    ip('link', 'del', 'nlts-q8');
  }
});

test.run();
