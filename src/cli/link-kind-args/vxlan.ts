// `type vxlan ...` words (iproute2's iplink_vxlan.c). Most words add their
// attribute at once; id, local, remote/group, learning and dstport are added
// after the loop, in that order, and an add always sends learning (on unless
// `nolearning` or `external`), as iproute2 does.
import { ipFamilyOf, parseIP } from '../../netlink/ip.js';
import { matches } from '../args.js';
import { num } from '../../rtnl/words.js';
import type { Words } from '../../rtnl/words.js';
import type { KindArgs } from './kind-args.js';

/** Words that set a u8 attribute to 1, and their `no` forms to 0. */
const SWITCHES: readonly [string, string][] = [
  ['proxy', 'proxy'], ['rsc', 'rsc'], ['l2miss', 'l2miss'], ['l3miss', 'l3miss'],
  ['udpcsum', 'udpCsum'], ['udp6zerocsumtx', 'udpZeroCsum6Tx'], ['udp6zerocsumrx', 'udpZeroCsum6Rx'],
  ['remcsumtx', 'remcsumTx'], ['remcsumrx', 'remcsumRx'],
];

export const vxlanArgs: KindArgs = async (w, ctx) => {
  const data: Record<string, unknown> = {};
  let vni: number | undefined;
  let learning: boolean | undefined;
  let metadata = false;
  let dstport: number | undefined;
  let gpe = false;
  let local: string | undefined;
  let remote: { addr: string; multicast: boolean } | undefined;
  let vnifilter = false;
  const family = (): 4 | 6 | undefined => (local ? ipFamilyOf(local) : remote ? ipFamilyOf(remote.addr) : undefined);
  while (!w.done) {
    const x = w.next();
    if (matches(x, 'id') || matches(x, 'vni')) {
      const v = w.value(x);
      vni = num(v, 'id');
      if (vni >= 1 << 24) w.fail(`invalid id "${v}": a VNI has 24 bits`);
    } else if (matches(x, 'group') || matches(x, 'remote')) {
      const isGroup = matches(x, 'group');
      if (remote && remote.multicast !== isGroup) w.fail('both group and remote cannot be specified');
      const addr = address(w, w.value(x), family());
      if (isMulticast(addr) !== isGroup) w.fail(`invalid ${isGroup ? 'group' : 'remote'} address "${addr}"`);
      remote = { addr, multicast: isGroup };
    } else if (matches(x, 'local')) {
      const addr = address(w, w.value(x), remote ? ipFamilyOf(remote.addr) : undefined);
      if (isMulticast(addr)) w.fail(`invalid local address "${addr}"`);
      local = addr;
    } else if (matches(x, 'dev')) {
      data.link = await ctx.index(w.value(x));
    } else if (matches(x, 'ttl') || matches(x, 'hoplimit')) {
      const v = w.value(x);
      if (v === 'inherit') data.ttlInherit = true;
      else data.ttl = v === 'auto' ? 0 : num(v, 'TTL', 'u8');
    } else if (matches(x, 'tos') || matches(x, 'dsfield')) {
      const v = w.value(x);
      data.tos = v === 'inherit' ? 1 : dsfield(w, v);
    } else if (matches(x, 'df')) {
      const v = w.value(x);
      if (v !== 'unset' && v !== 'set' && v !== 'inherit') w.fail('DF must be "unset", "set" or "inherit"');
      data.df = v;
    } else if (matches(x, 'label') || matches(x, 'flowlabel')) {
      const label = num(w.value(x), 'flowlabel');
      if (label > 0xfffff) w.fail('invalid flowlabel');
      data.label = label;
    } else if (matches(x, 'ageing')) {
      const v = w.value(x);
      data.ageing = v === 'none' ? 0 : num(v, 'ageing timer');
    } else if (matches(x, 'maxaddress')) {
      const v = w.value(x);
      data.limit = v === 'unlimited' ? 0 : num(v, 'max addresses');
    } else if (matches(x, 'port') || matches(x, 'srcport')) {
      const lowWord = w.value(x);
      const low = num(lowWord, 'min port', 'u16');
      const high = num(w.value(lowWord), 'max port', 'u16');
      if (low || high) data.portRange = { low, high };
    } else if (matches(x, 'dstport')) dstport = num(w.value(x), 'dst port', 'u16');
    else if (matches(x, 'nolearning')) learning = false;
    else if (matches(x, 'learning')) learning = true;
    else if (matches(x, 'external')) { metadata = true; learning = false; data.collectMetadata = true; }
    else if (matches(x, 'noexternal')) { metadata = false; data.collectMetadata = false; }
    else if (matches(x, 'gbp')) data.gbp = true;
    else if (matches(x, 'gpe')) { gpe = true; data.gpe = true; }
    else if (x === 'vnifilter') { vnifilter = true; data.vnifilter = true; }
    else if (x === 'novnifilter') data.vnifilter = false;
    else if (!switchWord(x, data)) w.fail(`unknown option "${x}"`);
  }
  if (!metadata && vnifilter) w.fail('vnifilter is valid only when "external" is set');
  if (metadata && vni !== undefined) w.fail('both "external" and an id cannot be specified');
  if (!metadata && !vnifilter && vni === undefined && ctx.create) w.fail('missing virtual network identifier (id)');
  if (remote?.multicast && data.link === undefined) w.fail('"group" requires "dev" to be specified');
  if (dstport === undefined && gpe) dstport = 4790;
  if (vni !== undefined) data.id = vni;
  if (local) data[ipFamilyOf(local) === 6 ? 'local6' : 'local'] = local;
  if (remote) data[ipFamilyOf(remote.addr) === 6 ? 'group6' : 'group'] = remote.addr;
  if (ctx.create || learning !== undefined) data.learning = learning ?? true;
  if (dstport) data.port = dstport;
  return data;
};

function switchWord(x: string, data: Record<string, unknown>): boolean {
  for (const [word, key] of SWITCHES) {
    if (matches(x, `no${word}`)) { data[key] = false; return true; }
    if (matches(x, word)) { data[key] = true; return true; }
  }
  return false;
}

function address(w: Words, v: string, family: 4 | 6 | undefined): string {
  try {
    parseIP(v, 'address', family);
    return v;
  } catch {
    return w.fail(`invalid address "${v}"${family ? ` (the other address is IPv${family})` : ''}`);
  }
}

function isMulticast(addr: string): boolean {
  const b = parseIP(addr, 'address');
  return b.length === 4 ? (b[0]! & 0xf0) === 0xe0 : b[0] === 0xff;
}

/** rtnl_dsfield_a2n: a hex number up to 0xff. */
function dsfield(w: Words, v: string): number {
  const m = /^(?:0x)?([0-9a-f]+)$/i.exec(v);
  const n = m ? parseInt(m[1]!, 16) : NaN;
  if (!(n <= 255)) w.fail(`bad TOS value "${v}"`);
  return n;
}
