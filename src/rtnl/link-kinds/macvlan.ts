// macvlan (and macvtap): links with their own MAC addresses on top of a parent link. The
// parent is the link's IFLA_LINK (`link` in the link message); these are the
// kind's own options.
import * as M from '../../generated/linux/if_link.js';
import { enumMap, flagsMap, hwaddr, mapped, u16, u32 } from '../../netlink/codec.js';
import { type AttrsOut, attr, attrList, attrSet, nested } from '../../netlink/schema.js';
import { type Json, type KindJson, type KindWords, linkKind } from './kind.js';
import { matches, num } from '../words.js';

export const macvlanModes = enumMap('macvlan mode', {
  private: M.MACVLAN_MODE_PRIVATE, vepa: M.MACVLAN_MODE_VEPA, bridge: M.MACVLAN_MODE_BRIDGE,
  passthru: M.MACVLAN_MODE_PASSTHRU, source: M.MACVLAN_MODE_SOURCE,
});

export const macvlanFlags = flagsMap('macvlan flag', { nopromisc: M.MACVLAN_FLAG_NOPROMISC, nodst: M.MACVLAN_FLAG_NODST });

/** What a request does with the source-mode MAC list. */
export const macvlanMacaddrModes = enumMap('macvlan macaddr mode', {
  add: M.MACVLAN_MACADDR_ADD, del: M.MACVLAN_MACADDR_DEL, flush: M.MACVLAN_MACADDR_FLUSH, set: M.MACVLAN_MACADDR_SET,
});

const macaddrList = attrSet('macvlan.macaddrData', {
  macaddr: attrList(M.IFLA_MACVLAN_MACADDR, hwaddr),
});

export const macvlanData = attrSet('macvlan', {
  mode: attr(M.IFLA_MACVLAN_MODE, mapped(u32, macvlanModes)),
  flags: attr(M.IFLA_MACVLAN_FLAGS, mapped(u16, macvlanFlags)),
  macaddrMode: attr(M.IFLA_MACVLAN_MACADDR_MODE, mapped(u32, macvlanMacaddrModes)),
  macaddr: attr(M.IFLA_MACVLAN_MACADDR, hwaddr),
  /** Source mode: the allowed source addresses. */
  macaddrData: attr(M.IFLA_MACVLAN_MACADDR_DATA, nested(macaddrList)),
  macaddrCount: attr(M.IFLA_MACVLAN_MACADDR_COUNT, u32),
  bcQueueLen: attr(M.IFLA_MACVLAN_BC_QUEUE_LEN, u32),
  bcQueueLenUsed: attr(M.IFLA_MACVLAN_BC_QUEUE_LEN_USED, u32),
});

// `type macvlan ...` words (iproute2's iplink_macvlan.c): mode and flags go
// last, after the MAC list words, as iproute2 adds them.
const MODES = ['private', 'vepa', 'bridge', 'passthru', 'source'];

export const macvlanWords: KindWords = async (w) => {
  const data: Record<string, unknown> = {};
  let mode: string | undefined;
  let flags: string[] | undefined;
  const addFlag = (f: string): void => { flags ??= []; if (!flags.includes(f)) flags.push(f); };
  while (!w.done) {
    const x = w.next();
    if (matches(x, 'mode')) {
      const v = w.value(x);
      if (!MODES.includes(v)) w.fail(`invalid mode "${v}" (${MODES.join(', ')})`);
      mode = v;
    } else if (matches(x, 'flag')) {
      const v = w.value(x);
      if (v === 'nopromisc' || v === 'nodst') addFlag(v);
      else if (v === 'null') flags ??= [];
      else w.fail(`invalid flag "${v}" (nopromisc, nodst, null)`);
    } else if (matches(x, 'macaddr')) {
      const op = w.value(x);
      if (!['add', 'del', 'set', 'flush'].includes(op)) w.fail(`invalid macaddr operation "${op}" (add, del, set, flush)`);
      data.macaddrMode = op;
      if (op === 'add' || op === 'del') data.macaddr = mac(w.value(op), w.fail.bind(w));
      if (op === 'set') {
        const list: string[] = [];
        while (/^([0-9a-f]{1,2}:){5}[0-9a-f]{1,2}$/i.test(w.peek() ?? '')) list.push(w.next());
        data.macaddrData = { macaddr: list };
      }
    } else if (matches(x, 'nopromisc')) addFlag('nopromisc');
    else if (matches(x, 'nodst')) addFlag('nodst');
    else if (matches(x, 'bcqueuelen')) data.bcQueueLen = num(w.value(x), 'bcqueuelen');
    else w.fail(`unknown option "${x}"`);
  }
  if (mode !== undefined) data.mode = mode;
  if (flags !== undefined) {
    if (flags.includes('nopromisc') && mode !== 'passthru') w.fail('the nopromisc flag is only valid in passthru mode');
    data.flags = flags;
  }
  return data;
};

function mac(v: string, fail: (p: string) => never): string {
  if (!/^([0-9a-f]{1,2}:){5}[0-9a-f]{1,2}$/i.test(v)) fail(`invalid MAC address "${v}"`);
  return v;
}

// info_data of a macvlan, as iproute2 6.1's macvlan_print_opt.
export const macvlanJson: KindJson<AttrsOut<typeof macvlanData.specs>> = (d) => {
  const o: Record<string, Json | undefined> = {};
  if (d.mode === undefined) return o;
  o.mode = typeof d.mode === 'string' ? d.mode : 'unknown';
  if (d.flags?.includes('nopromisc')) o.nopromisc = true;
  if (d.flags?.includes('nodst')) o.nodst = true;
  o.bcqueuelen = d.bcQueueLen;
  o.usedbcqueuelen = d.bcQueueLenUsed;
  if (d.mode !== 'source' || d.macaddrCount === undefined) return o;
  o.macaddr_count = d.macaddrCount;
  if (d.macaddrData) o.macaddr_data = d.macaddrData.macaddr ?? [];
  return o;
};

export const macvlan = linkKind('macvlan', { data: macvlanData, words: macvlanWords, json: macvlanJson });
/** macvtap: a macvlan with a tap character device; the same options, words and printer (iproute2's iplink_macvlan.c). */
export const macvtap = linkKind('macvtap', { data: macvlanData, words: macvlanWords, json: macvlanJson });
