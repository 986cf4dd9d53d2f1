// A netlink message as a tree of attributes, for structure-aware mutations:
// a payload that parses cleanly as attributes is taken for a nest (a guess,
// which is all a mutator needs), anything else is a leaf. Serialising
// recomputes every length, so a duplicated, moved or spliced attribute comes
// out well formed and the decoder's deeper paths get exercised, not only its
// first length check.
import { ifaddrmsg } from '../../src/generated/linux/if_addr.js';
import { fib_rule_hdr } from '../../src/generated/linux/fib_rules.js';
import { ndmsg } from '../../src/generated/linux/neighbour.js';
import { NLMSG_DONE, NLMSG_ERROR } from '../../src/generated/linux/netlink.js';
import * as R from '../../src/generated/linux/rtnetlink.js';
import { NLMSG_HDRLEN, align4 } from '../../src/netlink/writer.js';

export interface AttrNode {
  /** The type as sent, NLA_F_* bits included. */
  type: number;
  /** A leaf's payload; undefined for a nest. */
  payload?: Buffer;
  kids?: AttrNode[];
}

export interface Tree {
  /** Everything before the attributes: nlmsghdr and the family header, or nothing for a bare payload. */
  head: Buffer;
  kids: AttrNode[];
  /** Bytes after the last attribute that did not parse as one. */
  tail: Buffer;
  /** Whether head starts with an nlmsghdr whose length must be fixed up. */
  message: boolean;
}

/** The fixed header after nlmsghdr of a message type, or undefined for types whose payload is not attributes. */
export function familyHeaderSize(type: number): number | undefined {
  if (type === NLMSG_ERROR) return 4 + NLMSG_HDRLEN;
  if (type === NLMSG_DONE) return 4;
  if (type >= R.RTM_NEWLINK && type <= R.RTM_SETLINK) return R.ifinfomsg.size;
  if (type >= R.RTM_NEWADDR && type <= R.RTM_GETADDR) return ifaddrmsg.size;
  if (type >= R.RTM_NEWROUTE && type <= R.RTM_GETROUTE) return R.rtmsg.size;
  if (type >= R.RTM_NEWNEIGH && type <= R.RTM_GETNEIGH) return ndmsg.size;
  if (type >= R.RTM_NEWRULE && type <= R.RTM_GETRULE) return fib_rule_hdr.size;
  if (type >= R.RTM_NEWQDISC && type <= R.RTM_GETTFILTER) return R.tcmsg.size;
  if (type >= R.RTM_NEWNSID && type <= R.RTM_GETNSID) return align4(R.rtgenmsg.size);
  return undefined;
}

const MAX_DEPTH = 24;

function parseList(buf: Buffer, start: number, end: number, depth: number): { kids: AttrNode[]; stop: number } {
  const kids: AttrNode[] = [];
  let at = start;
  while (end - at >= 4) {
    const len = buf.readUInt16LE(at);
    if (len < 4 || len > end - at) break;
    const type = buf.readUInt16LE(at + 2);
    const s = at + 4;
    const e = at + len;
    kids.push(nodeOf(buf, type, s, e, depth));
    at += align4(len);
  }
  return { kids, stop: Math.min(at, end) };
}

function nodeOf(buf: Buffer, type: number, s: number, e: number, depth: number): AttrNode {
  if (depth < MAX_DEPTH && e - s >= 4) {
    const inner = parseList(buf, s, e, depth + 1);
    if (inner.stop >= e && inner.kids.length > 0) return { type, kids: inner.kids };
  }
  return { type, payload: Buffer.from(buf.subarray(s, e)) };
}

/** Parses a message (nlmsghdr first) or, with headerSize given and message false, a bare attribute payload. */
export function parseTree(bytes: Buffer, message: boolean, headerSize = 0): Tree {
  let hsize = headerSize;
  if (message) {
    const fam = bytes.length >= NLMSG_HDRLEN ? familyHeaderSize(bytes.readUInt16LE(4)) : undefined;
    hsize = NLMSG_HDRLEN + align4(fam ?? 0);
  }
  hsize = Math.min(hsize, bytes.length);
  const { kids, stop } = parseList(bytes, hsize, bytes.length, 0);
  return { head: Buffer.from(bytes.subarray(0, hsize)), kids, tail: Buffer.from(bytes.subarray(stop)), message };
}

function sizeOf(n: AttrNode): number {
  if (n.kids) return 4 + n.kids.reduce((s, k) => s + align4(sizeOf(k)), 0);
  return 4 + n.payload!.length;
}

function writeNode(out: Buffer, at: number, n: AttrNode): number {
  const len = sizeOf(n);
  out.writeUInt16LE(len & 0xffff, at);
  out.writeUInt16LE(n.type & 0xffff, at + 2);
  let p = at + 4;
  if (n.kids) for (const k of n.kids) p = writeNode(out, p, k);
  else { n.payload!.copy(out, p); p += n.payload!.length; }
  return at + align4(len);
}

/** The bytes of a tree with every length recomputed; undefined when an attribute outgrew its u16 length. */
export function serialize(t: Tree): Buffer | undefined {
  const fits = (n: AttrNode): boolean => sizeOf(n) <= 0xffff && (!n.kids || n.kids.every(fits));
  if (!t.kids.every(fits)) return undefined;
  const body = t.kids.reduce((s, k) => s + align4(sizeOf(k)), 0);
  const out = Buffer.alloc(t.head.length + body + t.tail.length);
  t.head.copy(out, 0);
  let p = t.head.length;
  for (const k of t.kids) p = writeNode(out, p, k);
  t.tail.copy(out, p);
  if (t.message && out.length >= 4) out.writeUInt32LE(out.length, 0);
  return out;
}

/** Every attribute list in the tree (the top level and each nest's), for mutators to choose from. */
export function lists(t: Tree): AttrNode[][] {
  const out: AttrNode[][] = [t.kids];
  const walk = (ns: AttrNode[]): void => { for (const n of ns) if (n.kids) { out.push(n.kids); walk(n.kids); } };
  walk(t.kids);
  return out;
}

export function allNodes(t: Tree): AttrNode[] {
  const out: AttrNode[] = [];
  const walk = (ns: AttrNode[]): void => { for (const n of ns) { out.push(n); if (n.kids) walk(n.kids); } };
  walk(t.kids);
  return out;
}

export function cloneNode(n: AttrNode): AttrNode {
  return n.kids ? { type: n.type, kids: n.kids.map(cloneNode) } : { type: n.type, payload: Buffer.from(n.payload!) };
}

/** Offsets of attribute headers in bytes (as the tree guesses them), for length-field corruption. */
export function attrHeaderOffsets(bytes: Buffer, message: boolean): number[] {
  const t = parseTree(bytes, message);
  const out: number[] = [];
  const walk = (ns: AttrNode[], at: number): void => {
    for (const n of ns) {
      out.push(at);
      if (n.kids) walk(n.kids, at + 4);
      at += align4(sizeOf(n));
    }
  };
  walk(t.kids, t.head.length);
  return out.filter((o) => o + 4 <= bytes.length);
}
