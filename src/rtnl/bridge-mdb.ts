// Multicast database entries (RTM_NEWMDB / RTM_DELMDB / RTM_GETMDB): a
// br_port_msg header naming the bridge, then MDBA_* attributes. A change
// carries one struct br_mdb_entry (MDBA_SET_ENTRY); a dump nests entries as
// MDBA_MDB > MDBA_MDB_ENTRY > MDBA_MDB_ENTRY_INFO, each a br_mdb_entry
// followed by its MDBA_MDB_EATTR_* attributes in the same payload.
import * as B from '../generated/linux/if_bridge.js';
import { binary, type Codec, u32, u8 } from '../netlink/codec.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { formatHw, formatIP, parseHw, parseIP } from '../netlink/ip.js';
import type { Decoder } from '../netlink/request.js';
import { type MessageIn, type MessageOut, attr, attrList, attrSet, field, messageSchema, nested } from '../netlink/schema.js';
import { decodeStruct, encodeStruct } from '../netlink/struct.js';
import { type RouteProtocol, addressFamilies, routeProtocols } from './names.js';
import { mapped } from '../netlink/codec.js';
import { ETH_P_IP, ETH_P_IPV6 } from '../generated/linux/if_ether.js';

const ENTRY_SIZE = B.br_mdb_entry.size;
const ADDR_AT = B.br_mdb_entry.fields.find((f) => f.name === 'addr')!.offset;

/** One group membership: a port of the bridge in a group (an IP multicast address or a MAC), per VLAN. */
export interface MdbEntry {
  /** The port's index. */
  port: number;
  /** 'permanent' (MDB_PERMANENT) or 'temp'. */
  state: 'permanent' | 'temp';
  /** MDB_FLAGS_* bits. */
  flags: number;
  vid: number;
  /** The group: an IPv4 or IPv6 multicast address, or a MAC address (L2 entry). */
  grp: string;
}

/** struct br_mdb_entry, with the group as text; the layout is the generated one. */
export const mdbEntry: Codec<MdbEntry> = {
  name: 'struct br_mdb_entry',
  write(w, v, path) {
    if (v === null || typeof v !== 'object') throw new EncodeError(path, `expected an MDB entry, got ${describe(v)}`);
    if (v.state !== 'permanent' && v.state !== 'temp') throw new EncodeError(`${path}.state`, `expected 'permanent' or 'temp', got ${describe(v.state)}`);
    const at = w.length;
    encodeStruct(w, B.br_mdb_entry, { ifindex: v.port, state: v.state === 'permanent' ? B.MDB_PERMANENT : B.MDB_TEMPORARY, flags: v.flags, vid: v.vid }, path);
    const b = w.buffer;
    const grp = typeof v.grp === 'string' && v.grp.includes(':') && /^[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}$/i.test(v.grp) ? parseHw(v.grp, `${path}.grp`, 6) : parseIP(v.grp, `${path}.grp`);
    b.set(grp, at + ADDR_AT);
    const proto = grp.length === 4 ? ETH_P_IP : grp.length === 16 ? ETH_P_IPV6 : 0;
    b.writeUInt16BE(proto, at + ADDR_AT + 16);
  },
  read(buf, start, end, issues, path) {
    const e = decodeStruct(B.br_mdb_entry, buf, start, end, issues, path);
    const a = start + ADDR_AT;
    const proto = e.addr.proto;
    const grp = end - start < ENTRY_SIZE ? '' : proto === 0 ? formatHw(buf, a, 6) : formatIP(buf, a, proto === ETH_P_IP ? 4 : 16);
    return { port: e.ifindex, state: e.state & B.MDB_PERMANENT ? 'permanent' : 'temp', flags: e.flags, vid: e.vid, grp };
  },
};

const entryAttrs = attrSet('mdb.entry.attrs', {
  timer: attr(B.MDBA_MDB_EATTR_TIMER, u32),
  srcList: attr(B.MDBA_MDB_EATTR_SRC_LIST, binary),
  groupMode: attr(B.MDBA_MDB_EATTR_GROUP_MODE, u8),
  source: attr(B.MDBA_MDB_EATTR_SOURCE, binary),
  protocol: attr(B.MDBA_MDB_EATTR_RTPROT, mapped(u8, routeProtocols)),
});

/** A multicast database entry with what the kernel adds: its timer, group mode, protocol and source. */
export type MdbEntryInfo = MdbEntry & { timer?: number; groupMode?: number; protocol?: RouteProtocol; source?: Buffer };

/** MDBA_MDB_ENTRY_INFO: the struct, then the entry's attributes after it (4-byte aligned). */
const entryInfo: Codec<MdbEntryInfo> = {
  name: 'mdb entry info',
  write(w, v, path) {
    mdbEntry.write(w, v, path);
    const { timer, groupMode, protocol } = v;
    entryAttrs.encode(w, { timer, groupMode, protocol }, path);
  },
  read(buf, start, end, issues, path) {
    const e = mdbEntry.read(buf, start, end, issues, path);
    if (e === undefined) return undefined;
    const rest = start + ((ENTRY_SIZE + 3) & ~3);
    const a = rest < end ? entryAttrs.decode(buf, rest, end, issues, `${path}.attrs`) : {};
    const out: MdbEntryInfo = { ...e };
    if (a.timer !== undefined) out.timer = a.timer;
    if (a.groupMode !== undefined) out.groupMode = a.groupMode;
    if (a.protocol !== undefined) out.protocol = a.protocol;
    if (a.source !== undefined) out.source = a.source;
    return out;
  },
};

const mdbEntryAttrs = attrSet('mdb.entry', { info: attrList(B.MDBA_MDB_ENTRY_INFO, entryInfo) });
const mdbAttrsMdb = attrSet('mdb.mdb', { entries: attrList(B.MDBA_MDB_ENTRY, nested(mdbEntryAttrs)) });
const routerAttrs = attrSet('mdb.router', { ports: attrList(B.MDBA_ROUTER_PORT, binary) });

/** The attributes of multicast database messages (MDBA_*), by name. */
export const mdbAttrs = attrSet('mdb', {
  mdb: attr(B.MDBA_MDB, nested(mdbAttrsMdb)),
  router: attr(B.MDBA_ROUTER, nested(routerAttrs)),
});

/** A change carries MDBA_SET_ENTRY where a dump carries MDBA_MDB: the same number, another content. */
export const mdbSetAttrs = attrSet('mdb.set', { entry: attr(B.MDBA_SET_ENTRY, mdbEntry) });

/** The header fields of multicast database messages (struct br_port_msg), by name. */
export const mdbHeader = { family: field('family', addressFamilies), ifindex: 'ifindex' } as const;

export const mdbMessage = messageSchema('mdb', B.br_port_msg, mdbHeader, mdbAttrs);
export const mdbSetMessage = messageSchema('mdb.set', B.br_port_msg, mdbHeader, mdbSetAttrs);

/** What one RTM_NEWMDB message of a dump (or an event) says: a bridge and entries of its ports. */
export interface MdbMessage extends MessageOut<typeof mdbHeader, typeof mdbAttrs.specs> {}
export interface MdbSetInput extends MessageIn<typeof mdbHeader, typeof mdbSetAttrs.specs> {}

/** Decodes a multicast database message (RTM_NEWMDB). */
export const decodeMdb: Decoder<MdbMessage> = (buf, start, length) => mdbMessage.decodeMessage(buf, start, length);

/** The entries of a dump message, flattened. */
export function mdbEntries(m: MdbMessage): MdbEntryInfo[] {
  return (m.mdb?.entries ?? []).flatMap((e) => e.info ?? []);
}
