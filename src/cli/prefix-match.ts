// Prefix selectors as iproute2 reads them (lib/utils.c get_prefix and
// inet_addr_match): `to PREFIX` of `ip address show`, `root`/`match`/`from`
// of `ip route show`. A bare address is a host prefix; `default`/`all`/`any`
// is the zero-length prefix of the family.
import { type IpFamily, parseIP, parsePrefix } from '../netlink/ip.js';
import { UsageError } from './args.js';
import { parseUnsigned } from '../rtnl/words.js';

/** `family` is undefined only for `default`/`any`/`all` read without a family: it then matches every family. */
export interface PrefixSelector { family?: IpFamily; bytes: Buffer; length: number }

/** get_prefix: `word` as a prefix of `family` (any family when unset); a usage error in ip's words otherwise. */
export function prefixSelector(word: string, keyword: string, family?: 'inet' | 'inet6'): PrefixSelector {
  const fam: IpFamily | undefined = family === 'inet' ? 4 : family === 'inet6' ? 6 : undefined;
  if (word === 'default' || word === 'all' || word === 'any') {
    return { family: fam, bytes: Buffer.alloc(fam === 6 ? 16 : 4), length: 0 };
  }
  try {
    const p = parsePrefix(word, keyword, fam);
    return { family: p.family, bytes: p.bytes, length: p.length };
  } catch {
    const short = fam === 6 ? undefined : shortIPv4(word);
    if (short) return short;
    throw new UsageError(`Error: argument "${word}" is wrong: invalid "${keyword}"`);
  }
}

/** get_addr_ipv4: one to four parts (`0`, `10.1`), each as strtoul(…, 0) reads it; missing parts are zero. */
function shortIPv4(word: string): PrefixSelector | undefined {
  const m = /^([^/]+)(?:\/(\d{1,2}))?$/.exec(word);
  if (!m) return undefined;
  const parts = m[1]!.split('.');
  if (parts.length > 4) return undefined;
  const bytes = Buffer.alloc(4);
  for (const [i, p] of parts.entries()) {
    const n = parseUnsigned(p);
    if (n === undefined || n > 255) return undefined;
    bytes[i] = n;
  }
  const length = m[2] === undefined ? 32 : Number(m[2]);
  return length <= 32 ? { family: 4, bytes, length } : undefined;
}

/** inet_addr_match: the first `bits` bits of `addr` equal the selector's (an address of another family never does). */
export function addressInPrefix(addr: string | Buffer, sel: PrefixSelector, bits = sel.length): boolean {
  if (bits <= 0) return true;
  let b: Buffer;
  try {
    b = typeof addr === 'string' ? parseIP(addr, 'address') : addr;
  } catch {
    return false;
  }
  if (b.length !== sel.bytes.length) return false;
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (b[i] !== sel.bytes[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff00 >> rest) & 0xff;
  return ((b[whole]! ^ sel.bytes[whole]!) & mask) === 0;
}
