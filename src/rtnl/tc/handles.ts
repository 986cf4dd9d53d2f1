// Traffic-control handles: 32-bit numbers written 'major:minor' in hex, as tc
// writes them. A qdisc is 'major:' (minor 0), a class 'major:minor'; parents
// may also be named 'root', 'ingress' or 'clsact' (and 'egress' for clsact's
// egress hook, as in `tc filter add ... egress`).
import {
  TC_H_CLSACT, TC_H_INGRESS, TC_H_MAJ_MASK, TC_H_MIN_EGRESS, TC_H_MIN_INGRESS, TC_H_MIN_MASK, TC_H_ROOT, TC_H_UNSPEC,
} from '../../generated/linux/pkt_sched.js';
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';

/** A handle as tc writes it ('1:', '1:10', ':10', 'root', 'none') or as the kernel's u32. */
export type TcHandle = string | number;

export const TC_H_CLSACT_INGRESS = ((TC_H_CLSACT & TC_H_MAJ_MASK) | TC_H_MIN_INGRESS) >>> 0;
export const TC_H_CLSACT_EGRESS = ((TC_H_CLSACT & TC_H_MAJ_MASK) | TC_H_MIN_EGRESS) >>> 0;

export const major = (h: number): number => (h & TC_H_MAJ_MASK) >>> 0;
export const minor = (h: number): number => h & TC_H_MIN_MASK;
export const makeHandle = (maj: number, min: number): number => ((maj & TC_H_MAJ_MASK) | (min & TC_H_MIN_MASK)) >>> 0;

// strtoul(…, 16), as tc reads handles: a 0x prefix is allowed (`handle 0x10:` is 10:).
const HEX = /^(?:0x)?[0-9a-f]+$/i;

function hex16(text: string, path: string, what: string, input: string): number {
  if (!HEX.test(text)) throw new EncodeError(path, `${what} "${input}" is not hex major:minor`);
  const n = parseInt(text, 16);
  if (n > 0xffff) throw new EncodeError(path, `${what} "${input}": ${text} does not fit 16 bits`);
  return n;
}

function checkU32(v: number, path: string, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new EncodeError(path, `${what} ${v} is not a u32`);
  return v;
}

/**
 * A class id or parent, like tc's get_tc_classid: 'root', 'none', 'X:Y',
 * 'X:' and ':Y' in hex; also 'ingress', 'clsact' and 'egress'.
 */
export function parseClassid(v: unknown, path: string, what = 'handle'): number {
  if (typeof v === 'number') return checkU32(v, path, what);
  if (typeof v !== 'string') throw new EncodeError(path, `${what}: expected a string like "1:10" or a number, got ${describe(v)}`);
  switch (v) {
    case 'root': return TC_H_ROOT;
    case 'none': return TC_H_UNSPEC;
    case 'ingress': return TC_H_INGRESS;
    case 'clsact': return TC_H_CLSACT;
    case 'egress': return TC_H_CLSACT_EGRESS;
    default: break;
  }
  const colon = v.indexOf(':');
  if (colon < 0) {
    // tc takes a bare hex number as the whole 32-bit value.
    if (!HEX.test(v) || v.replace(/^0x/i, '').length > 8) throw new EncodeError(path, `${what} "${v}" is not a handle (expected major:minor in hex, e.g. 1:10)`);
    return parseInt(v, 16) >>> 0;
  }
  const maj = colon === 0 ? 0 : hex16(v.slice(0, colon), path, what, v);
  const rest = v.slice(colon + 1);
  const min = rest === '' ? 0 : hex16(rest, path, what, v);
  return makeHandle(maj << 16, min);
}

/** A qdisc handle, like tc's get_qdisc_handle: 'X:' or 'X' in hex (the minor must be empty), or 'none'. */
export function parseQdiscHandle(v: unknown, path: string): number {
  if (typeof v === 'number') {
    checkU32(v, path, 'qdisc handle');
    if (minor(v) !== 0) throw new EncodeError(path, `qdisc handle ${formatHandle(v)} has a minor part; a qdisc handle is "major:"`);
    return v;
  }
  if (typeof v !== 'string') throw new EncodeError(path, `qdisc handle: expected a string like "1:", got ${describe(v)}`);
  if (v === 'none') return TC_H_UNSPEC;
  const m = /^((?:0x)?[0-9a-f]+):?$/i.exec(v);
  if (!m) throw new EncodeError(path, `qdisc handle "${v}" is not "major:" in hex (e.g. 1: or ffff:)`);
  return makeHandle(hex16(m[1]!, path, 'qdisc handle', v) << 16, 0);
}

/** Formats a handle as tc prints class ids and parents (print_tc_classid). */
export function formatHandle(h: number): string {
  if (h === TC_H_ROOT) return 'root';
  if (h === TC_H_UNSPEC) return 'none';
  const maj = h >>> 16;
  const min = h & 0xffff;
  if (maj === 0) return `:${min.toString(16)}`;
  if (min === 0) return `${maj.toString(16)}:`;
  return `${maj.toString(16)}:${min.toString(16)}`;
}

/** A qdisc's own handle as tc prints it: always 'major:' ('0:' for none). */
export function formatQdiscHandle(h: number): string {
  return `${(h >>> 16).toString(16)}:`;
}
