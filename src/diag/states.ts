// Socket states as sock_diag reports them: the kernel's TCP state numbers
// (UDP, raw, UNIX, packet and netlink sockets reuse them: an unconnected
// socket is "close", a listening UNIX socket "listen"). The numbers come from
// linux/bpf.h's BPF_TCP_* (kept equal to the kernel's TCP states by its own
// rule); the names and groups are those `ss` accepts after `state`.
import {
  BPF_TCP_CLOSE, BPF_TCP_CLOSE_WAIT, BPF_TCP_CLOSING, BPF_TCP_ESTABLISHED, BPF_TCP_FIN_WAIT1, BPF_TCP_FIN_WAIT2,
  BPF_TCP_LAST_ACK, BPF_TCP_LISTEN, BPF_TCP_NEW_SYN_RECV, BPF_TCP_SYN_RECV, BPF_TCP_SYN_SENT, BPF_TCP_TIME_WAIT,
} from '../generated/linux/bpf.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { lookup } from '../netlink/narrow.js';

/** A socket's state, by ss's long names (`ss state established`). */
export type SocketState =
  | 'established' | 'syn-sent' | 'syn-recv' | 'fin-wait-1' | 'fin-wait-2' | 'time-wait'
  | 'unconnected' | 'close-wait' | 'last-ack' | 'listening' | 'closing' | 'new-syn-recv';

/** What `state` takes besides a state: ss's groups. */
export type SocketStateGroup = 'all' | 'connected' | 'synchronized' | 'bucket' | 'big';

const BY_NUMBER: Readonly<Record<number, SocketState>> = {
  [BPF_TCP_ESTABLISHED]: 'established',
  [BPF_TCP_SYN_SENT]: 'syn-sent',
  [BPF_TCP_SYN_RECV]: 'syn-recv',
  [BPF_TCP_FIN_WAIT1]: 'fin-wait-1',
  [BPF_TCP_FIN_WAIT2]: 'fin-wait-2',
  [BPF_TCP_TIME_WAIT]: 'time-wait',
  [BPF_TCP_CLOSE]: 'unconnected',
  [BPF_TCP_CLOSE_WAIT]: 'close-wait',
  [BPF_TCP_LAST_ACK]: 'last-ack',
  [BPF_TCP_LISTEN]: 'listening',
  [BPF_TCP_CLOSING]: 'closing',
  [BPF_TCP_NEW_SYN_RECV]: 'new-syn-recv',
};

const BY_NAME: ReadonlyMap<string, number> = new Map(Object.entries(BY_NUMBER).map(([n, s]) => [s, Number(n)]));

/** The state names ss prints in its State column (`ss -n`). */
const SHORT: Readonly<Record<number, string>> = {
  [BPF_TCP_ESTABLISHED]: 'ESTAB', [BPF_TCP_SYN_SENT]: 'SYN-SENT', [BPF_TCP_SYN_RECV]: 'SYN-RECV',
  [BPF_TCP_FIN_WAIT1]: 'FIN-WAIT-1', [BPF_TCP_FIN_WAIT2]: 'FIN-WAIT-2', [BPF_TCP_TIME_WAIT]: 'TIME-WAIT',
  [BPF_TCP_CLOSE]: 'UNCONN', [BPF_TCP_CLOSE_WAIT]: 'CLOSE-WAIT', [BPF_TCP_LAST_ACK]: 'LAST-ACK',
  [BPF_TCP_LISTEN]: 'LISTEN', [BPF_TCP_CLOSING]: 'CLOSING',
};

/** Every state ss knows (1..11), and bit 0 as ss sets it: what `all` means, as a bit mask by state number. */
export const ALL_STATES = (1 << (BPF_TCP_CLOSING + 1)) - 1;
const bit = (n: number): number => 1 << n;

const GROUPS: Readonly<Record<SocketStateGroup, number>> = {
  all: ALL_STATES,
  connected: ALL_STATES & ~(bit(BPF_TCP_CLOSE) | bit(BPF_TCP_LISTEN)),
  synchronized: ALL_STATES & ~(bit(BPF_TCP_CLOSE) | bit(BPF_TCP_LISTEN) | bit(BPF_TCP_SYN_SENT)),
  bucket: bit(BPF_TCP_SYN_RECV) | bit(BPF_TCP_TIME_WAIT),
  big: ALL_STATES & ~(bit(BPF_TCP_SYN_RECV) | bit(BPF_TCP_TIME_WAIT)),
};

/** ss's spellings that are not a state's own name. */
const ALIASES: Readonly<Record<string, number>> = { close: bit(BPF_TCP_CLOSE), closed: bit(BPF_TCP_CLOSE), 'syn-rcv': bit(BPF_TCP_SYN_RECV) };

/** What ss shows when no state is asked for: connected sockets, without time-wait and syn-recv (ss's SS_CONN). */
export const DEFAULT_STATES = GROUPS.connected & ~GROUPS.bucket;
/** What `-l` shows: listening sockets, and unconnected ones (UDP, UNIX datagram, packet, netlink). */
export const LISTENING_STATES = bit(BPF_TCP_LISTEN) | bit(BPF_TCP_CLOSE);

export function stateName(n: number): SocketState | undefined {
  return BY_NUMBER[n];
}

export function stateNumber(s: SocketState): number {
  return BY_NAME.get(s) ?? 0;
}

/** The State column's text, as ss prints it ("UNKNOWN" for a number it has no name for). */
export function stateShortName(n: number): string {
  return SHORT[n] ?? 'UNKNOWN';
}

/** A state or group name (any case, as ss takes it) as a bit mask by state number; an EncodeError naming it otherwise. */
export function stateMask(word: unknown, path = 'states'): number {
  if (typeof word !== 'string') throw new EncodeError(path, `expected a state name, got ${describe(word)}`);
  const w = word.toLowerCase();
  const group = lookup(GROUPS, w);
  if (group !== undefined) return group;
  if (Object.hasOwn(ALIASES, w)) return ALIASES[w]!;
  const n = BY_NAME.get(w);
  if (n !== undefined && n <= BPF_TCP_CLOSING) return bit(n);
  throw new EncodeError(path, `wrong state name: ${word} (states: ${[...BY_NAME.keys()].filter((k) => k !== 'new-syn-recv').join(', ')}; groups: ${Object.keys(GROUPS).join(', ')})`);
}

/** The union of states and groups as one mask; a number is taken as a mask already (bit n: state n). */
export function statesMask(words: readonly unknown[] | number | undefined, path = 'states'): number {
  if (words === undefined) return ALL_STATES;
  if (typeof words === 'number') {
    if (!Number.isInteger(words) || words <= 0 || words > 0xffffffff) throw new EncodeError(path, `expected state names or a bit mask 1..0xffffffff, got ${describe(words)}`);
    return words;
  }
  if (!Array.isArray(words)) throw new EncodeError(path, `expected an array of state names, got ${describe(words)}`);
  let mask = 0;
  words.forEach((w, i) => { mask |= stateMask(w, `${path}[${i}]`); });
  return mask;
}
