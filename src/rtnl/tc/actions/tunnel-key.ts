// tunnel_key: sets the tunnel metadata a collect_md tunnel device (vxlan,
// geneve...) encapsulates with, or drops it (`action tunnel_key set src_ip
// 198.18.0.1 dst_ip 198.18.0.2 id 42 dst_port 4789`). Attributes go in the
// order of the words, then the checksum flag, then the parameters, as tc
// writes them.
import { TC_ACT_PIPE, tcf_t } from '../../../generated/linux/pkt_cls.js';
import * as T from '../../../generated/linux/tc_act/tc_tunnel_key.js';
import { be16, be32, ip, struct, u8 } from '../../../netlink/codec.js';
import { EncodeError } from '../../../netlink/errors.js';
import { attr, attrSet } from '../../../netlink/schema.js';
import { parseIP } from '../../../netlink/ip.js';
import type { ActionKind, ActionPrint } from '../kind.js';
import { checkKeys, intOption, optionsObject } from '../options.js';
import { type ActionCommon, type ActionCommonInput, commonOf, commonOut, commonParms, commonWords, oneOf } from './generic.js';
import { type Words, UsageError, cNumber, matches, parseUnsigned } from '../../words.js';

const tkAttrs = attrSet('tunnel_key', {
  tm: attr(T.TCA_TUNNEL_KEY_TM, struct(tcf_t)),
  parms: attr(T.TCA_TUNNEL_KEY_PARMS, struct(T.tc_tunnel_key)),
  src4: attr(T.TCA_TUNNEL_KEY_ENC_IPV4_SRC, ip), dst4: attr(T.TCA_TUNNEL_KEY_ENC_IPV4_DST, ip),
  src6: attr(T.TCA_TUNNEL_KEY_ENC_IPV6_SRC, ip), dst6: attr(T.TCA_TUNNEL_KEY_ENC_IPV6_DST, ip),
  keyId: attr(T.TCA_TUNNEL_KEY_ENC_KEY_ID, be32),
  dstPort: attr(T.TCA_TUNNEL_KEY_ENC_DST_PORT, be16),
  noCsum: attr(T.TCA_TUNNEL_KEY_NO_CSUM, u8),
  tos: attr(T.TCA_TUNNEL_KEY_ENC_TOS, u8),
  ttl: attr(T.TCA_TUNNEL_KEY_ENC_TTL, u8),
});

export interface TunnelKeyOptions extends ActionCommon {
  mode: 'set' | 'unset' | number;
  srcIp?: string;
  dstIp?: string;
  keyId?: number;
  dstPort?: number;
  /** False when the outer UDP checksum is left out (tc's nocsum). */
  csum?: boolean;
  tos?: number;
  ttl?: number;
}

export interface TunnelKeyOptionsInput extends ActionCommonInput {
  /** Required unless binding an existing action by index. */
  mode?: 'set' | 'unset';
  srcIp?: string;
  dstIp?: string;
  keyId?: number;
  dstPort?: number;
  /** Default true. */
  csum?: boolean;
  tos?: number;
  ttl?: number;
}

const KEYS = ['mode', 'srcIp', 'dstIp', 'keyId', 'dstPort', 'csum', 'tos', 'ttl', 'control', 'index'];

// ── tc words and printer ──

function tosTtl(word: string, what: string): number {
  const n = parseUnsigned(word, 10) ?? parseUnsigned(word, 16);
  if (n === undefined || n > 255) throw new UsageError(`Illegal "${what}"`);
  return n;
}

function tunnelKeyWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (;;) {
    const k = w.peek();
    if (k === undefined) break;
    if (matches(k, 'unset') || matches(k, 'set')) {
      if (o.mode !== undefined) throw new UsageError(`tunnel_key: unexpected "${k}"`);
      o.mode = matches(k, 'unset') ? 'unset' : 'set';
      w.next();
    } else if (matches(k, 'src_ip')) { w.next(); o.srcIp = w.value(k); }
    else if (matches(k, 'dst_ip')) { w.next(); o.dstIp = w.value(k); }
    else if (matches(k, 'id')) { w.next(); o.keyId = cNumber(w.value(k), 'tunnel_key id', 10); }
    else if (matches(k, 'dst_port')) { w.next(); o.dstPort = cNumber(w.value(k), 'tunnel_key dst_port', 10); }
    else if (matches(k, 'tos')) { w.next(); o.tos = tosTtl(w.value(k), 'tos'); }
    else if (matches(k, 'ttl')) { w.next(); o.ttl = tosTtl(w.value(k), 'ttl'); }
    else if (matches(k, 'csum')) { w.next(); o.csum = true; }
    else if (matches(k, 'nocsum')) { w.next(); o.csum = false; }
    else break;
  }
  return commonWords(w, o, 'tunnel_key');
}

