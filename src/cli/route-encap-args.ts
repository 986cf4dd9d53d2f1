// `encap TYPE ...` of ip route's words (lwt_parse_encap of
// ip/iproute_lwtunnel.c, iproute2 6.1): the typed encapsulation, its
// attributes in the order ip writes them, and where the route's words go on.
import type { RouteEncapInput } from '../rtnl/lwtunnel.js';
import { UsageError } from './args.js';
import { dsfieldNames, namedId, parseUnsigned, tableNames } from './ip-json/iproute2-names.js';

function u(text: string | undefined, what: string, max: number): number {
  const n = text === undefined ? undefined : parseUnsigned(text);
  if (n === undefined || n > max) throw new UsageError(`"${what}" value is invalid: "${text}"`);
  return n;
}

function need(words: readonly string[], i: number, what: string): string {
  const v = words[i];
  if (v === undefined) throw new UsageError(`"${what}": command line is not complete. Try option "help"`);
  return v;
}

/** ip's get_be64/get_u64 for a tunnel id: decimal or 0x hex, 64 bits. */
function id(text: string): bigint {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(text) || BigInt(text) > 0xffffffffffffffffn) throw new UsageError(`"id" value is invalid: "${text}"`);
  return BigInt(text);
}

/** segs A,B,C: ip's parse_srh; `reserve` adds the empty first slot ip keeps for inline mode and seg6local's End.B6. */
function segs(text: string, reserve: boolean): string[] {
  const list = text.split(',');
  return reserve ? [...list, '::'] : list;
}

/**
 * Parses the words after "encap" (words[i] is the type). Returns the
 * encapsulation and the index of the first word it did not use.
 */
export function parseEncapWords(words: readonly string[], i: number): { encap: RouteEncapInput; next: number } {
  const type = need(words, i, 'encap');
  i++;
  // ip wants a word after the encapsulation's first one (the route goes on after it).
  if (words.length - i <= 1) throw new UsageError('Error: unexpected end of line after "encap"');
  const seen = new Set<string>();
  const once = (w: string): void => {
    if (seen.has(w)) throw new UsageError(`Error: duplicate "${w}": "${words[i + 1]}" is the second value.`);
    seen.add(w);
  };
  switch (type) {
    case 'mpls': {
      const labels = words[i]!.split('/').map((l) => u(l, 'label', 0xfffff));
      const e: RouteEncapInput = { type: 'mpls', labels };
      i++;
      if (words[i] === 'ttl') { e.ttl = u(words[i + 1], 'ttl', 255); i += 2; }
      return { encap: e, next: i };
    }
    case 'ip': case 'ip6': {
      const e: Record<string, unknown> = { type };
      const flags: string[] = [];
      for (;;) {
        const w = words[i];
        if (w === 'id' || w === 'dst' || w === 'src' || w === 'ttl' || w === 'tos' || w === 'hoplimit' || w === 'tc') {
          once(w);
          const v = need(words, i + 1, w);
          if (w === 'id') e.id = id(v);
          else if (w === 'dst' || w === 'src') e[w] = v;
          else if (w === 'tos' && type === 'ip') e.tos = dsfieldNames.id(v) ?? u(`0x${v.replace(/^0x/i, '')}`, 'tos', 255);
          else if (w === 'ttl' && type === 'ip') e.ttl = u(v, 'ttl', 255);
          else if (w === 'hoplimit' && type === 'ip6') e.hoplimit = u(v, 'hoplimit', 255);
          else if (w === 'tc' && type === 'ip6') e.tc = dsfieldNames.id(v) ?? u(`0x${v.replace(/^0x/i, '')}`, 'tc', 255);
          else break;
          i += 2;
        } else if (w === 'key' || w === 'csum' || w === 'seq') {
          once(w);
          flags.push(w);
          i++;
        } else if (w === 'geneve_opts' || w === 'vxlan_opts' || w === 'erspan_opts') {
          throw new UsageError(`"${w}" is not supported by this version`);
        } else break;
      }
      // ip adds the flags last, once.
      if (flags.length) e.flags = ['key', 'csum', 'seq'].filter((f) => flags.includes(f));
      return { encap: e as RouteEncapInput, next: i };
    }
    case 'seg6': {
      let mode: string | undefined;
      let list: string | undefined;
      let hmac: number | undefined;
      for (;;) {
        const w = words[i];
        if (w === 'mode') { once(w); mode = need(words, i + 1, w); }
        else if (w === 'segs') {
          once(w);
          if (mode === undefined) throw new UsageError(`"segs" provided before "mode": "${words[i + 1]}"`);
          list = need(words, i + 1, w);
        } else if (w === 'hmac') { once(w); hmac = u(words[i + 1], 'hmac', 0xffffffff); }
        else break;
        i += 2;
      }
      if (mode === undefined || list === undefined) throw new UsageError('encap seg6 needs "mode" and "segs"');
      const tunnel: Record<string, unknown> = { mode, segs: segs(list, mode === 'inline') };
      if (hmac) tunnel.hmac = hmac;
      return { encap: { type: 'seg6', tunnel } as unknown as RouteEncapInput, next: i };
    }
    case 'seg6local': {
      const e: Record<string, unknown> = { type: 'seg6local' };
      let srh: { segs: string; hmac?: number } | undefined;
      for (;;) {
        const w = words[i];
        if (w === 'action' || w === 'table' || w === 'vrftable' || w === 'nh4' || w === 'nh6') {
          once(w);
          const v = need(words, i + 1, w);
          if (w === 'table' || w === 'vrftable') {
            const t = namedId(tableNames, v, 0xffffffff);
            if (t === undefined) throw new UsageError(`invalid ${w === 'table' ? 'table' : 'vrf table'} id: "${v}"`);
            e[w] = t;
          } else e[w] = v;
          i += 2;
        } else if (w === 'count') { once(w); e.counters = { packets: 0, bytes: 0, errors: 0 }; i++; }
        else if (w === 'srh') {
          once(w);
          if (words[i + 1] !== 'segs') throw new UsageError(`missing "segs" attribute for srh: "${words[i + 1]}"`);
          srh = { segs: need(words, i + 2, 'segs') };
          i += 3;
          if (words[i] === 'hmac') { srh.hmac = u(words[i + 1], 'hmac', 0xffffffff); i += 2; }
        } else if (w === 'iif' || w === 'oif' || w === 'endpoint' || w === 'flavors') {
          throw new UsageError(`seg6local "${w}" is not supported by this version`);
        } else break;
      }
      if (e.action === undefined) throw new UsageError('Missing action type');
      if (srh) {
        const s: Record<string, unknown> = { segs: segs(srh.segs, e.action !== 'End.B6.Encaps') };
        if (srh.hmac) s.hmac = srh.hmac;
        e.srh = s;
      }
      return { encap: e as RouteEncapInput, next: i };
    }
    default:
      throw new UsageError(`"encap type" value is invalid: "${type}"${['ila', 'bpf', 'rpl', 'ioam6', 'xfrm'].includes(type) ? ' (not supported by this version)' : ''}`);
  }
}
