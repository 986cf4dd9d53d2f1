// Lightweight tunnel encapsulations of a route or nexthop (RTA_ENCAP with
// RTA_ENCAP_TYPE; `ip route add ... encap TYPE ...`): one attribute set per
// type, the SRv6 segment routing header (struct ipv6_sr_hdr) as a codec.
// A route keeps RTA_ENCAP as bytes; `decodeEncap` reads them by type and
// `encodeEncap` writes them, in the order iproute2 6.1 writes them
// (ip/iproute_lwtunnel.c), so the bytes are the same (docs/routes-encap.md).
import * as W from '../generated/linux/lwtunnel.js';
import * as M from '../generated/linux/mpls_iptunnel.js';
import * as S6 from '../generated/linux/seg6.js';
import * as SI from '../generated/linux/seg6_iptunnel.js';
import * as SL from '../generated/linux/seg6_local.js';
import { type Codec, be16, be64, binary, enumMap, flagsMap, ipv4, ipv6, mapped, u32, u64, u8 } from '../netlink/codec.js';
import { describe } from '../netlink/describe.js';
import { type DecodeIssue, EncodeError } from '../netlink/errors.js';
import { formatIPv6, parseIP } from '../netlink/ip.js';
import { encodeAttrsChecked, isRecord } from '../netlink/narrow.js';
import { type AttrsOut, attr, attrSet, nested } from '../netlink/schema.js';
import { NetlinkWriter } from '../netlink/writer.js';
import { padding } from './codecs.js';
import { encapTypes } from './route-names.js';

// ── MPLS ────────────────────────────────────────────────────────────────

/** A label stack: 32-bit entries, label << 12, bottom of stack on the last; decoded as the labels. */
export const mplsLabels: Codec<number[], readonly number[]> = {
  name: 'MPLS labels',
  write(w, labels, path) {
    if (!Array.isArray(labels) || labels.length === 0) throw new EncodeError(path, `expected a list of labels, got ${describe(labels)}`);
    const at = w.reserve(4 * labels.length);
    labels.forEach((l: number, i) => {
      if (!Number.isInteger(l) || l < 0 || l > 0xfffff) throw new EncodeError(`${path}[${i}]`, `${describe(l)} is not an MPLS label (0..1048575)`);
      w.buffer.writeUInt32BE(((l << 12) | (i === labels.length - 1 ? 0x100 : 0)) >>> 0, at + 4 * i);
    });
  },
  read(buf, start, end, issues, path) {
    if ((end - start) % 4 !== 0 || end === start) issues?.push({ path, problem: `payload of ${end - start} bytes is not a stack of 4-byte labels`, offset: start });
    const out: number[] = [];
    for (let at = start; at + 4 <= end; at += 4) out.push(buf.readUInt32BE(at) >>> 12);
    return out;
  },
};

export const mplsEncapAttrs = attrSet('encap.mpls', {
  labels: attr(M.MPLS_IPTUNNEL_DST, mplsLabels),
  ttl: attr(M.MPLS_IPTUNNEL_TTL, u8),
});

// ── ip / ip6 (metadata for collect_md tunnels) ──────────────────────────

/** TUNNEL_* of if_tunnel.h: big-endian bits. */
const tunnelFlags = flagsMap('tunnel flag', { csum: 0x01, key: 0x04, seq: 0x08 });

export const ipEncapAttrs = attrSet('encap.ip', {
  id: attr(W.LWTUNNEL_IP_ID, be64),
  dst: attr(W.LWTUNNEL_IP_DST, ipv4),
  src: attr(W.LWTUNNEL_IP_SRC, ipv4),
  ttl: attr(W.LWTUNNEL_IP_TTL, u8),
  tos: attr(W.LWTUNNEL_IP_TOS, u8),
  flags: attr(W.LWTUNNEL_IP_FLAGS, mapped(be16, tunnelFlags)),
  pad: attr(W.LWTUNNEL_IP_PAD, padding),
  /** geneve/vxlan/erspan options, as on the wire. */
  opts: attr(W.LWTUNNEL_IP_OPTS, binary),
});

