// A lab's qdisc as the traffic-control layer takes it: the root qdisc, and
// for htb its classes. Pure; the kernel backend sends what this builds, and
// the validator encodes it once so that a value tc's units refuse is reported
// with the rest of the description's problems, before anything is made.
import { NetlinkWriter } from '../netlink/writer.js';
import { EncodeError } from '../netlink/errors.js';
import { type ClassSpec, classRequest } from '../rtnl/tc/class.js';
import { type QdiscSpec as TcQdiscSpec, qdiscRequest } from '../rtnl/tc/qdisc.js';
import type { Request } from '../netlink/request.js';
import type { LabQdiscSpec } from './description.js';

export interface TcPlan {
  qdisc: TcQdiscSpec;
  classes: ClassSpec[];
}

/** An htb class id: minor `id` of major 1 ("1:a" for 10, as tc prints it). */
export function htbClassId(id: number): string {
  return `1:${id.toString(16)}`;
}

/** The tc specs of a lab qdisc on the link with this index. */
export function tcPlan(spec: LabQdiscSpec, ifindex: number): TcPlan {
  switch (spec.kind) {
    case 'netem': {
      const { kind: _k, ...options } = spec;
      return { qdisc: { ifindex, parent: 'root', kind: 'netem', options }, classes: [] };
    }
    case 'tbf': {
      const { kind: _k, ...options } = spec;
      return { qdisc: { ifindex, parent: 'root', kind: 'tbf', options }, classes: [] };
    }
    case 'htb': {
      const qdisc: TcQdiscSpec = { ifindex, parent: 'root', handle: '1:', kind: 'htb', options: spec.default === undefined ? {} : { default: spec.default } };
      // Parents before children, whatever the order in the description.
      const done = new Set<number>();
      const classes: ClassSpec[] = [];
      let pending = spec.classes.slice();
      while (pending.length > 0) {
        const ready = pending.filter((c) => c.parent === undefined || done.has(c.parent));
        if (ready.length === 0) throw new EncodeError('qdisc.classes', 'the classes\' parents form a loop');
        for (const c of ready) {
          classes.push({
            ifindex, kind: 'htb', classid: htbClassId(c.id), parent: c.parent === undefined ? '1:' : htbClassId(c.parent),
            options: c.ceil === undefined ? { rate: c.rate } : { rate: c.rate, ceil: c.ceil },
          });
          done.add(c.id);
        }
        pending = pending.filter((c) => !ready.includes(c));
      }
      return { qdisc, classes };
    }
    case 'pfifo':
    case 'bfifo':
      return { qdisc: { ifindex, parent: 'root', kind: spec.kind, options: spec.limit === undefined ? {} : { limit: spec.limit } }, classes: [] };
  }
}

/** The requests that add a lab qdisc: the qdisc, then its classes. */
export function tcRequests(spec: LabQdiscSpec, ifindex: number): Request[] {
  const p = tcPlan(spec, ifindex);
  return [qdiscRequest('add', p.qdisc), ...p.classes.map((c) => classRequest('add', c))];
}

/**
 * Encodes the requests once and drops the bytes: the problem tc's units find
 * in a value (a burst too small for the rate, a time too large), as
 * { field, problem } with the field named as in the description
 * ('burst', 'classes[1].ceil'), or undefined.
 */
export function tcProblem(spec: LabQdiscSpec): { field: string; problem: string } | undefined {
  const w = new NetlinkWriter(256);
  const check = (build: () => Request, prefix: string) => {
    try {
      w.reset();
      build().body?.(w);
      return undefined;
    } catch (err) {
      if (!(err instanceof EncodeError)) throw err;
      // 'qdisc.options.burst' → 'burst'
      const rest = err.path.replace(/^(qdisc|class)(\.options)?\.?/, '');
      const problem = err.message.startsWith(`${err.path}: `) ? err.message.slice(err.path.length + 2) : err.message;
      return { field: [prefix, rest].filter(Boolean).join('.'), problem };
    }
  };
  let p: TcPlan;
  try {
    p = tcPlan(spec, 1);
  } catch (err) {
    if (err instanceof EncodeError) return { field: 'classes', problem: err.message.replace(/^[^:]*: /, '') };
    throw err;
  }
  const found = check(() => qdiscRequest('add', p.qdisc), '');
  if (found) return found;
  for (const c of p.classes) {
    const i = spec.kind === 'htb' ? spec.classes.findIndex((x) => htbClassId(x.id) === c.classid) : -1;
    const bad = check(() => classRequest('add', c), `classes[${i}]`);
    if (bad) return bad;
  }
  return undefined;
}
