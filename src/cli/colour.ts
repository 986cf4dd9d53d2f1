// ip -c: the colours iproute2 6.1 (lib/color.c) puts into link and address
// text, added to the lines our printers make: interface names cyan,
// link-layer addresses yellow, IPv4 magenta, IPv6 blue, the state UP green
// and DOWN red. Where ip puts the space after a value inside the colour, so
// does this (`brd 198.18.0.255 ` is coloured with its space, as ip prints it).
import type { GlobalOptions } from './args.js';

const RESET = '\x1b[0m';
const IFNAME = '\x1b[36m';
const MAC = '\x1b[33m';
const INET = '\x1b[35m';
const INET6 = '\x1b[34m';
const STATE: Record<string, string> = { UP: '\x1b[32m', DOWN: '\x1b[31m' };

/** Whether this command colours its output: -c=always, or -c=auto on a terminal. */
export function colourOn(opts: GlobalOptions, tty = process.stdout.isTTY === true): boolean {
  return opts.color === 'always' || (opts.color === 'auto' && tty);
}

const paint = (colour: string, text: string): string => `${colour}${text}${RESET}`;
const family = (addr: string): string => (addr.includes(':') ? INET6 : INET);

/** The lines of `link show` / `address show` text, coloured as ip -c colours them. */
export function colourLinkText(text: string): string {
  return text.split('\n').map((line) => {
    let m = /^(\d+: )(\S+: )(<.*)$/.exec(line);
    if (m) return `${m[1]}${paint(IFNAME, m[2]!)}${m[3]!.replace(/ state (UP|DOWN) /, (_, s: string) => ` state ${paint(STATE[s]!, `${s} `)}`)}`;
    m = /^( {4}link\/\S+ )(\S+)(.*)$/.exec(line);
    if (m) return `${m[1]}${paint(MAC, m[2]!)}${m[3]!.replace(/ (brd|peer) (\S+)/, (_, k: string, v: string) => ` ${k} ${paint(MAC, v)}`)}`;
    m = /^( {4}inet6? )([^\s/]+)( peer ([^\s/]+))?(\/\d+ .*)$/.exec(line);
    if (m) {
      const peer = m[4] !== undefined ? ` peer ${paint(family(m[4]), m[4])}` : '';
      const rest = m[5]!.replace(/ (brd|any) (\S+) /, (_, k: string, v: string) => ` ${k} ${paint(family(v), `${v} `)}`);
      return `${m[1]}${paint(family(m[2]!), m[2]!)}${peer}${rest}`;
    }
    return line;
  }).join('\n');
}

/** What -br colours: a value in its colour (or as it is when colour is off). */
export interface BriefPaint {
  ifname(text: string): string;
  state(name: string, text: string): string;
  mac(text: string): string;
  address(addr: string): string;
}

export const briefPaint = (on: boolean): BriefPaint => (on ? {
  ifname: (t) => paint(IFNAME, t),
  state: (name, t) => (STATE[name] ? paint(STATE[name], t) : t),
  mac: (t) => paint(MAC, t),
  address: (a) => paint(family(a), a),
} : { ifname: (t) => t, state: (_, t) => t, mac: (t) => t, address: (a) => a });
