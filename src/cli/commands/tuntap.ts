// `netlink-ts tuntap add|del|show|list` with `ip tuntap`'s words and output:
//   tuntap add dev tap0 mode tap user 1000 multi_queue
//   tuntap show      → "tap0: tap multi_queue persist user 1000"
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import type { Rtnl } from '../../client.js';
import * as TUN from '../../generated/linux/if_tun.js';
import { add, type TuntapInput } from '../../tuntap/device.js';
import { remove, tuntapOf, type Tuntap } from '../../tuntap/list.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import type { Output } from '../output.js';
import { Words, num } from '../../rtnl/words.js';

const USAGE_HINT = 'try "netlink-ts tuntap help"';

/** A user or group by number or by name in /etc/passwd or /etc/group (getpwnam/getgrnam over the files). */
function idOf(word: string, file: '/etc/passwd' | '/etc/group', what: string): number {
  if (/^\d+$/.test(word)) return num(word, what);
  let text = '';
  try { text = readFileSync(file, 'utf8'); } catch { /* no database: only numbers */ }
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name === word && id !== undefined && /^\d+$/.test(id)) return Number(id);
  }
  throw new UsageError(`invalid ${what} "${word}"`);
}

/** ip's parse_args: the words of add and del. */
export function parseTuntapArgs(words: readonly string[], forDelete = false): TuntapInput {
  const w = new Words(words, 'tuntap');
  const t: { -readonly [K in keyof TuntapInput]?: TuntapInput[K] } = {};
  while (!w.done) {
    const k = w.next();
    if (matches(k, 'mode')) {
      const m = w.value(k);
      const mode = matches(m, 'tun') ? 'tun' : matches(m, 'tap') ? 'tap' : undefined;
      if (mode === undefined) throw new UsageError(`Unknown tunnel mode "${m}"`);
      if (t.mode !== undefined && t.mode !== mode) throw new UsageError('You managed to ask for more than one tunnel mode.');
      t.mode = mode;
    } else if (!forDelete && matches(k, 'user')) t.owner = idOf(w.value(k), '/etc/passwd', 'user');
    else if (!forDelete && matches(k, 'group')) t.group = idOf(w.value(k), '/etc/group', 'group');
    else if (matches(k, 'pi')) t.pi = true;
    else if (matches(k, 'one_queue')) t.oneQueue = true;
    else if (matches(k, 'vnet_hdr')) t.vnetHdr = true;
    else if (matches(k, 'multi_queue')) t.multiQueue = true;
    else if (matches(k, 'dev')) t.name = w.value(k);
    else {
      const name = matches(k, 'name') ? w.value(k) : k;
      if (t.name !== undefined) throw new UsageError(`Error: either "name" is duplicate, or "${name}" is a garbage.`);
      t.name = name;
    }
  }
  if (t.mode === undefined) throw new UsageError('You failed to specify a tunnel mode', 1);
  return t as TuntapInput;
}

/** ip's print_flags: the words for a TUNSETIFF flag word, in ip's order. */
export function flagWords(flags: number): string[] {
  const out: string[] = [];
  if (flags & TUN.IFF_TUN) out.push('tun');
  if (flags & TUN.IFF_TAP) out.push('tap');
  if (!(flags & TUN.IFF_NO_PI)) out.push('pi');
  if (flags & TUN.IFF_ONE_QUEUE) out.push('one_queue');
  if (flags & TUN.IFF_MULTI_QUEUE) out.push('multi_queue');
  if (flags & TUN.IFF_VNET_HDR) out.push('vnet_hdr');
  if (flags & TUN.IFF_PERSIST) out.push('persist');
  // IFF_NOFILTER has IFF_NO_PI's bit: a device with packet information is also one "filter" shows for.
  if (!(flags & TUN.IFF_NOFILTER)) out.push('filter');
  const rest = flags & ~(TUN.IFF_TUN | TUN.IFF_TAP | TUN.IFF_NO_PI | TUN.IFF_ONE_QUEUE | TUN.IFF_MULTI_QUEUE | TUN.IFF_VNET_HDR | TUN.IFF_PERSIST | TUN.IFF_NOFILTER);
  if (rest) out.push(`0x${rest.toString(16)}`);
  return out;
}

export interface Attached { name: string; pid: number }

/** ip -d's "Attached to processes": the processes with /dev/net/tun open on this device (their fdinfo says iff: NAME). */
export function attachedProcesses(name: string): Attached[] {
  const out: Attached[] = [];
  let pids: string[] = [];
  try { pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid); } catch { return out; }
  for (const pid of pids) {
    let fds: string[];
    try { fds = readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== '/dev/net/tun') continue;
        const info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
        if (!info.split('\n').some((l) => /^iff:\s*(\S+)$/.exec(l)?.[1] === name)) continue;
        out.push({ name: readFileSync(`/proc/${pid}/comm`, 'utf8').trim() || '<NULL>', pid: Number(pid) });
      } catch { /* the process or fd went away */ }
    }
  }
  return out;
}

/** One device as ip tuntap show prints it: a text line and a JSON object. */
export function tuntapRow(t: Tuntap, details: boolean): { text: string; json: Record<string, unknown> } {
  const words = flagWords(t.flags);
  const json: Record<string, unknown> = { ifname: t.name, flags: words };
  let text = `${t.name}: ${words.join(' ')}`;
  if (t.owner !== undefined) { json.user = t.owner; text += ` user ${t.owner}`; }
  if (t.group !== undefined) { json.group = t.group; text += ` group ${t.group}`; }
  if (details) {
    // ip 6.1 writes these as fields inside an array (not valid JSON); newer ip and this print objects.
    const procs = attachedProcesses(t.name);
    json.processes = procs;
    text += `\n\tAttached to processes:${procs.map((p) => `${p.name}(${p.pid})`).join('')}`;
  }
  return { text, json };
}

export async function tuntapCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  const netns = opts.netns !== undefined ? { netns: opts.netns } : {};
  if (matches(verb, 'add')) {
    add({ ...parseTuntapArgs(words.slice(1)), ...netns });
  } else if (matches(verb, 'delete')) {
    const t = parseTuntapArgs(words.slice(1), true);
    if (t.name === undefined) throw new UsageError('tuntap del: which device? (dev NAME)');
    await remove(t.name, netns);
  } else if (matches(verb, 'show') || matches(verb, 'lst') || matches(verb, 'list')) {
    // ip's show takes no words and ignores any it is given.
    const devices = (await nl.link.list({ kind: 'tun' })).map(tuntapOf).filter((t) => t !== undefined);
    const rows = devices.map((t) => tuntapRow(t, opts.details));
    if (opts.json) out.json(rows.map((r) => r.json));
    else for (const r of rows) out.line(r.text);
  } else {
    throw new UsageError(`Command "${verb}" is unknown, ${USAGE_HINT}.`);
  }
}
