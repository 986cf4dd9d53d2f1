// Rate tables (tc_calc_rtable): 256 transmission times, one per packet-size
// cell, sent with htb and tbf. Modern kernels compute rates themselves and
// only check the table's presence, but the bytes must still be what tc sends.
import { TC_LINKLAYER_ATM, TC_LINKLAYER_ETHERNET, TC_LINKLAYER_MASK, type tc_ratespec } from '../../generated/linux/pkt_sched.js';
import { EncodeError } from '../../netlink/errors.js';
import type { StructValue } from '../../netlink/struct.js';
import { type PschedClock, pschedClock, xmitTime } from './psched.js';

/** The link layer rate tables are computed for: Ethernet, or ATM cells. */
export type LinkLayer = 'ethernet' | 'atm';

const ATM_CELL_PAYLOAD = 48;
const ATM_CELL_SIZE = 53;

export function linkLayerNumber(v: unknown, path: string): number {
  if (v === undefined || v === 'ethernet') return TC_LINKLAYER_ETHERNET;
  if (v === 'atm' || v === 'adsl') return TC_LINKLAYER_ATM;
  throw new EncodeError(path, `unknown link layer ${JSON.stringify(v)} (ethernet, atm or adsl)`);
}

export function linkLayerName(n: number): LinkLayer | 'unspec' | number {
  switch (n & TC_LINKLAYER_MASK) {
    case 0: return 'unspec';
    case TC_LINKLAYER_ETHERNET: return 'ethernet';
    case TC_LINKLAYER_ATM: return 'atm';
    default: return n;
  }
}

function adjustSize(sz: number, mpu: number, linklayer: number): number {
  if (sz < mpu) sz = mpu;
  if (linklayer === TC_LINKLAYER_ATM) return Math.ceil(sz / ATM_CELL_PAYLOAD) * ATM_CELL_SIZE;
  return sz;
}

export interface RateTableInput {
  /** The rate the table is computed for, bytes/s (tc uses the 32-bit field, saturated at 2^32-1). */
  rate: number;
  /** log2 of the cell size; computed from mtu when undefined (tc's default). */
  cellLog?: number;
  /** 0 means tc's 2047. */
  mtu: number;
  mpu?: number;
  overhead?: number;
  linklayer?: number;
}

export interface RateTable {
  spec: StructValue<typeof tc_ratespec>;
  /** 256 u32 transmission times in ticks, little-endian. */
  table: Buffer;
}

// A thousand htb classes at one rate need one table, not a thousand: each
// table is 256 divisions and conversions, and computing it per class cost
// most of the first `tc class add` batch. Tables depend only on their inputs
// and the clock, so they are kept, a bounded number of them.
const MAX_CACHED = 256;
const cache = new Map<string, RateTable>();

/**
 * The ratespec and its 256-entry table, exactly as tc_calc_rtable makes them.
 * Identical inputs give the same (cached) object: its table is read, never
 * written, by the encoders that send it.
 */
export function rateTable(r: RateTableInput, path: string, clock: PschedClock = pschedClock()): RateTable {
  const key = `${r.rate} ${r.cellLog ?? -1} ${r.mtu} ${r.mpu ?? 0} ${r.overhead ?? 0} ${r.linklayer ?? TC_LINKLAYER_ETHERNET} ${clock.tickInUsec} ${clock.clockFactor}`;
  let t = cache.get(key);
  if (t === undefined) {
    t = computeRateTable(r, path, clock);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, t);
  }
  return t;
}

function computeRateTable(r: RateTableInput, path: string, clock: PschedClock): RateTable {
  const mtu = r.mtu === 0 ? 2047 : r.mtu;
  let cellLog = r.cellLog ?? -1;
  if (cellLog < 0) {
    cellLog = 0;
    while ((mtu >>> cellLog) > 255) cellLog++;
  }
  const mpu = r.mpu ?? 0;
  const linklayer = r.linklayer ?? TC_LINKLAYER_ETHERNET;
  const table = Buffer.allocUnsafe(1024);
  for (let i = 0; i < 256; i++) {
    const sz = adjustSize(((i + 1) << cellLog) >>> 0, mpu, linklayer);
    table.writeUInt32LE(xmitTime(r.rate, sz, path, clock, true), i * 4);
  }
  return {
    spec: Object.freeze({ cell_log: cellLog, linklayer: linklayer & TC_LINKLAYER_MASK, overhead: r.overhead ?? 0, cell_align: -1, mpu, rate: r.rate }),
    table,
  };
}

/** tc's "SIZE/CELL" burst syntax: the cell size must be a power of two. */
export function cellLogOf(cell: number, path: string): number {
  for (let i = 0; i < 32; i++) if (2 ** i === cell) return i;
  throw new EncodeError(path, `cell size ${cell} is not a power of two`);
}

/** The 32-bit rate field: the rate, or 2^32-1 when the 64-bit attribute carries it. */
export const rate32 = (rate: number): number => (rate >= 2 ** 32 ? 0xffffffff : rate);
