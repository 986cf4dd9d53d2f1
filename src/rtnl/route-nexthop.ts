// The parts of a route message that describe where packets go next: RTA_VIA
// (a gateway of another family) and RTA_MULTIPATH (a list of rtnexthop
// structs, each followed by its own attributes).
import { AF_INET, AF_INET6 } from '../generated/libc/socket.js';
import {
  RTA_ENCAP, RTA_ENCAP_TYPE, RTA_FLOW, RTA_GATEWAY, RTA_NEWDST, RTA_VIA, rtnexthop, rtvia,
} from '../generated/linux/rtnetlink.js';
import { describe } from '../netlink/describe.js';
import { type Codec, type ValueMap, binary, ip, mapped, u16, u32, withNestFlag } from '../netlink/codec.js';
import { EncodeError } from '../netlink/errors.js';
import { formatHw, formatIP, parseIP } from '../netlink/ip.js';
import { type MessageIn, type MessageOut, attr, attrSet, field, messageSchema } from '../netlink/schema.js';
import { align4 } from '../netlink/writer.js';
import { type AddressFamily, addressFamilies } from './names.js';
import { encapTypes, nexthopFlags } from './route-names.js';

/** A gateway with its own family: an IPv6 next hop for an IPv4 route. */
export interface Via {
  family: AddressFamily;
  host: string;
}

const VIA_HEADER = rtvia.size;

/** RTA_VIA: struct rtvia (a u16 family) followed by the address bytes. */
export const via: Codec<Via> = {
  name: 'via',
  write(w, v, path) {
    if (v === null || typeof v !== 'object') throw new EncodeError(path, `expected { family, host }, got ${describe(v)}`);
    const fam = addressFamilies.encode(v.family, `${path}.family`);
    if (fam !== AF_INET && fam !== AF_INET6) throw new EncodeError(`${path}.family`, 'a gateway is inet or inet6');
    const bytes = parseIP(v.host, `${path}.host`, fam === AF_INET ? 4 : 6);
    const at = w.reserve(VIA_HEADER);
    w.buffer.writeUInt16LE(fam, at);
    w.bytes(bytes);
  },
  read(buf, start, end, issues, path) {
    if (end - start < VIA_HEADER) {
      issues?.push({ path, problem: `payload of ${end - start} bytes, expected at least ${VIA_HEADER}`, offset: start });
      return undefined;
    }
    const len = end - start - VIA_HEADER;
    const family = addressFamilies.decode(buf.readUInt16LE(start));
    const host = len === 4 || len === 16 ? formatIP(buf, start + VIA_HEADER, len) : formatHw(buf, start + VIA_HEADER, len);
    return { family, host };
  },
};

/** rtnh_hops holds the weight minus one. */
const weight: ValueMap<number, number> = {
  name: 'weight',
  decode: (n) => n + 1,
  encode(v, path) {
    if (!Number.isInteger(v) || v < 1 || v > 256) throw new EncodeError(path, `weight ${describe(v)} is not 1..256`);
    return v - 1;
  },
};

/** rtnh_ifindex: 0 is "no device", which decodes as absent. */
const optionalIndex: ValueMap<number | undefined, number> = {
  name: 'interface index',
  decode: (n) => (n === 0 ? undefined : n),
  encode: (v) => v,
};

/** The attributes of one path of a multipath route (RTA_* inside struct rtnexthop). */
export const nexthopAttrs = attrSet('route.nexthop', {
  gateway: attr(RTA_GATEWAY, ip),
  via: attr(RTA_VIA, via),
  flow: attr(RTA_FLOW, u32),
  newdst: attr(RTA_NEWDST, binary),
  encapType: attr(RTA_ENCAP_TYPE, mapped(u16, encapTypes)),
  encap: attr(RTA_ENCAP, withNestFlag(binary)),
});

/** The fields of one path of a multipath route (struct rtnexthop). */
export const nexthopHeader = {
  flags: field('rtnh_flags', nexthopFlags),
  weight: field('rtnh_hops', weight),
  oif: field('rtnh_ifindex', optionalIndex),
} as const;

/** One path of a multipath route: struct rtnexthop plus its attributes. */
export const nexthopSchema = messageSchema('route.nexthop', rtnexthop, nexthopHeader, nexthopAttrs);
/** One path of a multipath route. */
export interface Nexthop extends MessageOut<typeof nexthopHeader, typeof nexthopAttrs.specs> {}
/** One path of a multipath route as given to the schema. */
export interface NexthopMessageInput extends MessageIn<typeof nexthopHeader, typeof nexthopAttrs.specs> {}

/** RTA_MULTIPATH: rtnexthop records back to back, each rtnh_len long (header and attributes). */
export const multipath: Codec<Nexthop[], readonly NexthopMessageInput[]> = {
  name: 'multipath',
  write(w, list, path) {
    if (!Array.isArray(list)) throw new EncodeError(path, `expected a list of nexthops, got ${describe(list)}`);
    list.forEach((nh, i) => {
      const at = w.length;
      nexthopSchema.encodePayload(w, nh, `${path}[${i}]`);
      const len = w.length - at;
      if (len > 0xffff) throw new EncodeError(`${path}[${i}]`, `nexthop of ${len} bytes does not fit rtnh_len`);
      w.buffer.writeUInt16LE(len, at);
    });
  },
  read(buf, start, end, issues, path) {
    const out: Nexthop[] = [];
    let at = start;
    while (end - at >= rtnexthop.size) {
      const len = buf.readUInt16LE(at);
      if (len < rtnexthop.size || len > end - at) {
        issues?.push({ path, problem: `nexthop length ${len} does not fit the ${end - at} bytes left`, offset: at });
        break;
      }
      out.push(nexthopSchema.decodePayload(buf, at, at + len, issues));
      at += align4(len);
    }
    return out;
  },
};
