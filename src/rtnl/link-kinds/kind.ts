// What a link kind module provides: the schema of IFLA_INFO_DATA (the kind's
// own options) and, for kinds that enslave other links, of
// IFLA_INFO_SLAVE_DATA (the options of a port, e.g. bridge_slave).
//
// The decoded and input types are carried as type parameters so that a kind
// whose options contain a whole link (veth's peer) can name them explicitly
// and the link schema's types are not inferred in a circle.
import type { DecodeIssue } from '../../netlink/errors.js';
import type { AttrSet, AttrsIn, AttrsOut, SpecMap } from '../../netlink/schema.js';
import type { NetlinkWriter } from '../../netlink/writer.js';

export interface DataSchema<Out, In> {
  readonly name: string;
  encode(w: NetlinkWriter, value: In, path?: string): void;
  decode(buf: Buffer, start: number, end: number, issues?: DecodeIssue[], path?: string): Out;
}

export interface LinkKind<DOut = unknown, DIn = DOut, POut = unknown, PIn = POut> {
  /** The kernel's kind string (IFLA_INFO_KIND), e.g. 'veth'. */
  readonly kind: string;
  readonly data?: DataSchema<DOut, DIn>;
  readonly slaveData?: DataSchema<POut, PIn>;
}

/** A kind whose option types follow from its attribute sets. */
export function linkKind<S extends SpecMap = Record<never, never>>(kind: string, data?: AttrSet<S>): LinkKind<AttrsOut<S>, AttrsIn<S>, never, never>;
/** A kind whose links take ports, with the schema of their port options. */
export function linkKind<S extends SpecMap, P extends SpecMap>(
  kind: string, data: AttrSet<S>, slaveData: AttrSet<P>,
): LinkKind<AttrsOut<S>, AttrsIn<S>, AttrsOut<P>, AttrsIn<P>> & { readonly slaveData: DataSchema<AttrsOut<P>, AttrsIn<P>> };
export function linkKind(kind: string, data?: AttrSet<SpecMap>, slaveData?: AttrSet<SpecMap>): LinkKind {
  return slaveData ? { kind, data, slaveData } : { kind, data };
}
