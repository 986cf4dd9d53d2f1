// prio (and pfifo_fast, which the kernel reports in the same shape): the
// number of bands and the map from packet priority to band, sent as
// struct tc_prio_qopt in a "compat nest" (the struct, then an empty nest).
import { TCA_OPTIONS } from '../../../generated/linux/rtnetlink.js';
import { TC_PRIO_MAX, tc_prio_qopt } from '../../../generated/linux/pkt_sched.js';
import { EncodeError } from '../../../netlink/errors.js';
import { decodeStruct, encodeStruct } from '../../../netlink/struct.js';
import { type OptionsCodec, type QdiscKind, type TcPrint } from '../kind.js';
import { checkKeys, intOption, noOptions, optionsObject } from '../options.js';
import { type Words, UsageError, cNumber } from '../../words.js';
import { noWords } from '../kind-words.js';

// ── tc words and printers ──

function prioWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  let map: number[] | undefined;
  while (!w.done) {
    const k = w.next();
    if (k === 'bands') o.bands = cNumber(w.value(k), 'prio bands', 10);
    else if (k === 'priomap') { if (map) throw new UsageError('prio: duplicate priomap'); map = []; }
    else if (map) map.push(cNumber(k, 'prio priomap', 10));
    else w.unknown(k);
  }
  if (map) o.priomap = map;
  return o;
}

const printPrio: TcPrint<PrioOptions> = (p, o) => {
  p.any('bands', o.bands, `bands ${o.bands} `);
  p.json.put('priomap', [...o.priomap]);
  p.onlyText(`priomap ${o.priomap.map((b) => ` ${b}`).join('')}`);
  p.onlyJson('multiqueue', false);
};

/** prio's (and pfifo_fast's) options as decoded: bands and the priority map. */
export interface PrioOptions {
  bands: number;
  /** Band for each of the 16 packet priorities (TC_PRIO_*). */
  priomap: number[];
}
/** prio's options as given. */
export interface PrioOptionsInput {
  /** Default 3. */
  bands?: number;
  /** Bands for priorities 0, 1, ...; the ones not given keep tc's default map. */
  priomap?: readonly number[];
}

const DEFAULT_PRIOMAP = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];

const prioOptions: OptionsCodec<PrioOptions, PrioOptionsInput | undefined> = {
  encode(w, value, _ctx, path) {
    const v = optionsObject(value, path);
    checkKeys(v, ['bands', 'priomap'], path, 'prio');
    const bands = v.bands === undefined ? 3 : intOption(v.bands, `${path}.bands`, 1, 0x7fffffff);
    const priomap = [...DEFAULT_PRIOMAP];
    if (v.priomap !== undefined) {
      if (!Array.isArray(v.priomap)) throw new EncodeError(`${path}.priomap`, 'expected an array of band numbers');
      if (v.priomap.length > TC_PRIO_MAX + 1) throw new EncodeError(`${path}.priomap`, `at most ${TC_PRIO_MAX + 1} entries, got ${v.priomap.length}`);
      v.priomap.forEach((b: unknown, i: number) => {
        const band = intOption(b, `${path}.priomap[${i}]`, 0, 0xff);
        if (band >= bands) throw new EncodeError(`${path}.priomap[${i}]`, `band ${band} is out of the ${bands} bands`);
        priomap[i] = band;
      });
    }
    encodeStruct(w, tc_prio_qopt, { bands, priomap }, path);
    w.endNest(w.beginNest(TCA_OPTIONS, false, path), path);
  },
  decode(buf, start, end, issues, path) {
    const s = decodeStruct(tc_prio_qopt, buf, start, end, issues, path);
    return { bands: s.bands, priomap: s.priomap };
  },
};

export const prio: QdiscKind<PrioOptions, PrioOptionsInput | undefined, never, never, never, never> = { kind: 'prio', qdisc: prioOptions, words: prioWords, print: printPrio };

/** pfifo_fast takes no options; the kernel reports its fixed bands and priomap like prio's. */
export const pfifoFast: QdiscKind<PrioOptions, Record<string, never> | undefined, never, never, never, never> = {
  kind: 'pfifo_fast',
  words: noWords,
  // tc prints pfifo_fast with prio's printer.
  print: printPrio,
  qdisc: { encode: noOptions.encode, decode: prioOptions.decode },
};
