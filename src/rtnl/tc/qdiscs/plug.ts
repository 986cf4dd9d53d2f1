// plug: holds packets until told to release them (`plug block`, `plug
// release`, `plug limit 10k`); each command is one tc_plug_qopt. The kernel
// reports no options back (sch_plug has no dump), so nothing is printed.
import { TCQ_PLUG_BUFFER, TCQ_PLUG_LIMIT, TCQ_PLUG_RELEASE_INDEFINITE, TCQ_PLUG_RELEASE_ONE, tc_plug_qopt } from '../../../generated/linux/pkt_sched.js';
import { encodeStruct } from '../../../netlink/struct.js';
import type { QdiscKind } from '../kind.js';
import { checkKeys, optionsObject } from '../options.js';
import { type Size, parseSize } from '../units.js';
import { type Words } from '../../words.js';
import { oneOf } from '../actions/generic.js';
import { EncodeError } from '../../../netlink/errors.js';

/** A plug command in tc's words: `block` buffers arriving packets, `release` lets out what was buffered before the last block, `release_indefinite` stops buffering. */
export type PlugCommand = 'block' | 'release' | 'release_indefinite';
const COMMANDS: Readonly<Record<PlugCommand, number>> = { block: TCQ_PLUG_BUFFER, release: TCQ_PLUG_RELEASE_ONE, release_indefinite: TCQ_PLUG_RELEASE_INDEFINITE };

/** A plug command as `tc qdisc add|change ... plug [block|release|release_indefinite|limit L]` takes it: one of the two. */
export interface PlugOptionsInput {
  /** What to do now; or give `limit` to set the queue size. */
  command?: PlugCommand;
  /** The most bytes the queue holds. */
  limit?: Size;
}

function plugWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    // As tc: the last word wins (each one sets the whole struct's action).
    if (k === 'block' || k === 'release' || k === 'release_indefinite') { o.command = k; delete o.limit; }
    else if (k === 'limit') { o.limit = w.value(k); delete o.command; }
    else w.unknown(k);
  }
  return o;
}

export const plug: QdiscKind<Record<string, never>, PlugOptionsInput | undefined> = {
  kind: 'plug',
  words: plugWords,
  print: null,
  qdisc: {
    encode(w, value, _ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, ['command', 'limit'], path, 'plug');
      if (v.command !== undefined && v.limit !== undefined) throw new EncodeError(`${path}.limit`, 'give a command or a limit, one at a time');
      if (v.command === undefined && v.limit === undefined) return false;
      const action = v.limit !== undefined ? TCQ_PLUG_LIMIT : COMMANDS[oneOf(v.command, ['block', 'release', 'release_indefinite'], `${path}.command`)];
      encodeStruct(w, tc_plug_qopt, { action, limit: v.limit === undefined ? 0 : parseSize(v.limit, `${path}.limit`) }, path);
    },
    decode() { return {}; },
  },
};