const printTunnelKey: ActionPrint<TunnelKeyOptions> = (p, o, ctx) => {
  p.any('mode', String(o.mode), ` ${String(o.mode)}`);
  if (o.mode === 'set') {
    p.any('src_ip', o.srcIp, `\n\tsrc_ip ${o.srcIp}`).any('dst_ip', o.dstIp, `\n\tdst_ip ${o.dstIp}`)
      .any('key_id', o.keyId, `\n\tkey_id ${o.keyId}`).any('dst_port', o.dstPort, `\n\tdst_port ${o.dstPort}`);
    if (o.csum !== undefined) p.any('flag', o.csum ? 'csum' : 'nocsum', `\n\t${o.csum ? 'csum' : 'nocsum'}`);
    if (o.tos) p.any('tos', o.tos, `\n\ttos 0x${o.tos.toString(16)}`);
    if (o.ttl) p.any('ttl', o.ttl, `\n\tttl ${o.ttl}`);
  }
  commonOut(p, o, ctx);
};

export const tunnelKey: ActionKind<TunnelKeyOptions, TunnelKeyOptionsInput> = {
  kind: 'tunnel_key',
  words: tunnelKeyWords,
  print: printTunnelKey,
  options: {
    encode(w, value, _ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, KEYS, path, 'tunnel_key');
      const mode = v.mode === undefined ? undefined : oneOf(v.mode, ['set', 'unset'], `${path}.mode`);
      if (mode === undefined && v.index === undefined) throw new EncodeError(`${path}.mode`, 'tunnel_key needs set or unset (or the index of an existing action)');
      if (mode === 'set' && (v.srcIp === undefined || v.dstIp === undefined)) throw new EncodeError(`${path}.${v.srcIp === undefined ? 'srcIp' : 'dstIp'}`, 'tunnel_key set needs src_ip and dst_ip');
      for (const k of Object.keys(v)) {
        const x = v[k];
        if (x === undefined) continue;
        const p = `${path}.${k}`;
        if (k === 'srcIp' || k === 'dstIp') {
          const six = parseIP(x, p).length === 16;
          tkAttrs.encode(w, k === 'srcIp' ? (six ? { src6: String(x) } : { src4: String(x) }) : (six ? { dst6: String(x) } : { dst4: String(x) }), p);
        } else if (k === 'keyId') tkAttrs.encode(w, { keyId: intOption(x, p) }, p);
        else if (k === 'dstPort') tkAttrs.encode(w, { dstPort: intOption(x, p, 0, 0xffff) }, p);
        else if (k === 'tos' || k === 'ttl') tkAttrs.encode(w, k === 'tos' ? { tos: intOption(x, p, 0, 255) } : { ttl: intOption(x, p, 0, 255) }, p);
      }
      if (v.csum !== undefined && typeof v.csum !== 'boolean') throw new EncodeError(`${path}.csum`, 'expected true or false');
      tkAttrs.encode(w, { noCsum: v.csum === false ? 1 : 0 }, path);
      tkAttrs.encode(w, { parms: { ...commonParms(v, TC_ACT_PIPE, path), t_action: mode === 'set' ? T.TCA_TUNNEL_KEY_ACT_SET : mode === 'unset' ? T.TCA_TUNNEL_KEY_ACT_RELEASE : 0 } }, path);
    },
    decode(buf, start, end, issues, path) {
      const a = tkAttrs.decode(buf, start, end, issues, path);
      const t = a.parms?.t_action ?? 0;
      const out: TunnelKeyOptions = {
        ...commonOf(a.parms, a.tm, issues, path, 'tunnel_key'),
        mode: t === T.TCA_TUNNEL_KEY_ACT_SET ? 'set' : t === T.TCA_TUNNEL_KEY_ACT_RELEASE ? 'unset' : t,
      };
      const src = a.src4 ?? a.src6;
      if (src !== undefined) out.srcIp = src;
      const dst = a.dst4 ?? a.dst6;
      if (dst !== undefined) out.dstIp = dst;
      if (a.keyId !== undefined) out.keyId = a.keyId;
      if (a.dstPort !== undefined) out.dstPort = a.dstPort;
      if (a.noCsum !== undefined) out.csum = a.noCsum === 0;
      if (a.tos !== undefined) out.tos = a.tos;
      if (a.ttl !== undefined) out.ttl = a.ttl;
      return out;
    },
  },
};
