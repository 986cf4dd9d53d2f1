// Traffic-control messages (qdiscs, classes, filters): struct tcmsg plus
// TCA_* attributes. TCA_OPTIONS and the kind's statistics are read by the
// module of the kind named in TCA_KIND (a sibling attribute), so the generic
// schema keeps only where they lie and the role decoders (qdisc.ts,
// class.ts, filter.ts) resolve them while the receive buffer is still valid.
import { tc_estimator } from '../../generated/linux/pkt_sched.js';
import {
  TCA_CHAIN, TCA_DUMP_FLAGS, TCA_DUMP_INVISIBLE, TCA_EGRESS_BLOCK, TCA_EXT_WARN_MSG, TCA_FCNT, TCA_HW_OFFLOAD,
  TCA_INGRESS_BLOCK, TCA_KIND, TCA_OPTIONS, TCA_PAD, TCA_RATE, TCA_STAB, TCA_STATS, TCA_STATS2, TCA_XSTATS, tcmsg,
} from '../../generated/linux/rtnetlink.js';
import { describe } from '../../netlink/describe.js';
import { binary, flag, string, struct, u32, u8 } from '../../netlink/codec.js';
import { padding } from '../codecs.js';
import { type DecodeIssue, EncodeError } from '../../netlink/errors.js';
import { type MessageOut, type RawAttr, attr, attrSet, messageSchema } from '../../netlink/schema.js';
import { NLMSG_HDRLEN, type NetlinkWriter } from '../../netlink/writer.js';
import type { EncodeContext, OptionsCodec, XstatsDecoder } from './kind.js';
import { type Span, type TcStats, decodeStats2, legacyStats, span, statsFromLegacy } from './stats.js';

export const tcAttrs = attrSet('tc', {
  kind: attr(TCA_KIND, string),
  options: attr(TCA_OPTIONS, span),
  stats: attr(TCA_STATS, legacyStats),
  xstats: attr(TCA_XSTATS, span),
  rate: attr(TCA_RATE, struct(tc_estimator)),
  fcnt: attr(TCA_FCNT, u32),
  stats2: attr(TCA_STATS2, span),
  stab: attr(TCA_STAB, binary),
  dumpInvisible: attr(TCA_DUMP_INVISIBLE, flag),
  chain: attr(TCA_CHAIN, u32),
  hwOffload: attr(TCA_HW_OFFLOAD, u8),
  ingressBlock: attr(TCA_INGRESS_BLOCK, u32),
  egressBlock: attr(TCA_EGRESS_BLOCK, u32),
  dumpFlags: attr(TCA_DUMP_FLAGS, binary),
  extWarnMsg: attr(TCA_EXT_WARN_MSG, string),
  /** Alignment before 64-bit values: how many the kernel puts depends on where the message starts. */
  pad: attr(TCA_PAD, padding),
});

const tcHeader = {
  family: 'tcm_family',
  ifindex: 'tcm_ifindex',
  handle: 'tcm_handle',
  parent: 'tcm_parent',
  info: 'tcm_info',
} as const;

export const tcMessage = messageSchema('tc', tcmsg, tcHeader, tcAttrs);
export type TcMessage = MessageOut<typeof tcHeader, typeof tcAttrs.specs>;

/** What every decoded qdisc, class and filter carries besides its kind's part. */
export interface TcCommon {
  /** The device's interface index. */
  ifindex: number;
  /** 'root', or the parent's handle ('1:', '1:10', 'ffff:fff1'). */
  parent: string;
  /** Counters, when the kernel sent them (always in dumps). */
  stats?: TcStats;
  chain?: number;
  /** Offloaded to hardware. */
  offloaded?: boolean;
  ingressBlock?: number;
  egressBlock?: number;
  /** A warning the kernel attached (TCA_EXT_WARN_MSG). */
  warning?: string;
  /** Attributes this version does not model, byte for byte. */
  unknown?: RawAttr[];
  issues?: DecodeIssue[];
}

