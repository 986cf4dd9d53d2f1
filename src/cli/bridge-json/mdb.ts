// `bridge mdb show` rows, text and -j, as iproute2 6.1's print_mdb_entry writes them.
import type { BridgeMdbEntry } from '../../api/bridge.js';
import * as B from '../../generated/linux/if_bridge.js';
import { type MdbMessage, mdbEntries } from '../../rtnl/bridge-mdb.js';

const FLAGS: [number, string][] = [[B.MDB_FLAGS_OFFLOAD, 'offload'], [B.MDB_FLAGS_FAST_LEAVE, 'fast_leave'], [B.MDB_FLAGS_STAR_EXCL, 'added_by_star_ex'], [B.MDB_FLAGS_BLOCKED, 'blocked']];

/** The kernel's timer in centiseconds, as bridge's format_timer(timer, 1): "%4i.%.2i". */
function timerText(cs: number): string {
  return `${String(Math.floor(cs / 100)).padStart(4)}.${String(cs % 100).padStart(2, '0')}`;
}

export function mdbRow(e: BridgeMdbEntry, ctx: { name(ifindex: number): string; stats: boolean }): { text: string; json: Record<string, unknown> } {
  const flags = FLAGS.filter(([bit]) => e.flags & bit).map(([, w]) => w);
  const json: Record<string, unknown> = { index: e.bridge, dev: ctx.name(e.bridge), port: ctx.name(e.port), grp: e.grp, state: e.state, flags };
  let text = `dev ${ctx.name(e.bridge)} port ${ctx.name(e.port)} grp ${e.grp} ${e.state}${flags.map((f) => ` ${f}`).join('')}`;
  if (e.vid) { json.vid = e.vid; text += ` vid ${e.vid}`; }
  if (ctx.stats && e.timer !== undefined) { json.timer = timerText(e.timer); text += ` ${timerText(e.timer)}`; }
  return { text, json };
}

/** The rows of one RTM_NEWMDB/RTM_DELMDB message (an event: bridge monitor mdb). */
export function mdbEventRows(m: MdbMessage, name: (ifindex: number) => string): { text: string; json: Record<string, unknown> }[] {
  return mdbEntries(m).map((e) => mdbRow({ bridge: m.ifindex, ...e }, { name, stats: false }));
}
