// IFLA_LINKINFO: the kind of a link and its kind-specific options. The kind
// string decides which schema reads IFLA_INFO_DATA, so this codec reads the
// kind first. A kind this version does not model keeps its data as raw bytes.
import {
  IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_INFO_SLAVE_DATA, IFLA_INFO_SLAVE_KIND, IFLA_INFO_XSTATS,
} from '../generated/linux/if_link.js';
import { describe } from '../netlink/describe.js';
import { isRecord } from '../netlink/narrow.js';
import type { Codec } from '../netlink/codec.js';
import { EncodeError } from '../netlink/errors.js';
import { NLA_TYPE_MASK, forEachAttr, readCString } from '../netlink/reader.js';
import type { DataSchema, LinkKind } from './link-kinds/kind.js';
import { type KnownLinkKind, type LinkKinds, linkKindOf, linkKinds } from './link-kinds/registry.js';

// From the schemas, not the whole kind: its printer takes DataOut as a parameter.
/** The decoded kind data of a link kind module. */
export type DataOut<K> = K extends { readonly data?: DataSchema<infer O, unknown> } ? O : never;
/** The kind data a link kind module takes. */
export type DataIn<K> = K extends { readonly data?: DataSchema<unknown, infer I> } ? I : never;
/** The decoded port data of a link kind module whose links take ports. */
export type SlaveOut<K> = K extends { readonly slaveData?: DataSchema<infer O, unknown> } ? O : never;
/** The port data a link kind module whose links take ports takes. */
export type SlaveIn<K> = K extends { readonly slaveData?: DataSchema<unknown, infer I> } ? I : never;

/** The kinds whose links take ports (bridge, bond): they give IFLA_INFO_SLAVE_DATA its schema. */
export type PortKind = { [K in KnownLinkKind]: LinkKinds[K] extends { slaveData: object } ? K : never }[KnownLinkKind];

/** A link of a known kind as decoded, with its kind data typed. */
export type KnownInfo = { [K in KnownLinkKind]: { kind: K; data?: DataOut<LinkKinds[K]> } }[KnownLinkKind];
/** A link of a known kind as given, with its kind data typed. */
export type KnownInfoIn = { [K in KnownLinkKind]: { kind: K; data?: DataIn<LinkKinds[K]> } }[KnownLinkKind];
/** A port of a known master kind as decoded, with its port data typed. */
export type KnownSlave = { [K in PortKind]: { slaveKind: K; slaveData?: SlaveOut<LinkKinds[K]> } }[PortKind];
/** A port of a known master kind as given, with its port data typed. */
export type KnownSlaveIn = { [K in PortKind]: { slaveKind: K; slaveData?: SlaveIn<LinkKinds[K]> } }[PortKind];
/** iproute2's way to change port options: kind "bridge_slave" and slave data, no slave kind. */
export type PortKindIn = { [K in PortKind]: { kind: `${K}_slave`; data?: undefined; slaveKind?: undefined; slaveData?: SlaveIn<LinkKinds[K]> } }[PortKind];

/** A link's kind and options. `data` is typed by kind; for kinds this version does not model it is a Buffer. */
export type LinkInfo = (KnownInfo | { kind?: string; data?: Buffer }) &
  ({ slaveKind?: undefined; slaveData?: undefined } | KnownSlave | { slaveKind: string; slaveData?: Buffer }) &
  { xstats?: Buffer };

/**
 * What a request may say about kind and options. A kind this version does
 * not model takes its data as bytes. Port options go with the master's kind
 * as slaveKind (`{ slaveKind: 'bridge', slaveData: { cost: 10 } }`), or as
 * iproute2 sends them, `{ kind: 'bridge_slave', slaveData: ... }`.
 */
export type LinkInfoInput = PortKindIn | (
  (KnownInfoIn | { kind: string; data?: Uint8Array } | { kind?: undefined; data?: undefined }) &
  (KnownSlaveIn | { slaveKind: string; slaveData?: Uint8Array } | { slaveKind?: undefined; slaveData?: undefined })
);

const kindOf = linkKindOf;

/** The kind whose port schema applies: the slave kind, or "bridge" for iproute2's kind "bridge_slave". */
function portKindOf(slaveKind: string | undefined, kind: string | undefined): { name: string; schema?: DataSchema<unknown, unknown> } | undefined {
  const name = slaveKind ?? (kind?.endsWith('_slave') ? kind.slice(0, -'_slave'.length) : undefined);
  return name === undefined ? undefined : { name, schema: kindOf(name)?.slaveData };
}

const known = (): string => Object.keys(linkKinds).join(', ');

