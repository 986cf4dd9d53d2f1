// `type macvlan ...` words (iproute2's iplink_macvlan.c): mode and flags go
// last, after the MAC list words, as iproute2 adds them.
import { matches } from '../args.js';
import { num } from '../../rtnl/words.js';
import type { KindArgs } from './kind-args.js';

const MODES = ['private', 'vepa', 'bridge', 'passthru', 'source'];

export const macvlanArgs: KindArgs = async (w) => {
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
