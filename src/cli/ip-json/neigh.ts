// A neighbour in the shape `ip -j neigh show` prints, and the entries that
// command shows by default. Key order follows iproute2 (ip/ipneigh.c).
import { jsonStrings } from './json-read.js';
import { type Prefix, formatIP, networkOf, parseHw, parseIP } from '../../netlink/ip.js';
import type { Link } from '../../rtnl/link.js';
import { routeProtocols } from '../../rtnl/names.js';
import type { Neighbour } from '../../rtnl/neighbour.js';
import { NUD_NONE_MARK, neighStateMask, nudTable } from '../../rtnl/neighbour-names.js';
import { protocolNames } from './iproute2-names.js';
import type { Json } from './link.js';

/** `ip neigh show`'s selection: which states (bits; NUD_NONE_MARK stands for NUD_NONE), and an optional prefix. */
export interface NeighView {
  states: number;
  prefix?: Prefix;
  protocol?: number;
  /** Only entries nobody holds a reference to (`unused`). */
  unused?: boolean;
}

/** What `ip neigh show` shows without `nud`: every state but noarp (and none). */
export const DEFAULT_SHOW_STATES = (NUD_NONE_MARK - 1) & ~nudTable.noarp;

/** Whether `ip neigh show` would print this entry (print_neigh's filter). */
export function neighShown(n: Neighbour, view: NeighView): boolean {
  const state = neighStateMask(n.state);
  const special = n.flags.includes('proxy') || n.flags.includes('extern_learn');
  if (!(view.states & state) && !special && (state !== 0 || !(view.states & NUD_NONE_MARK))) return false;
  if (view.prefix) {
    const p = view.prefix;
    if (n.address === undefined) return p.length === 0;
    const bytes = parseIP(n.address, 'dst');
    if (bytes.length !== p.bytes.length || !networkOf(bytes, p.length).equals(networkOf(p.bytes, p.length))) return false;
  }
  if (view.protocol && view.protocol !== protocolNumber(n)) return false;
  if (view.unused && n.cacheinfo && n.cacheinfo.ndm_refcnt) return false;
  return true;
}

function protocolNumber(n: Neighbour): number {
  return n.protocol === undefined ? 0 : routeProtocols.encode(n.protocol, 'protocol');
}

const TUNNEL4 = new Set(['ipip', 'sit', 'gre']);
const TUNNEL6 = new Set(['tunnel6', 'gre6']);

/** ll_addr_n2a: tunnels' link-layer addresses are IP addresses. */
function lladdrText(lladdr: string, link: Link | undefined): string {
  const type = link?.type;
  if (typeof type === 'string' && (TUNNEL4.has(type) || TUNNEL6.has(type))) {
    const b = parseHw(lladdr, 'lladdr');
    if ((b.length === 4 && TUNNEL4.has(type)) || (b.length === 16 && TUNNEL6.has(type))) return formatIP(b);
  }
  return lladdr;
}

export interface NeighJsonOptions {
  stats?: boolean;
  /** The links of the namespace, for names (and link types). */
  linkOf?: (index: number) => Link | undefined;
  /** The show was for one link (`dev NAME`): ip then leaves "dev" out. */
  oneLink?: boolean;
  /** USER_HZ, for the cache times. */
  hz?: number;
}

export function neighToIpJson(n: Neighbour, opts: NeighJsonOptions = {}): Record<string, Json | undefined> {
  const o: Record<string, Json | undefined> = {};
  if (n.address !== undefined) o.dst = n.address;
  const link = n.ifindex ? opts.linkOf?.(n.ifindex) : undefined;
  if (!opts.oneLink && n.ifindex) o.dev = link?.name ?? `if${n.ifindex}`;
  if (n.lladdr !== undefined) o.lladdr = lladdrText(n.lladdr, link);
  if (n.flags.includes('router')) o.router = null;
  if (n.flags.includes('proxy')) o.proxy = null;
  if (n.flagsExt?.includes('managed')) o.managed = null;
  if (n.flags.includes('extern_learn')) o.extern_learn = null;
  if (n.flags.includes('offload')) o.offload = null;
  if (opts.stats) {
    const hz = opts.hz ?? 100;
    const ci = n.cacheinfo;
    if (ci) {
      if (ci.ndm_refcnt) o.refcnt = ci.ndm_refcnt;
      o.used = Math.floor(ci.ndm_used / hz);
      o.confirmed = Math.floor(ci.ndm_confirmed / hz);
      o.updated = Math.floor(ci.ndm_updated / hz);
    }
    if (n.probes !== undefined) o.probes = n.probes;
  }
  const states = n.state.filter((s) => !s.startsWith('0x')).map((s) => s.toUpperCase());
  if (n.state.length) o.state = states;
  const proto = protocolNumber(n);
  if (proto) o.protocol = protocolNames.name(proto);
  return o;
}

/** The text line of `ip neigh show`. */
export function neighToText(j: Record<string, Json | undefined>): string {
  let s = '';
  if (j.deleted) s += 'Deleted ';
  if (j.dst !== undefined) s += `${j.dst} `;
  if (j.dev !== undefined) s += `dev ${j.dev} `;
  if (j.lladdr !== undefined) s += `lladdr ${j.lladdr} `;
  for (const f of ['router', 'proxy', 'managed', 'extern_learn', 'offload']) if (f in j) s += `${f} `;
  if (j.used !== undefined) s += `${j.refcnt !== undefined ? ` ref ${j.refcnt}` : ''} used ${j.used}/${j.confirmed}/${j.updated}`;
  if (j.probes !== undefined) s += `probes ${j.probes} `;
  if (j.state) s += jsonStrings(j.state).map((x) => `${x} `).join('');
  if (j.protocol !== undefined) s += `proto ${j.protocol} `;
  return s;
}
