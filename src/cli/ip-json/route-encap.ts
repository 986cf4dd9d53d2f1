// A route's encapsulation as `ip route show` prints it (lwt_print_encap of
// ip/iproute_lwtunnel.c, iproute2 6.1): JSON keys that sit among the route's
// own (ip repeats "dst" and "src" there; a JSON reader keeps the last, as
// these entries do), and the text that follows the destination.
import { type RouteEncap, decodeEncap } from '../../rtnl/lwtunnel.js';
import { tableNames } from './iproute2-names.js';
import type { Json } from './link.js';

export interface PrintedEncap {
  /** Key/value pairs in ip's order. */
  json: [string, Json][];
  /** " encap TYPE ...": what follows the destination in the text line (ip's spaces kept). */
  text: string;
}

const hmacText = (n: number): string => n.toString(16).toUpperCase();
const hmacJson = (n: number): string => (n ? `0x${n.toString(16)}` : '0');

/** print_encap_*: the printed form of RTA_ENCAP; undefined for an encap type ip prints nothing for here. */
export function printEncap(type: unknown, bytes: Uint8Array | undefined, ifname: (i: number) => string, stats = false): PrintedEncap | undefined {
  if (type === undefined || bytes === undefined) return undefined;
  const e = decodeEncap(type, bytes);
  const name = typeof type === 'number' ? String(type) : String(type);
  const json: [string, Json][] = [['encap', e?.type ?? name]];
  let text = ` encap ${e?.type ?? name} `;
  const put = (k: string, v: Json, t: string | undefined): void => { json.push([k, v]); if (t !== undefined) text += t; };
  if (e) encapEntries(e, put, ifname, stats);
  return { json, text: text.trimEnd() };
}

type Put = (key: string, value: Json, text: string | undefined) => void;

function encapEntries(e: RouteEncap, put: Put, ifname: (i: number) => string, stats: boolean): void {
  switch (e.type) {
    case 'mpls':
      if (e.labels) put('dst', e.labels.join('/'), ` ${e.labels.join('/')} `);
      if (e.ttl !== undefined) put('ttl', e.ttl, `ttl ${e.ttl} `);
      break;
    case 'ip': case 'ip6': {
      if (e.id !== undefined) put('id', Number(e.id), `id ${e.id} `);
      if (e.src !== undefined) put('src', e.src, `src ${e.src} `);
      if (e.dst !== undefined) put('dst', e.dst, `dst ${e.dst} `);
      if (e.type === 'ip') {
        if (e.ttl !== undefined) put('ttl', e.ttl, `ttl ${e.ttl} `);
        if (e.tos !== undefined) put('tos', e.tos, `tos ${e.tos} `);
      } else {
        if (e.hoplimit !== undefined) put('hoplimit', e.hoplimit, `hoplimit ${e.hoplimit} `);
        if (e.tc !== undefined) put('tc', e.tc, `tc ${e.tc} `);
      }
      for (const f of ['key', 'csum', 'seq']) if (e.flags?.includes(f as never)) put(f, true, `${f} `);
      break;
    }
    case 'seg6':
      if (!e.tunnel) break;
      put('mode', String(e.tunnel.mode), `mode ${e.tunnel.mode} `);
      srhEntries(e.tunnel, put);
      break;
    case 'seg6local': {
      if (e.action === undefined) break;
      put('action', typeof e.action === 'number' ? '<unknown>' : e.action, `action ${typeof e.action === 'number' ? '<unknown>' : e.action} `);
      if (e.srh) {
        const inner: [string, Json][] = [];
        let t = '';
        srhEntries(e.srh, (k, v, x) => { inner.push([k, v]); t += x ?? ''; });
        put('srh', Object.fromEntries(inner), t);
      }
      if (e.table !== undefined) put('table', tableNames.name(e.table), `table ${tableNames.name(e.table)} `);
      if (e.vrftable !== undefined) put('vrftable', tableNames.name(e.vrftable), `vrftable ${tableNames.name(e.vrftable)} `);
      if (e.nh4 !== undefined) put('nh4', e.nh4, `nh4 ${e.nh4} `);
      if (e.nh6 !== undefined) put('nh6', e.nh6, `nh6 ${e.nh6} `);
      if (e.iif !== undefined) put('iif', ifname(e.iif), `iif ${ifname(e.iif)} `);
      if (e.oif !== undefined) put('oif', ifname(e.oif), `oif ${ifname(e.oif)} `);
      if (e.counters && stats) {
        const c = { packets: Number(e.counters.packets ?? 0), bytes: Number(e.counters.bytes ?? 0), errors: Number(e.counters.errors ?? 0) };
        put('stats64', c, `packets ${c.packets} bytes ${c.bytes} errors ${c.errors} `);
      }
      break;
    }
  }
}

/** print_srh: "segs N [ a b ] " and the HMAC key id. */
function srhEntries(s: { segs: string[]; hmac?: number }, put: Put): void {
  put('segs', s.segs, `segs ${s.segs.length} [ ${s.segs.map((x) => `${x} `).join('')}] `);
  if (s.hmac !== undefined) put('hmac', hmacJson(s.hmac), `hmac ${hmacText(s.hmac)} `);
}
