// Each qdisc kind's options and statistics as tc 6.1 prints them (the
// print_qopt / print_xstats functions of tc/q_*.c), one printer per kind.
import type { FifoOptions } from '../../route/tc/qdiscs/fifo.js';
import type { HtbQdiscOptions } from '../../route/tc/qdiscs/htb.js';
import type { PrioOptions } from '../../route/tc/qdiscs/prio.js';
import type { TbfOptions } from '../../route/tc/qdiscs/tbf.js';
import { type TcPrinter, sprintRate, sprintSize, sprintTime } from './printer.js';

type Printer<T> = (p: TcPrinter, v: T) => void;

/** "%#llx": 0x-prefixed hex, plain "0" for zero. */
export const hex0x = (n: number): string => (n === 0 ? '0' : `0x${n.toString(16)}`);

const htb: Printer<HtbQdiscOptions> = (p, o) => {
  if (o.r2q !== undefined) {
    p.any('r2q', o.r2q, `r2q ${o.r2q}`)
      .any('default', hex0x(o.default ?? 0), ` default ${hex0x(o.default ?? 0)}`)
      .any('direct_packets_stat', o.directPacketsStat, ` direct_packets_stat ${o.directPacketsStat}`);
  }
  if (o.directQlen !== undefined) p.any('direct_qlen', o.directQlen, ` direct_qlen ${o.directQlen}`);
  if (o.offload) p.any('offload', null, ' offload');
};

const tbf: Printer<TbfOptions> = (p, o) => {
  p.any('rate', o.rate, `rate ${sprintRate(o.rate)} `).any('burst', o.burst, `burst ${sprintSize(o.burst)} `);
  if (o.peakrate) {
    p.onlyText(`peakrate ${sprintRate(o.peakrate)} `);
    if (o.minburst !== undefined) p.any('minburst', o.minburst, `minburst ${sprintSize(o.minburst)} `);
  }
  if (o.latency !== undefined) p.onlyJson('lat', o.latency).onlyText(`lat ${sprintTime(o.latency)} `);
  else p.any('limit', o.limit, `limit ${sprintSize(o.limit)} `);
  if (o.overhead) p.any('overhead', o.overhead, `overhead ${o.overhead} `);
  if (typeof o.linklayer !== 'string' || (o.linklayer !== 'ethernet' && o.linklayer !== 'unspec')) {
    p.any('linklayer', String(o.linklayer), `linklayer ${o.linklayer} `);
  }
};

const pfifo: Printer<FifoOptions> = (p, o) => { p.any('limit', o.limit, `limit ${o.limit}p`); };
const bfifo: Printer<FifoOptions> = (p, o) => { p.any('limit', o.limit, `limit ${sprintSize(o.limit)}`); };

const prio: Printer<PrioOptions> = (p, o) => {
  p.any('bands', o.bands, `bands ${o.bands} `);
  p.json.put('priomap', [...o.priomap]);
  p.onlyText(`priomap ${o.priomap.map((b) => ` ${b}`).join('')}`);
  p.onlyJson('multiqueue', false);
};

/** Options printers by kind; kinds without one print an empty options object, as tc does. */
const ingress: Printer<unknown> = (p) => { p.onlyText('---------------- '); };

export const qdiscOptionPrinters: Record<string, Printer<never>> = {
  htb, tbf, pfifo, pfifo_head_drop: pfifo, bfifo, prio, ingress,
} as Record<string, Printer<never>>;

export const qdiscXstatsPrinters: Record<string, Printer<never>> = {};