export const ip6EncapAttrs = attrSet('encap.ip6', {
  id: attr(W.LWTUNNEL_IP6_ID, be64),
  dst: attr(W.LWTUNNEL_IP6_DST, ipv6),
  src: attr(W.LWTUNNEL_IP6_SRC, ipv6),
  hoplimit: attr(W.LWTUNNEL_IP6_HOPLIMIT, u8),
  tc: attr(W.LWTUNNEL_IP6_TC, u8),
  flags: attr(W.LWTUNNEL_IP6_FLAGS, mapped(be16, tunnelFlags)),
  pad: attr(W.LWTUNNEL_IP6_PAD, padding),
  opts: attr(W.LWTUNNEL_IP6_OPTS, binary),
});

// ── SRv6 ────────────────────────────────────────────────────────────────

/**
 * A segment routing header: the segments in the order they are visited
 * (ip's order: the SRH holds them last first) and an HMAC key id. In inline
 * mode (and for seg6local's End.B6), ip reserves the first slot of the SRH
 * for the packet's own destination: it is the last entry, `::`.
 */
export interface Srh {
  segs: string[];
  /** The HMAC TLV's key id (SR6_FLAG1_HMAC set). */
  hmac?: number;
}

const SRH_FIXED = S6.ipv6_sr_hdr.size;
const HMAC_TLV = 40;

function writeSrh(w: NetlinkWriter, v: Srh, path: string): void {
  if (v === null || typeof v !== 'object' || !Array.isArray(v.segs) || v.segs.length === 0 || v.segs.length > 128) {
    throw new EncodeError(path, `expected { segs: [1..128 IPv6 addresses], hmac? }, got ${describe(v)}`);
  }
  const n = v.segs.length;
  const hmac = v.hmac;
  if (hmac !== undefined && (!Number.isInteger(hmac) || hmac < 0 || hmac > 0xffffffff)) throw new EncodeError(`${path}.hmac`, `${describe(hmac)} is not an HMAC key id (u32)`);
  const len = SRH_FIXED + 16 * n + (hmac ? HMAC_TLV : 0);
  const at = w.reserve(len);
  const b = w.buffer;
  b[at + 1] = (len >> 3) - 1; // hdrlen
  b[at + 2] = 4; // type: SRH
  b[at + 3] = n - 1; // segments_left
  b[at + 4] = n - 1; // first_segment
  b[at + 5] = hmac ? S6.SR6_FLAG1_HMAC : 0;
  v.segs.forEach((s, i) => { parseIP(s, `${path}.segs[${i}]`, 6).copy(b, at + SRH_FIXED + 16 * (n - 1 - i)); });
  if (hmac) {
    const t = at + SRH_FIXED + 16 * n;
    b[t] = S6.SR6_TLV_HMAC;
    b[t + 1] = HMAC_TLV - 2;
    b.writeUInt32BE(hmac, t + 4);
  }
}

function readSrh(buf: Buffer, start: number, end: number, issues: DecodeIssue[] | undefined, path: string): Srh | undefined {
  if (end - start < SRH_FIXED) {
    issues?.push({ path, problem: `${end - start} bytes, a segment routing header needs ${SRH_FIXED}`, offset: start });
    return undefined;
  }
  const len = (buf[start + 1]! + 1) << 3;
  const first = buf[start + 4]!;
  if (len > end - start || SRH_FIXED + 16 * (first + 1) > len) {
    issues?.push({ path, problem: `header of ${len} bytes with ${first + 1} segments does not fit the ${end - start} bytes given`, offset: start });
    return undefined;
  }
  const segs: string[] = [];
  for (let i = first; i >= 0; i--) segs.push(formatIPv6(buf, start + SRH_FIXED + 16 * i));
  const out: Srh = { segs };
  const tlv = start + len - HMAC_TLV;
  if (buf[start + 5]! & S6.SR6_FLAG1_HMAC && tlv >= start + SRH_FIXED + 16 * (first + 1)) out.hmac = buf.readUInt32BE(tlv + 4);
  return out;
}

export const srh: Codec<Srh> = {
  name: 'segment routing header',
  write: writeSrh,
  read: readSrh,
};

/** SEG6_IPTUN_MODE_*, as ip names them. */
export const seg6Modes = enumMap('seg6 mode', {
  inline: SI.SEG6_IPTUN_MODE_INLINE, encap: SI.SEG6_IPTUN_MODE_ENCAP, l2encap: SI.SEG6_IPTUN_MODE_L2ENCAP,
  'encap.red': SI.SEG6_IPTUN_MODE_ENCAP_RED, 'l2encap.red': SI.SEG6_IPTUN_MODE_L2ENCAP_RED,
});
/** An SRv6 encapsulation mode (encap, inline, l2encap...). */
export type Seg6Mode = ReturnType<typeof seg6Modes.decode>;