export const linkInfo: Codec<LinkInfo, LinkInfoInput> = {
  name: 'link info',
  write(w, v, path) {
    if (!isRecord(v)) throw new EncodeError(path, `expected { kind, data }, got ${describe(v)}`);
    const { kind, data, slaveKind, slaveData, ...rest }: Record<string, unknown> = v;
    const extra = Object.keys(rest).filter((k) => rest[k] !== undefined);
    if (extra.length) throw new EncodeError(`${path}.${extra[0]}`, 'unknown key (expected kind, data, slaveKind, slaveData)');
    if (kind !== undefined) {
      if (typeof kind !== 'string') throw new EncodeError(`${path}.kind`, `expected a string, got ${describe(kind)}`);
      const k = kindOf(kind);
      if (!k && data !== undefined && !(data instanceof Uint8Array)) {
        throw new EncodeError(`${path}.kind`, `unknown link kind "${kind}" (known: ${known()}); pass data as a Buffer to send it as it is`);
      }
      // Without a NUL, as iproute2 sends it (the kernel takes either).
      w.attrStringNoNul(IFLA_INFO_KIND, kind, `${path}.kind`);
      if (data !== undefined) writeData(w, IFLA_INFO_DATA, k?.data, data, `${path}.data`, kind);
    } else if (data !== undefined) {
      throw new EncodeError(`${path}.data`, 'data needs a kind');
    }
    if (slaveKind !== undefined) {
      if (typeof slaveKind !== 'string') throw new EncodeError(`${path}.slaveKind`, `expected a string, got ${describe(slaveKind)}`);
      w.attrStringNoNul(IFLA_INFO_SLAVE_KIND, slaveKind, `${path}.slaveKind`);
    }
    if (slaveData !== undefined) {
      const port = portKindOf(slaveKind, kind);
      if (!port) throw new EncodeError(`${path}.slaveData`, 'port options need a slaveKind (the master\'s kind, e.g. "bridge")');
      if (!port.schema && !(slaveData instanceof Uint8Array)) {
        throw new EncodeError(`${path}.slaveData`, `"${port.name}" has no port options this version models; pass slaveData as a Buffer to send it as it is`);
      }
      writeData(w, IFLA_INFO_SLAVE_DATA, port.schema, slaveData, `${path}.slaveData`, port.name);
    }
  },
  read(buf, start, end, issues, path) {
    let kind: string | undefined;
    let slaveKind: string | undefined;
    let data: [number, number] | undefined;
    let slaveData: [number, number] | undefined;
    let xstats: Buffer | undefined;
    forEachAttr(buf, start, end, (t, s, e) => {
      switch (t & NLA_TYPE_MASK) {
        case IFLA_INFO_KIND: kind = readCString(buf, s, e); break;
        case IFLA_INFO_SLAVE_KIND: slaveKind = readCString(buf, s, e); break;
        case IFLA_INFO_DATA: data = [s, e]; break;
        case IFLA_INFO_SLAVE_DATA: slaveData = [s, e]; break;
        case IFLA_INFO_XSTATS: xstats = Buffer.from(buf.subarray(s, e)); break;
        default: break;
      }
    }, issues, path);
    const out: Record<string, unknown> = {};
    if (kind !== undefined) out.kind = kind;
    if (data) {
      const set = kind === undefined ? undefined : kindOf(kind)?.data;
      out.data = set ? set.decode(buf, data[0], data[1], issues, `${path}.data`) : Buffer.from(buf.subarray(data[0], data[1]));
    }
    if (xstats) out.xstats = xstats;
    if (slaveKind !== undefined) out.slaveKind = slaveKind;
    if (slaveData) {
      const set = slaveKind === undefined ? undefined : kindOf(slaveKind)?.slaveData;
      out.slaveData = set ? set.decode(buf, slaveData[0], slaveData[1], issues, `${path}.slaveData`) : Buffer.from(buf.subarray(slaveData[0], slaveData[1]));
    }
    return out as LinkInfo;
  },
};

function writeData(w: Parameters<Codec<unknown>['write']>[0], type: number, set: DataSchema<unknown, unknown> | undefined, data: unknown, path: string, kind: string): void {
  // Bytes go as they are: the attribute's length is theirs, padding comes after it (as any attribute's).
  if (data instanceof Uint8Array) { w.attrBytes(type, data, path); return; }
  // iproute2 does not set NLA_F_NESTED on these nests; neither do we, so our bytes match its.
  const at = w.beginNest(type, false, path);
  if (set) set.encode(w, data, path);
  else throw new EncodeError(path, `kind "${kind}" takes no options`);
  w.endNest(at, path);
}

/** A link's kind options, typed, when it is of this kind: `kindData(link.linkinfo, 'bridge')?.stpState`. */
export function kindData<K extends KnownLinkKind>(info: LinkInfo | undefined, kind: K): DataOut<LinkKinds[K]> | undefined {
  const data = info?.kind === kind ? info.data : undefined;
  return data === undefined || Buffer.isBuffer(data) ? undefined : data as DataOut<LinkKinds[K]>;
}

/** A port's options as its master of this kind reports them: `portData(link.linkinfo, 'bridge')?.state`. */
export function portData<K extends PortKind>(info: LinkInfo | undefined, kind: K): SlaveOut<LinkKinds[K]> | undefined {
  const data = info?.slaveKind === kind ? info.slaveData : undefined;
  return data === undefined || Buffer.isBuffer(data) ? undefined : data as SlaveOut<LinkKinds[K]>;
}
