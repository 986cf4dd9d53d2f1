// Carrying out a lab's ops on a backend: one op, or the ops of one batch
// (consecutive ops of one kind in one namespace), as one backend call. up()
// and down() (lab.ts) and apply() (apply.ts) all go through here.
import type { LabBackend } from './backend.js';
import { LabError } from './errors.js';
import type { LabOp } from './plan.js';

/** The ops of one kind from a batch (every op of a batch has the first one's kind). */
function allOf<K extends LabOp['op']>(ops: LabOp[], kind: K): Extract<LabOp, { op: K }>[] {
  return ops.filter((o): o is Extract<LabOp, { op: K }> => o.op === kind);
}

/** The backend's method for a change only apply() makes, or a LabError saying the backend cannot change a lab. */
function need<T>(method: T | undefined, what: string): T {
  if (method === undefined) throw new LabError(`this lab backend cannot ${what}, which changing a lab that is up needs`);
  return method;
}

export async function runOps(b: LabBackend, ops: LabOp[]): Promise<void> {
  const first = ops[0];
  if (first === undefined) return;
  switch (first.op) {
    case 'netns.add': return b.createNamespace(first.ns);
    case 'netns.del': await b.deleteNamespace(first.ns); return;
    case 'link.add': return b.addLinks(first.ns, allOf(ops, 'link.add').map((o) => o.link));
    case 'link.del': await b.deleteLink(first.ns, first.name); return;
    case 'link.master': return b.setMasters(first.ns, allOf(ops, 'link.master').map((o) => ({ name: o.name, master: o.master })));
    case 'vlan.add': return b.addBridgeVlans(first.ns, allOf(ops, 'vlan.add').map((o) => ({ dev: o.dev, vlan: o.vlan, ...(o.self ? { self: true } : {}) })));
    case 'link.up': return b.setLinksUp(first.ns, allOf(ops, 'link.up').map((o) => o.name));
    case 'sysctl.set': return b.setSysctls(first.ns, allOf(ops, 'sysctl.set').map((o) => ({ key: o.key, value: o.value })));
    case 'addr.add': return b.addAddresses(first.ns, allOf(ops, 'addr.add').map((o) => o.address));
    case 'route.add': return b.addRoutes(first.ns, allOf(ops, 'route.add').map((o) => o.route));
    case 'qdisc.add': return b.addQdiscs(first.ns, allOf(ops, 'qdisc.add').map((o) => ({ dev: o.dev, qdisc: o.qdisc })));
    case 'firewall.apply': return b.applyFirewall(first.ns, first.doc);
    case 'dns.write': return b.writeDnsFiles(first.ns, first.files);
    case 'dns.remove': await b.removeDnsFiles(first.ns); return;
    case 'addr.del': return need(b.deleteAddresses, 'delete addresses').call(b, first.ns, allOf(ops, 'addr.del').map((o) => o.address));
    case 'route.del': return need(b.deleteRoutes, 'delete routes').call(b, first.ns, allOf(ops, 'route.del').map((o) => o.route));
    case 'qdisc.del': return need(b.deleteQdiscs, 'delete qdiscs').call(b, first.ns, allOf(ops, 'qdisc.del').map((o) => o.dev));
    case 'qdisc.change': return need(b.changeQdiscs, 'change qdiscs').call(b, first.ns, allOf(ops, 'qdisc.change').map((o) => ({ dev: o.dev, qdisc: o.qdisc })));
  }
}

/** The batch a step of apply() may share with its neighbours (null: it goes alone, as the backend takes such ops one by one). */
export function batchKey(op: LabOp): string | undefined {
  switch (op.op) {
    case 'netns.add': case 'netns.del': case 'link.del': case 'firewall.apply': case 'dns.write': case 'dns.remove':
      return undefined;
    default:
      return `${op.op} ${op.ns ?? '(root)'}`;
  }
}
