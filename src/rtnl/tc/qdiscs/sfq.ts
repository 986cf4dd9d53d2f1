// sfq: stochastic fairness queuing, sent as struct tc_sfq_qopt_v1 (only when
// an option is given, as tc does). RED mode (redflowlimit...) is not modeled.
import { tc_sfq_qopt, tc_sfq_qopt_v1, tc_sfq_xstats } from '../../../generated/linux/pkt_sched.js';
import { decodeStruct, encodeStruct } from '../../../netlink/struct.js';
import { type QdiscKind, type TcPrint } from '../kind.js';
import { boolOption, checkKeys, intOption, optionsObject } from '../options.js';
import { type Size, parseSize } from '../units.js';
import { EncodeError } from '../../../netlink/errors.js';
import { type Words, UsageError, cNumber, cSigned } from '../../words.js';
import { sprintSize } from '../printer.js';

// ── tc words and printers ──

function sfqWords(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (k === 'quantum') o.quantum = w.value(k);
    else if (k === 'perturb') o.perturb = cSigned(w.value(k), 'sfq perturb');
    else if (k === 'limit') o.limit = cNumber(w.value(k), 'sfq limit');
    else if (k === 'divisor') o.divisor = cNumber(w.value(k), 'sfq divisor');
    else if (k === 'flows') o.flows = cNumber(w.value(k), 'sfq flows');
    else if (k === 'depth') o.depth = cNumber(w.value(k), 'sfq depth');
    else if (k === 'headdrop') o.headdrop = true;
    else throw new UsageError(`sfq: "${k}" is not modeled (RED mode is not supported)`);
  }
  return o;
}

const printSfq: TcPrint<SfqOptions> = (p, o, details) => {
  p.any('limit', o.limit, `limit ${o.limit}p `).any('quantum', o.quantum, `quantum ${sprintSize(o.quantum)} `);
  if (o.depth) p.any('depth', o.depth, `depth ${o.depth} `);
  if (o.headdrop) p.any('headdrop', true, 'headdrop ');
  if (details) p.any('flows', o.flows, `flows ${o.flows} `);
  p.any('divisor', o.divisor, `divisor ${o.divisor} `);
  if (o.perturb) p.any('perturb', o.perturb, `perturb ${o.perturb}sec `);
};

const printSfqXstats: TcPrint<{ allot: number }> = (p, x) => { p.any('allot', x.allot, `  allot ${x.allot}`); };

/** sfq's options as decoded. */
export interface SfqOptions {
  /** Packets. */
  limit: number;
  /** Bytes a flow may send per round. */
  quantum: number;
  /** Seconds between hash perturbations (0: never). */
  perturb: number;
  divisor: number;
  flows: number;
  depth?: number;
  headdrop?: boolean;
}

/** sfq's options as given. */
export interface SfqOptionsInput {
  limit?: number;
  quantum?: Size;
  perturb?: number;
  divisor?: number;
  flows?: number;
  depth?: number;
  headdrop?: boolean;
}

const KEYS = ['limit', 'quantum', 'perturb', 'divisor', 'flows', 'depth', 'headdrop'] as const;

export const sfq: QdiscKind<SfqOptions, SfqOptionsInput | undefined, never, never, { allot: number }, never> = {
  kind: 'sfq',
  words: sfqWords,
  print: printSfq,
  printXstats: printSfqXstats,
  qdisc: {
    encode(w, value, _ctx, path) {
      const v = optionsObject(value, path);
      checkKeys(v, KEYS, path, 'sfq');
      if (!Object.keys(v).some((k) => v[k] !== undefined)) return false;
      const limit = v.limit === undefined ? 0 : intOption(v.limit, `${path}.limit`);
      if (v.limit !== undefined && limit < 2) throw new EncodeError(`${path}.limit`, 'the limit must be more than 1');
      encodeStruct(w, tc_sfq_qopt_v1, {
        v0: {
          quantum: v.quantum === undefined ? 0 : parseSize(v.quantum, `${path}.quantum`),
          perturb_period: v.perturb === undefined ? 0 : intOption(v.perturb, `${path}.perturb`, -0x80000000, 0x7fffffff),
          limit,
          divisor: v.divisor === undefined ? 0 : intOption(v.divisor, `${path}.divisor`),
          flows: v.flows === undefined ? 0 : intOption(v.flows, `${path}.flows`),
        },
        depth: v.depth === undefined ? 0 : intOption(v.depth, `${path}.depth`),
        headdrop: v.headdrop === undefined ? 0 : boolOption(v.headdrop, `${path}.headdrop`) ? 1 : 0,
      }, path);
    },
    decode(buf, start, end, issues, path) {
      // Old kernels send the short struct tc_sfq_qopt; newer ones its _v1 extension.
      const v0 = decodeStruct(tc_sfq_qopt, buf, start, end, issues, path);
      const out: SfqOptions = { limit: v0.limit, quantum: v0.quantum, perturb: v0.perturb_period, divisor: v0.divisor, flows: v0.flows };
      if (end - start >= tc_sfq_qopt_v1.size) {
        const v1 = decodeStruct(tc_sfq_qopt_v1, buf, start, end, issues, path);
        out.depth = v1.depth;
        out.headdrop = v1.headdrop !== 0;
      }
      return out;
    },
  },
  xstats: (buf, start, end, issues, path) => ({ allot: decodeStruct(tc_sfq_xstats, buf, start, end, issues, path).allot }),
};
