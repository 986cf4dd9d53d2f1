// Our qdisc and class requests, given what a tc command line means, equal the
// bytes tc 6.1 sent for it (test/fixtures/iproute2/tc, captured with strace).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RTM_DELQDISC, RTM_DELTCLASS, RTM_NEWQDISC, RTM_NEWTCLASS } from '../../src/generated/linux/rtnetlink.js';
import { type ClassSpec, classRequest } from '../../src/rtnl/tc/class.js';
import { DEFAULT_CLOCK, setPschedClock } from '../../src/rtnl/tc/psched.js';
import { type QdiscSpec, type TcVerb, qdiscRequest } from '../../src/rtnl/tc/qdisc.js';
import { hexdump, loadFixture, requestOf } from '../helpers/fixtures.js';
import { fixtureIfindex, requestBytes } from '../helpers/tc.js';

setPschedClock(DEFAULT_CLOCK);

type Q = Omit<QdiscSpec, 'ifindex'>;
type C = Omit<ClassSpec, 'ifindex'>;

const qdiscs: [string, TcVerb | 'link', Q][] = [
  ['qdisc-htb-root', 'add', { parent: 'root', handle: '1:', kind: 'htb', options: { default: '10', r2q: 5, directQlen: 100 } }],
  ['qdisc-htb-plain', 'add', { parent: 'root', handle: '1:', kind: 'htb' }],
  ['qdisc-change-htb', 'change', { parent: 'root', handle: '1:', kind: 'htb', options: { default: 0x20 } }],
  ['qdisc-estimator', 'add', { parent: 'root', handle: '1:', kind: 'htb', estimator: { interval: '1s', timeConstant: '8s' } }],
  ['qdisc-tbf-latency', 'add', { parent: 'root', kind: 'tbf', options: { rate: '1mbit', burst: '10kb', latency: '50ms' } }],
  ['qdisc-tbf-peak', 'add', {
    parent: 'root', handle: '5:', kind: 'tbf',
    options: { rate: '8mbit', burst: '32kb/8', limit: '100kb', peakrate: '10mbit', mtu: 2000, mpu: 64, overhead: 4 },
  }],
  ['qdisc-tbf-64bit', 'add', { parent: 'root', kind: 'tbf', options: { rate: '50gbit', burst: '1mb', latency: '10ms' } }],
  ['qdisc-pfifo', 'add', { parent: '1:10', handle: '10:', kind: 'pfifo', options: { limit: 50 } }],
  ['qdisc-bfifo', 'replace', { parent: 'root', kind: 'bfifo', options: { limit: '10kb' } }],
  ['qdisc-pfifo-plain', 'add', { parent: 'root', kind: 'pfifo' }],
  ['qdisc-ingress', 'add', { kind: 'ingress' }],
  ['qdisc-clsact', 'add', { kind: 'clsact' }],
  ['qdisc-del-root', 'delete', { parent: 'root' }],
  ['qdisc-del-ingress', 'delete', { parent: 'ingress' }],
  ['qdisc-prio', 'add', { parent: 'root', handle: '1:', kind: 'prio', options: { bands: 4, priomap: [0, 1, 2, 3, 3, 2, 1, 0] } }],
  ['qdisc-prio-plain', 'add', { parent: 'root', kind: 'prio' }],
];

for (const [slug, verb, spec] of qdiscs) {
  test(`qdisc: ${slug}`, () => {
    const f = loadFixture(`tc/${slug}.json`);
    const type = verb === 'delete' ? RTM_DELQDISC : RTM_NEWQDISC;
    const ours = requestBytes(qdiscRequest(verb, { ...spec, ifindex: fixtureIfindex(f, type) } as QdiscSpec));
    const theirs = requestOf(f, type);
    assert.is(hexdump(ours), hexdump(theirs), f.command);
  });
}

const classes: [string, TcVerb, C][] = [
  ['class-htb-rate-ceil', 'add', { parent: '1:', classid: '1:1', kind: 'htb', options: { rate: '10mbit', ceil: '20mbit' } }],
  ['class-htb-full', 'add', {
    parent: '1:', classid: '1:10', kind: 'htb',
    options: { rate: '1.5mbit', ceil: '3mbit', burst: '15k', cburst: '20kb/8', prio: 3, quantum: 1514, mtu: 9000, mpu: 64, overhead: 24 },
  }],
  ['class-htb-64bit', 'add', { parent: '1:', classid: '1:2', kind: 'htb', options: { rate: '40gbit', ceil: '100gbit' } }],
  ['class-htb-atm', 'add', { parent: '1:', classid: '1:3', kind: 'htb', options: { rate: '512kbit', linklayer: 'atm' } }],
  ['class-htb-change', 'change', { parent: '1:', classid: '1:1', kind: 'htb', options: { rate: '2mbit', ceil: '5mbit' } }],
  ['class-htb-replace', 'replace', { parent: '1:', classid: '1:1', kind: 'htb', options: { rate: '100kbps' } }],
  ['class-del', 'delete', { classid: '1:1' }],
];

for (const [slug, verb, spec] of classes) {
  test(`class: ${slug}`, () => {
    const f = loadFixture(`tc/${slug}.json`);
    const type = verb === 'delete' ? RTM_DELTCLASS : RTM_NEWTCLASS;
    const ours = requestBytes(classRequest(verb, { ...spec, ifindex: fixtureIfindex(f, type) } as ClassSpec));
    assert.is(hexdump(ours), hexdump(requestOf(f, type)), f.command);
  });
}

test('numbers are exact: 1250000 bytes/s is 10mbit', () => {
  const a = requestBytes(classRequest('add', { ifindex: 3, parent: '1:', classid: '1:1', kind: 'htb', options: { rate: 1250000, ceil: 2500000 } }));
  const b = requestBytes(classRequest('add', { ifindex: 3, parent: '1:', classid: '1:1', kind: 'htb', options: { rate: '10mbit', ceil: '20mbit' } }));
  assert.equal(a, b);
});

test.run();