/** struct seg6_iptunnel_encap: the mode (an int) and the SRH. */
export const seg6Tunnel: Codec<Srh & { mode: Seg6Mode }, Srh & { mode: Seg6Mode | number }> = {
  name: 'seg6 tunnel',
  write(w, v, path) {
    if (v === null || typeof v !== 'object') throw new EncodeError(path, `expected { mode, segs, hmac? }, got ${describe(v)}`);
    const mode = seg6Modes.encode(v.mode, `${path}.mode`);
    const at = w.reserve(4);
    w.buffer.writeInt32LE(mode, at);
    writeSrh(w, v, path);
  },
  read(buf, start, end, issues, path) {
    if (end - start < 4) {
      issues?.push({ path, problem: `${end - start} bytes, expected the mode and a segment routing header`, offset: start });
      return undefined;
    }
    const s = readSrh(buf, start + 4, end, issues, path);
    return s && { mode: seg6Modes.decode(buf.readInt32LE(start)), ...s };
  },
};

export const seg6EncapAttrs = attrSet('encap.seg6', {
  tunnel: attr(SI.SEG6_IPTUNNEL_SRH, seg6Tunnel),
});

/** SEG6_LOCAL_ACTION_*, as ip names them. */
export const seg6LocalActions = enumMap('seg6local action', {
  End: SL.SEG6_LOCAL_ACTION_END, 'End.X': SL.SEG6_LOCAL_ACTION_END_X, 'End.T': SL.SEG6_LOCAL_ACTION_END_T,
  'End.DX2': SL.SEG6_LOCAL_ACTION_END_DX2, 'End.DX6': SL.SEG6_LOCAL_ACTION_END_DX6, 'End.DX4': SL.SEG6_LOCAL_ACTION_END_DX4,
  'End.DT6': SL.SEG6_LOCAL_ACTION_END_DT6, 'End.DT4': SL.SEG6_LOCAL_ACTION_END_DT4, 'End.B6': SL.SEG6_LOCAL_ACTION_END_B6,
  'End.B6.Encaps': SL.SEG6_LOCAL_ACTION_END_B6_ENCAP, 'End.BM': SL.SEG6_LOCAL_ACTION_END_BM, 'End.S': SL.SEG6_LOCAL_ACTION_END_S,
  'End.AS': SL.SEG6_LOCAL_ACTION_END_AS, 'End.AM': SL.SEG6_LOCAL_ACTION_END_AM, 'End.BPF': SL.SEG6_LOCAL_ACTION_END_BPF,
  'End.DT46': SL.SEG6_LOCAL_ACTION_END_DT46,
});
/** An SRv6 local action (End, End.X, End.DT6...). */
export type Seg6LocalAction = ReturnType<typeof seg6LocalActions.decode>;

export const seg6LocalCounterAttrs = attrSet('encap.seg6local.counters', {
  pad: attr(SL.SEG6_LOCAL_CNT_PAD, padding),
  packets: attr(SL.SEG6_LOCAL_CNT_PACKETS, u64),
  bytes: attr(SL.SEG6_LOCAL_CNT_BYTES, u64),
  errors: attr(SL.SEG6_LOCAL_CNT_ERRORS, u64),
});

export const seg6LocalAttrs = attrSet('encap.seg6local', {
  action: attr(SL.SEG6_LOCAL_ACTION, mapped(u32, seg6LocalActions)),
  table: attr(SL.SEG6_LOCAL_TABLE, u32),
  vrftable: attr(SL.SEG6_LOCAL_VRFTABLE, u32),
  nh4: attr(SL.SEG6_LOCAL_NH4, ipv4),
  nh6: attr(SL.SEG6_LOCAL_NH6, ipv6),
  iif: attr(SL.SEG6_LOCAL_IIF, u32),
  oif: attr(SL.SEG6_LOCAL_OIF, u32),
  /** `count`: an empty nest asks for counters; the kernel reports them in it. */
  counters: attr(SL.SEG6_LOCAL_COUNTERS, nested(seg6LocalCounterAttrs, { nestFlag: true })),
  /** The End.BPF program (fd and name), as on the wire. */
  bpf: attr(SL.SEG6_LOCAL_BPF, binary),
  flavors: attr(SL.SEG6_LOCAL_FLAVORS, binary),
  /** ip sends the SRH last. */
  srh: attr(SL.SEG6_LOCAL_SRH, srh),
});

