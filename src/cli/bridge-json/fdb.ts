// `bridge fdb show` rows, text and -j, as iproute2 6.1's print_fdb writes them.
import { type FdbEntry, stateBits } from '../../api/bridge.js';

type Row = { text: string; json: Record<string, unknown> };

/** bridge's state_n2a: permanent, static, stale, "" for a dynamic (reachable) entry, else the number. */
export function fdbStateText(bits: number, json: boolean): string {
  if (bits & 0x80) return 'permanent';
  if (bits & 0x40) return 'static';
  if (bits & 0x04) return 'stale';
  if (bits & 0x02) return '';
  return json ? `0x${bits.toString(16)}` : `state=0x${bits.toString(16)}`;
}

/** The flag words in bridge's order. */
const FLAG_ORDER = [['self', 'self'], ['router', 'router'], ['extern_learn', 'extern_learn'], ['offload', 'offload'], ['master', 'master'], ['sticky', 'sticky']] as const;

export interface FdbPrintContext {
  name(ifindex: number): string;
  /** The show was filtered to one port (brport/dev): the dev column is left out, as bridge does. */
  oneDev: boolean;
  stats: boolean;
  hz: number;
  /** Event output (bridge monitor): a deleted entry says so. */
  deleted?: boolean;
}

export function fdbRow(e: FdbEntry, ctx: FdbPrintContext): Row {
  const json: Record<string, unknown> = {};
  const words: string[] = [];
  if (ctx.deleted) { json.deleted = true; words.push('Deleted'); }
  if (e.lladdr !== undefined) { json.mac = e.lladdr; words.push(e.lladdr); }
  if (!ctx.oneDev && e.ifindex) { json.ifname = ctx.name(e.ifindex); words.push('dev', ctx.name(e.ifindex)); }
  if (e.address !== undefined) { json.dst = e.address; words.push('dst', e.address); }
  if (e.vlan) { json.vlan = e.vlan; words.push('vlan', String(e.vlan)); }
  if (e.port !== undefined) { json.port = e.port; words.push('port', String(e.port)); }
  if (e.vni !== undefined) { json.vni = e.vni; words.push('vni', String(e.vni)); }
  if (e.srcVni !== undefined) { json.src_vni = e.srcVni; words.push('src_vni', String(e.srcVni)); }
  if (e.via !== undefined) {
    if (e.linkNetnsid !== undefined) { json.viaIfIndex = e.via; words.push('via', 'ifindex', String(e.via)); }
    else { json.viaIf = ctx.name(e.via); words.push('via', ctx.name(e.via)); }
  }
  if (e.nhId !== undefined) { json.nhid = e.nhId; words.push('nhid', String(e.nhId)); }
  if (e.linkNetnsid !== undefined) { json.linkNetNsId = e.linkNetnsid; words.push('link-netnsid', String(e.linkNetnsid)); }
  if (ctx.stats && e.cacheinfo) {
    json.used = Math.floor(e.cacheinfo.ndm_used / ctx.hz);
    json.updated = Math.floor(e.cacheinfo.ndm_updated / ctx.hz);
    words.push('used', `${Math.floor(e.cacheinfo.ndm_used / ctx.hz)}/${Math.floor(e.cacheinfo.ndm_updated / ctx.hz)}`);
  }
  const flags = FLAG_ORDER.filter(([f]) => e.flags.includes(f)).map(([, w]) => w);
  json.flags = flags;
  words.push(...flags);
  if (e.master !== undefined) { json.master = ctx.name(e.master); words.push('master', ctx.name(e.master)); }
  const bits = stateBits(e);
  json.state = fdbStateText(bits, true);
  // Every word is followed by a space (bridge prints "%s "), then the state and the newline.
  return { text: `${words.map((w) => `${w} `).join('')}${fdbStateText(bits, false)}`, json };
}
