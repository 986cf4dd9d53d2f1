// What list/stream/deleteMatching take, and how it is applied: the address
// family, the zone and the mark/mask go to the kernel with the dump request
// (nfgenmsg family, CTA_ZONE, CTA_MARK + CTA_MARK_MASK), so it sends fewer
// entries; the rest (protocol, addresses, ports, status) is matched here.
// The kernel's CTA_FILTER tuple filter is not used: the flag bits that
// select its fields are not in the kernel's uapi headers (docs/netfilter.md).
// Every condition is also checked here, since a kernel ignores what it does
// not know and zone 0 means "no zone filter" to it.
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';
import { formatIP, ipFamilyOf, parseIP } from '../../netlink/ip.js';
import { type Conntrack, protocolOf, uint } from './entry.js';
import { type ConntrackFamily, type ProtocolName, familyNumber, statusBit } from './names.js';
import type { ConntrackAttrsIn } from './schema.js';

/** What a conntrack listing keeps: by family, zone, mark, protocol, addresses, ports or status. */
export interface ConntrackListFilter {
  family?: ConntrackFamily;
  zone?: number;
  /** Entries whose mark & markMask equals mark (markMask default 0xffffffff). */
  mark?: number;
  markMask?: number;
  protocol?: ProtocolName | number;
  /** Original direction source / destination address and ports (conntrack -s, -d, --sport, --dport). */
  src?: string;
  dst?: string;
  sport?: number;
  dport?: number;
  /** Reply direction source / destination address (conntrack -r, -q). */
  replySrc?: string;
  replyDst?: string;
  /** Status bits that must all be set ('ASSURED', 'SEEN_REPLY'...). */
  status?: readonly string[];
}

export interface CompiledFilter {
  /** nfgenmsg family of the request (0: all). */
  family: number;
  attrs: ConntrackAttrsIn;
  keep: (ct: Conntrack) => boolean;
}

/** The address in canonical text (the decoder's formatIP), so "fd00::0001" matches "fd00::1". */
function address(v: unknown, path: string): string {
  if (typeof v !== 'string' || !ipFamilyOf(v)) throw new EncodeError(path, `expected an IPv4 or IPv6 address, got ${describe(v)}`);
  return formatIP(parseIP(v, path));
}

/** Checks a filter and splits it into the kernel's part and ours. */
export function compileFilter(f: ConntrackListFilter | undefined, path = 'filter'): CompiledFilter {
  if (f === undefined) return { family: 0, attrs: {}, keep: () => true };
  if (f === null || typeof f !== 'object') throw new EncodeError(path, `expected an object, got ${describe(f)}`);
  const known = ['family', 'zone', 'mark', 'markMask', 'protocol', 'src', 'dst', 'sport', 'dport', 'replySrc', 'replyDst', 'status'];
  for (const k of Object.keys(f)) if (!known.includes(k)) throw new EncodeError(`${path}.${k}`, `unknown filter "${k}" (known: ${known.join(', ')})`);
  const tests: ((ct: Conntrack) => boolean)[] = [];
  const attrs: ConntrackAttrsIn = {};
  let family = 0;
  if (f.family !== undefined) {
    if (f.family !== 'ipv4' && f.family !== 'ipv6') throw new EncodeError(`${path}.family`, `expected ipv4 or ipv6, got ${describe(f.family)}`);
    family = familyNumber[f.family];
    const want = f.family;
    tests.push((ct) => ct.family === want);
  }
  if (f.zone !== undefined) {
    const z = uint(f.zone, 0xffff, `${path}.zone`);
    attrs.zone = z;
    tests.push((ct) => (ct.zone ?? 0) === z);
  }
  if (f.markMask !== undefined && f.mark === undefined) throw new EncodeError(`${path}.markMask`, 'a mark mask needs a mark');
  if (f.mark !== undefined) {
    const mark = uint(f.mark, 0xffffffff, `${path}.mark`);
    const mask = f.markMask === undefined ? 0xffffffff : uint(f.markMask, 0xffffffff, `${path}.markMask`);
    attrs.mark = mark;
    attrs.markMask = mask;
    tests.push((ct) => (((ct.mark ?? 0) & mask) >>> 0) === mark);
  }
  if (f.protocol !== undefined) {
    const p = protocolOf(f.protocol, `${path}.protocol`);
    tests.push((ct) => ct.protocol === p);
  }
  const addr = (key: 'src' | 'dst' | 'replySrc' | 'replyDst', get: (ct: Conntrack) => string): void => {
    if (f[key] === undefined) return;
    const a = address(f[key], `${path}.${key}`);
    tests.push((ct) => get(ct) === a);
  };
  addr('src', (ct) => ct.orig.src);
  addr('dst', (ct) => ct.orig.dst);
  addr('replySrc', (ct) => ct.reply.src);
  addr('replyDst', (ct) => ct.reply.dst);
  const port = (key: 'sport' | 'dport'): void => {
    if (f[key] === undefined) return;
    const p = uint(f[key], 0xffff, `${path}.${key}`);
    tests.push((ct) => ct.orig[key] === p);
  };
  port('sport');
  port('dport');
  if (f.status !== undefined) {
    if (!Array.isArray(f.status)) throw new EncodeError(`${path}.status`, `expected a list of status names, got ${describe(f.status)}`);
    let bits = 0;
    f.status.forEach((s, i) => {
      const b = typeof s === 'string' ? statusBit(s) : undefined;
      if (b === undefined) throw new EncodeError(`${path}.status[${i}]`, `unknown status bit ${describe(s)}`);
      bits |= b;
    });
    tests.push((ct) => ((ct.status & bits) >>> 0) === (bits >>> 0));
  }
  return { family, attrs, keep: tests.length === 0 ? () => true : (ct) => tests.every((t) => t(ct)) };
}
