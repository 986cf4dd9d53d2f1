// A lab and a sequence of edits to it, each a kind of change apply() makes:
// a qdisc in place, a namespace created, an address moved, a link made anew,
// a qdisc of another kind, sysctls set and no longer set, a namespace deleted.
// Test addresses only.
import type { LabDescription } from '../../src/lab/description.js';

export const BASE: LabDescription = {
  name: 'edits',
  prefix: 'nlts-ap-',
  namespaces: [
    { name: 'a', routes: [{ to: 'default', via: '198.18.1.1' }], dns: { hosts: { b: '198.18.2.2' } } },
    { name: 'r', forwarding: true },
    { name: 'b', routes: [{ to: 'default', via: '198.18.2.1' }] },
  ],
  veths: [
    { a: { name: 'e0', namespace: 'a', addresses: ['198.18.1.2/24'] }, b: { name: 'ra', namespace: 'r', addresses: ['198.18.1.1/24'], qdisc: { kind: 'tbf', rate: '1mbit', burst: '32kbit', latency: '400ms' } } },
    { a: { name: 'e0', namespace: 'b', addresses: ['198.18.2.2/24'] }, b: { name: 'rb', namespace: 'r', addresses: ['198.18.2.1/24'] } },
  ],
};

const edit = (d: LabDescription, fn: (d: LabDescription) => void): LabDescription => {
  const out = structuredClone(d);
  fn(out);
  return out;
};

/** Each edit a kind of change: in place, created, moved, made anew, deleted. */
export const EDITS: [string, LabDescription][] = [];
{
  let d = BASE;
  const push = (what: string, fn: (d: LabDescription) => void) => { d = edit(d, fn); EDITS.push([what, d]); };
  push('a new tbf rate', (x) => { x.veths![0]!.b.qdisc = { kind: 'tbf', rate: '2mbit', burst: '32kbit', latency: '400ms' }; });
  push('a new namespace behind the router, IPv6 on b', (x) => {
    x.namespaces.push({ name: 'c', routes: [{ to: 'default', via: '198.18.3.1' }] });
    x.veths!.push({ a: { name: 'rc', namespace: 'r', addresses: ['198.18.3.1/24'] }, b: { name: 'e0', namespace: 'c', addresses: ['198.18.3.2/24'] } });
    x.veths![1]!.a.addresses!.push('fd00:2::2/64');
    x.veths![1]!.b.addresses!.push('fd00:2::1/64');
    x.namespaces[2]!.routes!.push({ to: 'fd00:9::/64', via: 'fd00:2::1' });
  });
  push('an address moved, an mtu, a hosts file', (x) => {
    x.veths![1]!.a.addresses![0] = '198.18.2.3/24';
    x.veths![0]!.a.mtu = 1400;
    x.namespaces[0]!.dns = { hosts: { b: '198.18.2.3' } };
  });
  push('tbf becomes pfifo, a sysctl, a route with a metric', (x) => {
    x.veths![0]!.b.qdisc = { kind: 'pfifo', limit: 50 };
    x.namespaces[0]!.sysctls = { 'net.ipv4.conf.all.rp_filter': 0 };
    x.namespaces[2]!.routes!.push({ to: '198.18.9.0/24', via: '198.18.2.1', metric: 20 });
  });
  push('a namespace deleted, a sysctl no longer set', (x) => {
    x.namespaces = x.namespaces.filter((n) => n.name !== 'c');
    x.veths = x.veths!.filter((v) => v.b.namespace !== 'c');
    delete x.namespaces[0]!.sysctls;
  });
}

