// netem's delay distribution tables (normal, pareto, paretonormal), computed
// the way iproute2's netem/normal.c, pareto.c and paretonormal.c compute the
// .dist files tc reads, so no file is needed and the bytes are tc's.
// Each table is 4096 signed 16-bit values of the inverse CDF scaled by
// NETEM_DIST_SCALE.
import { NETEM_DIST_SCALE } from '../../../generated/linux/pkt_sched.js';

/** A delay distribution table netem can use, as iproute2 ships them. */
export type NetemDistribution = 'normal' | 'pareto' | 'paretonormal';

const TABLESIZE = 16384;
const SHRT_MIN = -32768;
const SHRT_MAX = 32767;

/** C's rint(): round half to even. */
export function rint(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

// erf() as fdlibm (and glibc's dbl-64 s_erf.c) computes it.
const erx = 8.45062911510467529297e-01;
const efx8 = 1.02703333676410069053e+00;
const pp = [1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02, -5.77027029648944159157e-03, -2.37630166566501626084e-05];
const qq = [3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03, 1.32494738004321644526e-04, -3.96022827877536812320e-06];
const pa = [-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01, 3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02, -2.16637559486879084300e-03];
const qa = [1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02, 1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02];
const ra = [-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01, -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02, -8.12874355063065934246e+01, -9.81432934416914548592e+00];
const sa = [1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02, 6.45387271733267880336e+02, 4.29008140027567833386e+02, 1.08635005541779435134e+02, 6.57024977031928170135e+00, -6.04244152148580987438e-02];
const rb = [-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01, -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03, -4.83519191608651397019e+02];
const sb = [3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03, 3.19985821950859553908e+03, 2.55305040643316442583e+03, 4.74528541206955367215e+02, -2.24409524465858183362e+01];

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function highWord(x: number): number {
  f64[0] = x;
  return u32[1]!;
}

/** x with its low 32 bits cleared (fdlibm's SET_LOW_WORD(z, 0)). */
function clearLow(x: number): number {
  f64[0] = x;
  u32[0] = 0;
  return f64[0]!;
}

export function erf(x: number): number {
  const hx = highWord(x) | 0;
  const ix = hx & 0x7fffffff;
  if (ix >= 0x7ff00000) return (1 - ((hx >>> 31) << 1)) + 1 / x;
  if (ix < 0x3feb0000) { // |x| < 0.84375
    if (ix < 0x3e300000) return ix < 0x00800000 ? 0.125 * (8.0 * x + efx8 * x) : x + 1.28379167095512586316e-01 * x;
    const z = x * x;
    const r = pp[0]! + z * (pp[1]! + z * (pp[2]! + z * (pp[3]! + z * pp[4]!)));
    const s = 1 + z * (qq[0]! + z * (qq[1]! + z * (qq[2]! + z * (qq[3]! + z * qq[4]!))));
    return x + x * (r / s);
  }
  if (ix < 0x3ff40000) { // 0.84375 <= |x| < 1.25
    const s = Math.abs(x) - 1;
    const P = pa[0]! + s * (pa[1]! + s * (pa[2]! + s * (pa[3]! + s * (pa[4]! + s * (pa[5]! + s * pa[6]!)))));
    const Q = 1 + s * (qa[0]! + s * (qa[1]! + s * (qa[2]! + s * (qa[3]! + s * (qa[4]! + s * qa[5]!)))));
    return hx >= 0 ? erx + P / Q : -erx - P / Q;
  }
  if (ix >= 0x40180000) return hx >= 0 ? 1 - 1e-300 : 1e-300 - 1; // |x| >= 6
  const ax = Math.abs(x);
  const s = 1 / (ax * ax);
  let R: number;
  let S: number;
  if (ix < 0x4006db6e) { // |x| < 1/0.35
    R = ra[0]! + s * (ra[1]! + s * (ra[2]! + s * (ra[3]! + s * (ra[4]! + s * (ra[5]! + s * (ra[6]! + s * ra[7]!))))));
    S = 1 + s * (sa[0]! + s * (sa[1]! + s * (sa[2]! + s * (sa[3]! + s * (sa[4]! + s * (sa[5]! + s * (sa[6]! + s * sa[7]!)))))));
  } else {
    R = rb[0]! + s * (rb[1]! + s * (rb[2]! + s * (rb[3]! + s * (rb[4]! + s * (rb[5]! + s * rb[6]!)))));
    S = 1 + s * (sb[0]! + s * (sb[1]! + s * (sb[2]! + s * (sb[3]! + s * (sb[4]! + s * (sb[5]! + s * sb[6]!))))));
  }
  const z = clearLow(ax);
  const r = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + R / S);
  return hx >= 0 ? 1 - r / ax : r / ax - 1;
}

function normalCdf(x: number): number {
  return 0.5 + 0.5 * erf(x / (Math.sqrt(2.0) * 1.0));
}

/** normal.c's table of x for each CDF step, before scaling. */
function normalTable(): Float64Array {
  const table = new Float64Array(TABLESIZE + 1);
  for (let x = -10.0; x < 10.05; x += 0.00005) table[rint(TABLESIZE * normalCdf(x))] = x;
  return table;
}

const clamp = (v: number): number => Math.min(SHRT_MAX, Math.max(SHRT_MIN, v));

function normal(): Int16Array {
  const table = normalTable();
  const out = new Int16Array(TABLESIZE / 4);
  for (let i = 0, n = 0; i < TABLESIZE; i += 4) out[n++] = clamp(rint(table[i]! * NETEM_DIST_SCALE));
  return out;
}

const A = 3.0;

function paretoValue(i: number): number {
  let d = i / 65536;
  d = 1.0 / Math.pow(d, 1.0 / A);
  d -= 1.5;
  d *= (4.0 / 3.0) * NETEM_DIST_SCALE;
  if (d > 32767) d = 32767;
  return rint(d);
}

function pareto(): Int16Array {
  const out = new Int16Array(TABLESIZE / 4);
  for (let i = 65536, n = 0; i > 0; i -= 16) out[n++] = paretoValue(i);
  return out;
}

function paretonormal(): Int16Array {
  const table = normalTable();
  const out = new Int16Array(TABLESIZE / 4);
  for (let i = 0, n = 0; i < TABLESIZE; i += 4) {
    const norm = rint(table[i]! * NETEM_DIST_SCALE);
    const par = paretoValue(65536 - 4 * i);
    out[n++] = clamp(Math.trunc((norm + 3 * par) / 4));
  }
  return out;
}

const cache = new Map<NetemDistribution, Buffer>();

/** The table's bytes as tc sends them (TCA_NETEM_DELAY_DIST), computed once. */
export function distributionTable(name: NetemDistribution): Buffer {
  let b = cache.get(name);
  if (!b) {
    const t = name === 'normal' ? normal() : name === 'pareto' ? pareto() : paretonormal();
    b = Buffer.alloc(t.length * 2);
    t.forEach((v, i) => b!.writeInt16LE(v, i * 2));
    cache.set(name, b);
  }
  return b;
}

export const DISTRIBUTIONS: readonly NetemDistribution[] = ['normal', 'pareto', 'paretonormal'];
