// Filter chains as objects of their own (RTM_NEWCHAIN / RTM_DELCHAIN /
// RTM_GETCHAIN): `tc chain add dev X parent P chain N`, also in a shared
// block (`tc chain add block B chain N`). A chain exists while filters use it
// or once added explicitly; `goto chain N` actions jump to it.
import { NLM_F_CREATE, NLM_F_EXCL } from '../../generated/linux/netlink.js';
import { RTM_DELCHAIN, RTM_GETCHAIN, RTM_NEWCHAIN, TCM_IFINDEX_MAGIC_BLOCK } from '../../generated/linux/rtnetlink.js';
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';
import type { Request } from '../../netlink/request.js';
import { parseFilterParent } from './filter.js';
import { type TcHandle, formatHandle } from './handles.js';
import { tcMessage } from './tcmsg.js';

/** A filter chain as the request builder takes it (`tc chain add|del dev X parent P chain N`, or `block B chain N`), the device as an index. */
export interface ChainSpec {
  /** The device (0 with `block`). */
  ifindex: number;
  /** A shared block instead of a device. */
  block?: number;
  /** The qdisc the chain belongs to ('ffff:', '1:', 'ingress'/'egress' of clsact); not with a block. */
  parent?: TcHandle;
  /** The chain's number (`chain N`, what `goto chain N` and a filter's `chain` name). */
  chain: number;
}

function whole(v: unknown, path: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > 0xffffffff) throw new EncodeError(path, `expected ${min}..4294967295, got ${describe(v)}`);
  return v;
}

function header(spec: ChainSpec, path: string): { ifindex: number; parent: number } {
  if (spec.block !== undefined) {
    if (spec.ifindex) throw new EncodeError(`${path}.block`, '"dev" and "block" are mutually exclusive');
    if (spec.parent !== undefined) throw new EncodeError(`${path}.parent`, 'a chain of a block has no parent');
    return { ifindex: TCM_IFINDEX_MAGIC_BLOCK | 0, parent: whole(spec.block, `${path}.block`, 1) };
  }
  return { ifindex: spec.ifindex, parent: spec.parent === undefined ? 0 : parseFilterParent(spec.parent, `${path}.parent`) };
}

/** The request tc sends for `tc chain add|del dev X parent P chain N`. */
export function chainRequest(verb: 'add' | 'delete', spec: ChainSpec): Request {
  const path = 'chain';
  const h = header(spec, path);
  const chain = whole(spec.chain, `${path}.chain`, 0);
  return {
    type: verb === 'add' ? RTM_NEWCHAIN : RTM_DELCHAIN,
    flags: verb === 'add' ? NLM_F_EXCL | NLM_F_CREATE : 0,
    operation: `chain ${verb} ${chain} (${spec.block !== undefined ? `block ${spec.block}` : `ifindex ${spec.ifindex}, parent ${formatHandle(h.parent)}`})`,
    headerSize: tcMessage.headerSize,
    expectReply: false,
    body: (w) => tcMessage.encodePayload(w, { family: 0, ifindex: h.ifindex, handle: 0, parent: h.parent, info: 0, chain }, path),
  };
}

/** RTM_GETCHAIN dump of one device's parent (or one block), as `tc chain show` sends it. */
export function chainDumpRequest(spec: Omit<ChainSpec, 'chain'>): Request {
  const h = header({ ...spec, chain: 0 }, 'chain');
  return {
    type: RTM_GETCHAIN, operation: 'chain show', headerSize: tcMessage.headerSize,
    body: (w) => tcMessage.encodePayload(w, { family: 0, ifindex: h.ifindex, handle: 0, parent: h.parent, info: 0 }, 'chain'),
  };
}
