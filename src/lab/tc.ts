// A lab's qdisc as the traffic-control layer takes it: the root qdisc, and
// for htb its classes. Pure; the kernel backend sends what this builds, and
// the validator encodes it once so that a value tc's units refuse is reported
// with the rest of the description's problems, before anything is made.
import { NetlinkWriter } from '../netlink/writer.js';
import { EncodeError } from '../netlink/errors.js';
import { type ClassSpec, classRequest } from '../rtnl/tc/class.js';
import { type QdiscSpec as TcQdiscSpec, qdiscRequest } from '../rtnl/tc/qdisc.js';
import type { Request } from '../netlink/request.js';
import { qdiscKinds } from '../rtnl/tc/qdiscs/registry.js';
import { UsageError, Words } from '../rtnl/words.js';
import type { LabQdiscSpec, NetemSpec, TbfSpec } from './description.js';
import { LAB_QDISC_WORDS } from './qdisc.js';

export interface TcPlan {
  qdisc: TcQdiscSpec;
  classes: ClassSpec[];
}

/** An htb class id: minor `id` of major 1 ("1:a" for 10, as tc prints it). */
export function htbClassId(id: number): string {
  return `1:${id.toString(16)}`;
}

/**
 * A lab's netem, tbf or fifo as tc's words ("delay 100ms 10ms loss 1%"): the
 * lab's keys are tc's own words, so its options reach the library through
 * the kind's CLI words, the one grammar `tc qdisc add` uses too.
 */
export function labQdiscWords(spec: NetemSpec | TbfSpec | { kind: 'pfifo' | 'bfifo'; limit?: number }): string[] {
  const words: string[] = [];
  const put = (key: string, ...values: (string | number | undefined)[]): void => {
    if (values[0] !== undefined) words.push(key, ...values.filter((v) => v !== undefined).map(String));
  };
  const keys = spec.kind === 'pfifo' || spec.kind === 'bfifo' ? LAB_QDISC_WORDS.fifo : LAB_QDISC_WORDS[spec.kind];
  const values = spec as Partial<Record<(typeof keys)[number], string | number>>;
  for (const k of keys) {
    // jitter is not a word: it is the number after delay.
    if (k === 'jitter') continue;
    put(k, values[k], k === 'delay' ? values.jitter : undefined);
  }
  return words;
}

/** The options the kind's words make of a lab qdisc (a UsageError names a word they refuse). */
function optionsOf(spec: NetemSpec | TbfSpec | { kind: 'pfifo' | 'bfifo'; limit?: number }): Record<string, unknown> {
  return qdiscKinds[spec.kind].words(new Words(labQdiscWords(spec), spec.kind));
}

/** The tc specs of a lab qdisc on the link with this index. */
export function tcPlan(spec: LabQdiscSpec, ifindex: number): TcPlan {
  switch (spec.kind) {
    case 'netem':
    case 'tbf':
    case 'pfifo':
    case 'bfifo':
      // The words' options are checked by the encoder, as the CLI's are (tcProblem reports what it refuses).
      return { qdisc: { ifindex, parent: 'root', kind: spec.kind, options: optionsOf(spec) } as TcQdiscSpec, classes: [] };
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
  }
}

/** The requests that add a lab qdisc: the qdisc, then its classes. */
export function tcRequests(spec: LabQdiscSpec, ifindex: number): Request[] {
  const p = tcPlan(spec, ifindex);
  return [qdiscRequest('add', p.qdisc), ...p.classes.map((c) => classRequest('add', c))];
}

/** The request that gives a root qdisc of the same kind new options (`tc qdisc change`); not for htb, whose classes are requests of their own. */
export function tcChangeRequest(spec: LabQdiscSpec, ifindex: number): Request {
  if (spec.kind === 'htb') throw new EncodeError('qdisc.kind', 'an htb qdisc is changed by making it anew, with its classes');
  return qdiscRequest('change', tcPlan(spec, ifindex).qdisc);
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
    // A word the kind's words refuse (the lab's own checks leave none known).
    if (err instanceof UsageError) return { field: '', problem: err.message };
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