// ── by type ─────────────────────────────────────────────────────────────

/** The attribute set of each route encapsulation type (RTA_ENCAP's content by RTA_ENCAP_TYPE). */
export const encapAttrSets = {
  mpls: mplsEncapAttrs,
  ip: ipEncapAttrs,
  ip6: ip6EncapAttrs,
  seg6: seg6EncapAttrs,
  seg6local: seg6LocalAttrs,
} as const;

/** The attribute sets of the route encapsulation types, by type. */
export type EncapAttrSets = typeof encapAttrSets;
/** A route encapsulation type (mpls, ip, ip6, seg6, seg6local, bpf...). */
export type EncapKind = keyof EncapAttrSets;

/** A decoded encapsulation: `type` and the attributes of its set. */
export type RouteEncap = { [K in EncapKind]: { type: K } & Omit<AttrsOut<EncapAttrSets[K]['specs']>, 'pad'> }[EncapKind];

/** What encodeEncap takes: the same shape, attributes in the order they are sent. */
export type RouteEncapInput = { [K in EncapKind]: { type: K } & Parameters<EncapAttrSets[K]['encode']>[1] }[EncapKind];

const isKind = (t: unknown): t is EncapKind => typeof t === 'string' && Object.hasOwn(encapAttrSets, t);

/** A decoded set with its type first and without its padding attribute (ip, ip6). */
function typed<K extends EncapKind, V extends { pad?: unknown }>(type: K, v: V): { type: K } & Omit<V, 'pad'> {
  const { pad: _pad, ...rest } = v;
  return { type, ...rest };
}

/** One decoder per type, so each result keeps its own set's type. */
const encapDecoders: { [K in EncapKind]: (b: Buffer, issues: DecodeIssue[] | undefined) => Extract<RouteEncap, { type: K }> } = {
  mpls: (b, issues) => ({ type: 'mpls', ...mplsEncapAttrs.decode(b, 0, b.length, issues, 'encap.mpls') }),
  ip: (b, issues) => typed('ip', ipEncapAttrs.decode(b, 0, b.length, issues, 'encap.ip')),
  ip6: (b, issues) => typed('ip6', ip6EncapAttrs.decode(b, 0, b.length, issues, 'encap.ip6')),
  seg6: (b, issues) => ({ type: 'seg6', ...seg6EncapAttrs.decode(b, 0, b.length, issues, 'encap.seg6') }),
  seg6local: (b, issues) => ({ type: 'seg6local', ...seg6LocalAttrs.decode(b, 0, b.length, issues, 'encap.seg6local') }),
};

/** Reads RTA_ENCAP's payload for an encap type; a type without a set here comes back undefined (the route keeps the bytes). */
export function decodeEncap(type: unknown, buf: Uint8Array, issues?: DecodeIssue[]): RouteEncap | undefined {
  const name = typeof type === 'number' ? encapTypes.decode(type) : type;
  if (!isKind(name)) return undefined;
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return encapDecoders[name](b, issues);
}

/** The RTA_ENCAP payload and RTA_ENCAP_TYPE of an encapsulation (checked: an EncodeError names the field). */
export function encodeEncap(e: RouteEncapInput | Record<string, unknown>, path = 'encap'): { encap: Buffer; encapType: EncapKind } {
  const t: unknown = isRecord(e) ? e.type : undefined;
  if (!isRecord(e) || !isKind(t)) {
    throw new EncodeError(`${path}.type`, `expected an encap type (${Object.keys(encapAttrSets).join(', ')}), got ${describe(t)}`);
  }
  const { type: _type, ...attrs } = e;
  const w = new NetlinkWriter(256);
  // The set checks every attribute it is given (an EncodeError names the field).
  encodeAttrsChecked(encapAttrSets[t], w, attrs, `${path}`);
  // RTA_ENCAP first, then RTA_ENCAP_TYPE: the order ip sends them in.
  return { encap: w.toBuffer(), encapType: t };
}

