// The qdisc family (docs/architecture.md, "The family descriptor"). Requests
// come from the pure builder in rtnl/tc/qdisc.ts; the client's and batches'
// verbs are derived from the descriptor (api/engine.ts).
import * as R from '../../generated/linux/rtnetlink.js';
import type { Request } from '../../netlink/request.js';
import type { LinkRef } from '../../rtnl/route-input.js';
import { type TcHandle, formatHandle, formatQdiscHandle, parseClassid, parseQdiscHandle } from '../../rtnl/tc/handles.js';
import { type Qdisc, type QdiscSpec, type TcVerb, decodeQdisc, qdiscDumpRequest, qdiscRequest } from '../../rtnl/tc/qdisc.js';
import { tcMessage } from '../../rtnl/tc/tcmsg.js';
import type { Engine, FamilyApi } from '../engine.js';
import type { BuildContext, FamilyDescriptor } from '../family.js';
import { type WithDev, explainMissingKind } from '../tc-common.js';
import { checkTcInput, encodedNow, tcContext, tcVolatile } from './tc.js';

/** A qdisc to add, change, replace or delete: its device by name or index, then what tc takes. */
export type QdiscInput = WithDev<QdiscSpec>;

/** What `nl.qdisc.list()` keeps: by device, parent or handle; invisible (default) qdiscs too. */
export interface QdiscListFilter {
  dev?: LinkRef;
  /** Only the qdisc at this parent ('root', 'ingress', '1:10'). */
  parent?: TcHandle;
  /** Only the qdisc with this handle ('1:'). */
  handle?: TcHandle;
  /** Include the per-queue default qdiscs the kernel hides. */
  invisible?: boolean;
}

const build = (verb: TcVerb | 'link') => (input: QdiscInput, ctx: BuildContext): Request => {
  const { dev, ...rest } = checkTcInput(input, 'qdisc');
  const ifindex = ctx.ifindex(dev, 'qdisc.dev');
  return encodedNow(qdiscRequest(verb, { ...rest, ifindex }, tcContext(ctx, ifindex, 'qdisc')));
};

/** What each change verb of the qdisc family takes. */
export type QdiscInputs = Record<TcVerb | 'link', QdiscInput>;

/** The qdisc family's descriptor (RTM_*QDISC): `nl.qdisc`'s verbs, its events and batch verbs derive from it. */
export const qdiscFamily: FamilyDescriptor<Qdisc, 'qdisc', 'list' | 'stream' | 'add' | 'change' | 'replace' | 'delete', QdiscInputs, QdiscListFilter> = {
  kind: 'qdisc',
  schema: tcMessage,
  getType: R.RTM_GETQDISC,
  verbs: ['list', 'stream', 'add', 'change', 'replace', 'delete'],
  newType: R.RTM_NEWQDISC,
  delType: R.RTM_DELQDISC,
  groups: [R.RTNLGRP_TC],
  decode: decodeQdisc,
  key: (q) => [q.ifindex, q.parent, q.handle].join('|'),
  dump: [qdiscDumpRequest({})],
  volatile: tcVolatile,
  change: {
    build: { add: build('add'), change: build('change'), replace: build('replace'), delete: build('delete'), link: build('link') },
    explain: (err, q) => explainMissingKind(err, { qdisc: q.kind }),
    nameError: (err) => err,
  },
  // Every device's, or one's, like `tc qdisc show [dev X]`.
  async dumpFilter(filter = {}, { resolve }) {
    const ifindex = filter.dev === undefined ? undefined : await resolve(filter.dev);
    const parent = filter.parent === undefined ? undefined : formatHandle(parseClassid(filter.parent, 'parent', 'parent'));
    const handle = filter.handle === undefined ? undefined : formatQdiscHandle(parseQdiscHandle(filter.handle, 'handle'));
    return {
      req: qdiscDumpRequest({ ifindex, invisible: filter.invisible }),
      keep: (q) => (ifindex === undefined || q.ifindex === ifindex) && (parent === undefined || q.parent === parent) && (handle === undefined || q.handle === handle),
    };
  },
};

/** The verbs only qdiscs have. */
export function qdiscVerbs(e: Engine<Qdisc, QdiscInputs, QdiscListFilter, never>) {
  return {
    /** `tc qdisc link`: replace only, never create. */
    link: (q: QdiscInput): Promise<void> => e.run('link', q),
  };
}

/** `nl.qdisc`: the verbs derived from the descriptor, and link. */
export type QdiscApi = FamilyApi<typeof qdiscFamily, ReturnType<typeof qdiscVerbs>>;
