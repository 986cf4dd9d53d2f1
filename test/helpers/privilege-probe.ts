// Run without CAP_NET_ADMIN (test/kernel/privilege.test.ts starts it through
// setpriv): tries every changing verb on the objects the test made, and every
// read, and prints what happened to each as JSON.
import { readFileSync } from 'node:fs';
import { Rtnl } from '../../src/client.js';
import * as netns from '../../src/netns/index.js';

export interface Outcome { call: string; ok: boolean; code?: string; name?: string; operation?: string; message?: string }
export interface PrivilegeReport { capEff: string; uid: number; changes: Outcome[]; reads: Outcome[] }

const D0 = 'nlts-pv0';
const D1 = 'nlts-pv1';

async function attempt(call: string, fn: () => unknown): Promise<Outcome> {
  try {
    await fn();
    return { call, ok: true };
  } catch (e) {
    const err = e as Error & { code?: string; operation?: string };
    return { call, ok: false, code: err.code, name: err.name, operation: err.operation, message: err.message };
  }
}

async function main(): Promise<void> {
  const nl = Rtnl.openSync();
  const changes: [string, () => unknown][] = [
    ['link add', () => nl.link.add({ name: 'nlts-pz0', linkinfo: { kind: 'veth', data: { peer: { name: 'nlts-pz1' } } } })],
    ['link set mtu', () => nl.link.set(D0, { mtu: 1400 })],
    ['link set down', () => nl.link.set(D0, { up: false })],
    ['link del', () => nl.link.del(D1)],
    ['addr add', () => nl.addr.add({ dev: D0, address: '198.18.9.5/24' })],
    ['addr del', () => nl.addr.del({ dev: D0, address: '198.18.9.1/24' })],
    ['route add', () => nl.route.add({ dst: '198.18.11.0/24', gateway: '198.18.9.2' })],
    ['route del', () => nl.route.del({ dst: '198.18.10.0/24', gateway: '198.18.9.2' })],
    ['neigh add', () => nl.neigh.add({ dev: D0, address: '198.18.9.4', lladdr: '02:00:00:00:00:04', state: 'permanent' })],
    ['neigh delete', () => nl.neigh.delete({ dev: D0, address: '198.18.9.3' })],
    ['rule add', () => nl.rule.add({ from: '198.18.12.0/24', table: 100, priority: 1901 })],
    ['rule delete', () => nl.rule.delete({ priority: 1900 })],
    ['qdisc add', () => nl.qdisc.add({ dev: D1, parent: 'root', kind: 'pfifo', options: { limit: 10 } })],
    ['qdisc replace', () => nl.qdisc.replace({ dev: D0, parent: 'root', handle: '1:', kind: 'htb', options: { default: 20 } })],
    ['qdisc delete', () => nl.qdisc.delete({ dev: D0, parent: 'root' })],
    ['class add', () => nl.class.add({ dev: D0, parent: '1:', classid: '1:20', kind: 'htb', options: { rate: '1mbit' } })],
    ['class delete', () => nl.class.delete({ dev: D0, classid: '1:10' })],
    ['filter add', () => nl.filter.add({ dev: D0, parent: '1:', priority: 2, protocol: 'ip', kind: 'u32', options: { match: [{ ip: 'dst', value: '198.18.9.0/24' }], classid: '1:10' } })],
    ['filter delete', () => nl.filter.delete({ dev: D0, parent: '1:', priority: 1, protocol: 'ip', kind: 'u32' })],
    ['nsid set', () => nl.nsid.set('nlts-pns', 77)],
  ];
  const reads: [string, () => unknown][] = [
    ['link list', async () => { if (!(await nl.link.list()).some((l) => l.name === D0)) throw new Error('nlts-pv0 not listed'); }],
    ['link get', () => nl.link.get(D0)],
    ['addr list', async () => { if (!(await nl.addr.list({ dev: D0 })).some((a) => a.local === '198.18.9.1')) throw new Error('address not listed'); }],
    ['route list', async () => { if (!(await nl.route.list()).some((r) => r.dst === '198.18.10.0')) throw new Error('route not listed'); }],
    ['route get', () => nl.route.get({ dst: '198.18.10.1' })],
    ['neigh list', async () => { if (!(await nl.neigh.list({ dev: D0 })).some((n) => n.address === '198.18.9.3')) throw new Error('neighbour not listed'); }],
    ['rule list', async () => { if (!(await nl.rule.list()).some((r) => r.priority === 1900)) throw new Error('rule not listed'); }],
    ['qdisc list', async () => { if (!(await nl.qdisc.list({ dev: D0 })).some((q) => q.kind === 'htb')) throw new Error('qdisc not listed'); }],
    ['class list', async () => { if (!(await nl.class.list({ dev: D0 })).some((c) => c.handle === '1:10')) throw new Error('class not listed'); }],
    ['filter list', async () => { if (!(await nl.filter.list({ dev: D0, parent: '1:' })).some((f) => f.kind === 'u32')) throw new Error('filter not listed'); }],
    ['nsid list', () => nl.nsid.list()],
    ['netns list', () => { if (!netns.list().includes('nlts-pns')) throw new Error('nlts-pns not listed'); }],
  ];
  const report: PrivilegeReport = {
    capEff: /^CapEff:\s*(\w+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '?',
    uid: process.getuid!(),
    changes: [],
    reads: [],
  };
  for (const [call, fn] of changes) report.changes.push(await attempt(call, fn));
  for (const [call, fn] of reads) report.reads.push(await attempt(call, fn));
  nl.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
