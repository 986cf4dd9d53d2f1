// IFLA_LINKINFO: the kind of a link and its kind-specific options. The kind
// string decides which schema reads IFLA_INFO_DATA, so this codec reads the
// kind first. A kind this version does not model keeps its data as raw bytes.
import {
  IFLA_INFO_DATA, IFLA_INFO_KIND, IFLA_INFO_SLAVE_DATA, IFLA_INFO_SLAVE_KIND, IFLA_INFO_XSTATS,
} from '../generated/linux/if_link.js';
import { describe } from '../ffi/validate.js';
import type { Codec } from '../netlink/codec.js';
import { EncodeError } from '../netlink/errors.js';
import { NLA_TYPE_MASK, forEachAttr, readCString } from '../netlink/reader.js';
import type { DataSchema, LinkKind } from './link-kinds/kind.js';
import { type KnownLinkKind, type LinkKinds, linkKinds } from './link-kinds/registry.js';

type DataOut<K> = K extends LinkKind<infer O, unknown, unknown, unknown> ? O : never;
type DataIn<K> = K extends LinkKind<unknown, infer I, unknown, unknown> ? I : never;
type SlaveOut<K> = K extends LinkKind<unknown, unknown, infer O, unknown> ? O : never;

type KnownInfo = { [K in KnownLinkKind]: { kind: K; data?: DataOut<LinkKinds[K]> } }[KnownLinkKind];
type KnownInfoIn = { [K in KnownLinkKind]: { kind: K; data?: DataIn<LinkKinds[K]> } }[KnownLinkKind];
type KnownSlave = { [K in KnownLinkKind]: { slaveKind: K; slaveData?: SlaveOut<LinkKinds[K]> } }[KnownLinkKind];

/** A link's kind and options. `data` is typed by kind; for kinds this version does not model it is a Buffer. */
export type LinkInfo = (KnownInfo | { kind?: string; data?: Buffer }) &
  ({ slaveKind?: undefined; slaveData?: undefined } | KnownSlave | { slaveKind: string; slaveData?: Buffer }) &
  { xstats?: Buffer };

export type LinkInfoInput = (KnownInfoIn | { kind: string; data?: Uint8Array } | { kind?: undefined; data?: undefined }) & {
  slaveKind?: string;
  slaveData?: Record<string, unknown> | Uint8Array;
};

function kindOf(name: string): LinkKind | undefined {
  return Object.hasOwn(linkKinds, name) ? (linkKinds[name as KnownLinkKind] as LinkKind) : undefined;
}

const known = (): string => Object.keys(linkKinds).join(', ');

export const linkInfo: Codec<LinkInfo, LinkInfoInput> = {
  name: 'link info',
  write(w, v, path) {
    if (v === null || typeof v !== 'object') throw new EncodeError(path, `expected { kind, data }, got ${describe(v)}`);
    const { kind, data, slaveKind, slaveData, ...rest } = v as Record<string, unknown>;
    const extra = Object.keys(rest).filter((k) => rest[k] !== undefined);
    if (extra.length) throw new EncodeError(`${path}.${extra[0]}`, 'unknown key (expected kind, data, slaveKind, slaveData)');
    if (kind !== undefined) {
      if (typeof kind !== 'string') throw new EncodeError(`${path}.kind`, `expected a string, got ${describe(kind)}`);
      const k = kindOf(kind);
      if (!k && data !== undefined && !(data instanceof Uint8Array)) {
        throw new EncodeError(`${path}.kind`, `unknown link kind "${kind}" (known: ${known()}); pass data as a Buffer to send it as it is`);
      }
      w.attrString(IFLA_INFO_KIND, kind, `${path}.kind`);
      if (data !== undefined) writeData(w, IFLA_INFO_DATA, k?.data, data, `${path}.data`, kind);
    } else if (data !== undefined) {
      throw new EncodeError(`${path}.data`, 'data needs a kind');
    }
    if (slaveKind !== undefined) {
      if (typeof slaveKind !== 'string') throw new EncodeError(`${path}.slaveKind`, `expected a string, got ${describe(slaveKind)}`);
      const k = kindOf(slaveKind);
      if (!k?.slaveData && slaveData !== undefined && !(slaveData instanceof Uint8Array)) {
        throw new EncodeError(`${path}.slaveKind`, `unknown port kind "${slaveKind}"; pass slaveData as a Buffer to send it as it is`);
      }
      w.attrString(IFLA_INFO_SLAVE_KIND, slaveKind, `${path}.slaveKind`);
      if (slaveData !== undefined) writeData(w, IFLA_INFO_SLAVE_DATA, k?.slaveData, slaveData, `${path}.slaveData`, slaveKind);
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
  // iproute2 does not set NLA_F_NESTED on these nests; neither do we, so our bytes match its.
  const at = w.beginNest(type, false, path);
  if (data instanceof Uint8Array) w.bytes(data);
  else if (set) set.encode(w, data, path);
  else throw new EncodeError(path, `kind "${kind}" takes no options`);
  w.endNest(at, path);
}