/** A qdisc, class or filter while it is decoded: options and xstats as its kind's codec read them. */
export type TcDecoded<T> = TcCommon & T & { kind: string; options?: unknown; xstats?: unknown };

/** The decoded tcmsg and the issues found so far; spans still point into buf. */
export function decodeTcMessage(buf: Buffer, start: number, length: number, issues: DecodeIssue[]): TcMessage {
  return tcMessage.decodePayload(buf, start + NLMSG_HDRLEN, start + length, issues);
}

/**
 * Fills the common part. Returns where the kind's statistics lie
 * (TCA_STATS2's app part first, else the legacy TCA_XSTATS), for the caller
 * to decode with the kind's module.
 */
export function commonPart(buf: Buffer, m: TcMessage, out: TcCommon, issues: DecodeIssue[]): Span | undefined {
  let app: Span | undefined;
  if (m.stats2) {
    const s = decodeStats2(buf, m.stats2, issues, 'tc.stats2');
    out.stats = s.stats;
    app = s.app;
  } else if (m.stats) {
    out.stats = statsFromLegacy(m.stats);
  }
  if (m.chain !== undefined) out.chain = m.chain;
  if (m.hwOffload !== undefined) out.offloaded = m.hwOffload !== 0;
  if (m.ingressBlock !== undefined) out.ingressBlock = m.ingressBlock;
  if (m.egressBlock !== undefined) out.egressBlock = m.egressBlock;
  if (m.extWarnMsg !== undefined) out.warning = m.extWarnMsg;
  if (m.unknown) out.unknown = m.unknown;
  return app ?? m.xstats;
}

/** Decodes a kind's options with its codec, or copies them out raw for a kind this version does not model. */
export function decodeOptions(buf: Buffer, sp: Span, codec: OptionsCodec<unknown, unknown> | undefined, issues: DecodeIssue[], path: string): unknown {
  return codec ? codec.decode(buf, sp.start, sp.end, issues, path) : Buffer.from(buf.subarray(sp.start, sp.end));
}

export function decodeXstats(buf: Buffer, sp: Span, decoder: XstatsDecoder<unknown> | undefined, issues: DecodeIssue[], path: string): unknown {
  return decoder ? decoder(buf, sp.start, sp.end, issues, path) : Buffer.from(buf.subarray(sp.start, sp.end));
}

/** Looks a kind up in a registry table (own properties only). */
export function kindIn<T>(table: Record<string, T>, kind: string | undefined): T | undefined {
  return kind !== undefined && Object.hasOwn(table, kind) ? table[kind] : undefined;
}

/**
 * Writes a kind's options attribute: with the kind's codec, or as given for a
 * Buffer (a kind this version does not model, or bytes prepared elsewhere).
 */
export function writeOptions(
  w: NetlinkWriter, codec: OptionsCodec<unknown, unknown> | undefined, kind: string, known: string,
  value: unknown, ctx: EncodeContext, path: string, type = TCA_OPTIONS, nestFlag = false,
): void {
  if (value instanceof Uint8Array) {
    w.attrBytes(type, value, path);
    return;
  }
  if (!codec) {
    if (value === undefined) return;
    throw new EncodeError(path, `options of "${kind}" are not modeled (known: ${known}); pass them as a Buffer to send them as they are, got ${describe(value)}`);
  }
  const at = w.beginNest(type, nestFlag || codec.nested === true, path);
  let keep: void | false;
  try {
    keep = codec.encode(w, value, ctx, path);
  } catch (err) {
    w.truncate(at);
    throw err;
  }
  if (keep === false) w.truncate(at);
  // endAttr: a struct payload keeps its own length (tc_hfsc_qopt is 2 bytes); a nest is already aligned.
  else w.endAttr(at, path);
}

/** A kind string as the kernel takes it (TCA_KIND, at most 15 bytes). */
export function checkKind(v: unknown, path: string): string {
  if (typeof v !== 'string' || !/^[\w.-]{1,15}$/.test(v)) throw new EncodeError(path, `kind must be a name like "htb" (1 to 15 letters, digits, _ . -), got ${describe(v)}`);
  return v;
}
