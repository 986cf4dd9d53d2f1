// Each classful kind's class options and statistics in the shape newer
// iproute2 prints them as JSON (6.1 prints classes as text only).
import type { HtbClassOptions, HtbClassXstats } from '../../rtnl/tc/qdiscs/htb.js';
import { type TcPrinter, sprintRate, sprintSize } from './printer.js';

type Printer<T> = (p: TcPrinter, v: T) => void;

const htb: Printer<HtbClassOptions> = (p, o) => {
  if (!o.level) p.any('prio', o.prio, `prio ${o.prio} `);
  p.any('rate', o.rate, `rate ${sprintRate(o.rate)} `);
  if (o.overhead) p.any('overhead', o.overhead, `overhead ${o.overhead} `);
  p.any('ceil', o.ceil, `ceil ${sprintRate(o.ceil)} `);
  if (o.linklayer === 'atm' || typeof o.linklayer === 'number') p.any('linklayer', String(o.linklayer), `linklayer ${o.linklayer} `);
  p.any('burst', o.burst, `burst ${sprintSize(o.burst)} `).any('cburst', o.cburst, `cburst ${sprintSize(o.cburst)}`);
};

const htbXstats: Printer<HtbClassXstats> = (p, x) => {
  p.any('lended', x.lends, ` lended: ${x.lends} `).any('borrowed', x.borrows, `borrowed: ${x.borrows} `)
    .any('giants', x.giants, `giants: ${x.giants}\n`)
    .any('tokens', x.tokens, ` tokens: ${x.tokens} `).any('ctokens', x.ctokens, `ctokens: ${x.ctokens}`);
};

export const classOptionPrinters: Record<string, Printer<never>> = { htb } as Record<string, Printer<never>>;
export const classXstatsPrinters: Record<string, Printer<never>> = { htb: htbXstats } as Record<string, Printer<never>>;
