// The class family (docs/architecture.md, "The family descriptor"). Requests
// come from the pure builder in rtnl/tc/class.ts; the client's and batches'
// verbs are derived from the descriptor (api/engine.ts).
import * as R from '../../generated/linux/rtnetlink.js';
import type { Request } from '../../netlink/request.js';
import type { LinkRef } from '../../rtnl/route-input.js';
import { type ClassSpec, type TcClass, classDumpRequest, classRequest, decodeClass } from '../../rtnl/tc/class.js';
import { type TcHandle, formatHandle, parseClassid } from '../../rtnl/tc/handles.js';
import type { TcVerb } from '../../rtnl/tc/qdisc.js';
import { tcMessage } from '../../rtnl/tc/tcmsg.js';
import type { FamilyApi } from '../engine.js';
import type { BuildContext, FamilyDescriptor } from '../family.js';
import { type WithDev, explainMissingKind, explainMissingParent } from '../tc-common.js';
import { checkTcInput, encodedNow, ifindexes, tcContext, tcVolatile } from './tc.js';

/** A tc class as given to `nl.class.add()` and the other changes. */
export type ClassInput = WithDev<ClassSpec>;

/** What `nl.class.list()` keeps: by device, parent or classid. */
export interface ClassListFilter {
  /** The kernel lists classes per device: without one, every device's are listed. */
  dev?: LinkRef;
  /** Only classes of this qdisc ('1:'). */
  qdisc?: TcHandle;
  /** Only this class ('1:10'). */
  classid?: TcHandle;
  /** Only the children of this class or qdisc (the kernel's filter). */
  parent?: TcHandle;
}

const build = (verb: TcVerb) => (input: ClassInput, ctx: BuildContext): Request => {
  const { dev, ...rest } = checkTcInput(input, 'class');
  const ifindex = ctx.ifindex(dev, 'class.dev');
  return encodedNow(classRequest(verb, { ...rest, ifindex }, tcContext(ctx, ifindex, 'class')));
};

/** What each change verb of the tc class family takes. */
export type ClassInputs = Record<TcVerb, ClassInput>;

/** The tc class family's descriptor (RTM_*TCLASS): `nl.class`'s verbs, its events and batch verbs derive from it. */
export const tclassFamily: FamilyDescriptor<TcClass, 'class', 'list' | 'stream' | 'add' | 'change' | 'replace' | 'delete', ClassInputs, ClassListFilter> = {
  kind: 'class',
  schema: tcMessage,
  getType: R.RTM_GETTCLASS,
  verbs: ['list', 'stream', 'add', 'change', 'replace', 'delete'],
  newType: R.RTM_NEWTCLASS,
  delType: R.RTM_DELTCLASS,
  groups: [R.RTNLGRP_TC],
  decode: decodeClass,
  key: (c) => [c.ifindex, c.handle].join('|'),
  dump: [],
  async list(dump) {
    const out: TcClass[] = [];
    for (const i of await ifindexes(dump)) out.push(...await dump(classDumpRequest(i), decodeClass));
    return out;
  },
  volatile: tcVolatile,
  change: {
    build: { add: build('add'), change: build('change'), replace: build('replace'), delete: build('delete') },
    explain: (err, c) => explainMissingParent(explainMissingKind(err, { qdisc: c.kind }), c.parent),
    nameError: (err) => err,
  },
  // Like `tc class show dev X`: the kernel lists classes per device, so one dump per device.
  async dumpFilter(filter = {}, ctx) {
    const devs = filter.dev === undefined ? await ctx.linkIndexes() : [await ctx.resolve(filter.dev)];
    const qmaj = filter.qdisc === undefined ? undefined : parseClassid(filter.qdisc, 'qdisc', 'qdisc') >>> 16;
    const only = filter.classid === undefined ? undefined : formatHandle(parseClassid(filter.classid, 'classid', 'class id'));
    return {
      req: devs.map((i) => classDumpRequest(i, filter.parent)),
      keep: (c) => (qmaj === undefined || parseClassid(c.handle, 'handle') >>> 16 === qmaj) && (only === undefined || c.handle === only),
    };
  },
};

/** `nl.class`: the verbs derived from the descriptor. */
export type ClassApi = FamilyApi<typeof tclassFamily>;
