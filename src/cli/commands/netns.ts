// `netlink-ts netns list|add|attach|set|delete|identify|pids|list-id|exec`, like
// `ip netns`; `list` and `list-id` with --json print what `ip -j` prints.
import { Rtnl } from '../../client.js';
import { add, attach, identify, list, pids, remove, removeAll } from '../../netns/named.js';
import { exec } from '../../netns/exec.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import type { Output } from '../output.js';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { NETNS_RUN_DIR } from '../../netns/names.js';

const USAGE = `usage: netlink-ts netns list
       netlink-ts netns add NAME
       netlink-ts netns attach NAME PID
       netlink-ts netns set NAME NETNSID|auto
       netlink-ts netns delete NAME
       netlink-ts netns delete -all [--prefix P] [--dry-run]
       netlink-ts netns identify [PID]
       netlink-ts netns pids NAME
       netlink-ts netns list-id [target-nsid ID] [nsid ID]
       netlink-ts netns exec NAME [--] COMMAND [ARGS...]`;

function need(words: string[], i: number, what: string): string {
  const w = words[i];
  // ip netns says "No netns name specified" and the like with status 1.
  if (w === undefined) throw new UsageError(`netns ${words[0]}: missing ${what}\n${USAGE}`, 1);
  return w;
}

function int(word: string, what: string): number {
  if (!/^\d+$/.test(word)) throw new UsageError(`"${word}" is not a valid ${what}`);
  return Number(word);
}

function noMore(words: string[], from: number): void {
  if (words.length > from) throw new UsageError(`netns ${words[0]}: unexpected "${words[from]}"`);
}

function openClient(opts: GlobalOptions): Rtnl {
  return Rtnl.openSync(opts.netns !== undefined ? { netns: opts.netns } : {});
}

async function listCommand(opts: GlobalOptions, out: Output): Promise<void> {
  const names = list();
  // ip prints nothing at all when /run/netns does not exist, and [] when it is empty.
  if (names.length === 0) {
    if (opts.json && existsSync(NETNS_RUN_DIR)) out.json([]);
    return;
  }
  using nl = openClient(opts);
  const rows: { name: string; id?: number }[] = [];
  for (const name of names) {
    const row: { name: string; id?: number } = { name };
    try {
      const id = await nl.nsid.get(name);
      if (id !== undefined) row.id = id;
    } catch { /* a stale name: listed without an id, as ip does */ }
    rows.push(row);
  }
  if (opts.json) out.json(rows);
  else for (const r of rows) out.line(r.id === undefined ? r.name : `${r.name} (id: ${r.id})`);
}

async function listIdCommand(words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  let target: number | undefined;
  let only: number | undefined;
  for (let i = 1; i < words.length; i++) {
    if (words[i] === 'target-nsid') target = int(need(words, ++i, 'target-nsid'), 'target-nsid');
    else if (words[i] === 'nsid') only = int(need(words, ++i, 'nsid'), 'nsid');
    else throw new UsageError(`netns list-id: unexpected "${words[i]}"\n${USAGE}`);
  }
  using nl = openClient(opts);
  let rows = await nl.nsid.list(target === undefined ? {} : { targetNsid: target });
  if (only !== undefined) rows = rows.filter((r) => r.nsid === only);
  if (opts.json) {
    out.json(rows.map((r) => ({ nsid: r.nsid, ...(r.currentNsid !== undefined ? { 'current-nsid': r.currentNsid } : {}), ...(r.name !== undefined ? { name: r.name } : {}) })));
    return;
  }
  for (const r of rows) {
    let line = `nsid ${r.nsid} `;
    if (r.currentNsid !== undefined) line += `current-nsid ${r.currentNsid} `;
    if (r.name !== undefined) line += `(iproute2 netns name: ${r.name})`;
    out.line(line);
  }
}

/**
 * `netns delete -all [--prefix P] [--dry-run]`: as `ip -all netns delete`,
 * every named namespace; --prefix keeps to the names that start with P (the
 * library's removeAll(prefix)), --dry-run prints the names that would go and
 * removes nothing.
 */
function deleteAll(words: string[], out: Output): void {
  let prefix = '';
  let dryRun = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--prefix' || w === 'prefix') {
      prefix = words[++i] ?? '';
      if (!prefix) throw new UsageError(`netns delete -all: "${w}" needs the start of the names to delete\n${USAGE}`);
    } else if (w === '--dry-run' || w === 'dry-run') dryRun = true;
    else throw new UsageError(`netns delete -all: unexpected "${w}"\n${USAGE}`);
  }
  if (dryRun) {
    if (prefix.includes('/')) throw new UsageError(`netns delete -all: "${prefix}" cannot start a namespace name`);
    for (const name of list()) if (name.startsWith(prefix)) out.line(name);
    return;
  }
  removeAll(prefix);
}

/** Exit status of `netns exec`: the program's, or 128 + the signal number, as a shell reports it. */
async function execCommand(words: string[]): Promise<number> {
  const name = need(words, 1, 'a namespace name');
  const argv = words.slice(words[2] === '--' ? 3 : 2);
  if (argv.length === 0) throw new UsageError(`netns exec: no command given\n${USAGE}`);
  const r = await exec(name, argv, { stdio: 'inherit' });
  if (r.code !== null) return r.code;
  return 128 + (r.signal ? constants.signals[r.signal] : 0);
}

/**
 * Runs a netns command; returns the exit status. `raw` is the command line
 * with trailing options left in: exec hands them to the program untouched.
 */
export async function netnsCommand(words: string[], raw: string[], opts: GlobalOptions, out: Output): Promise<number> {
  const verb = words[0] ?? 'list';
  if (verb === 'list-id') {
    await listIdCommand(words, opts, out);
  } else if (matches(verb, 'list') || matches(verb, 'show') || verb === 'lst') {
    noMore(words, 1);
    await listCommand(opts, out);
  } else if (matches(verb, 'add')) {
    add(need(words, 1, 'a namespace name'));
    noMore(words, 2);
  } else if (matches(verb, 'attach')) {
    const name = need(words, 1, 'a namespace name');
    attach(name, { pid: int(need(words, 2, 'a process id'), 'process id') });
    noMore(words, 3);
  } else if (matches(verb, 'set')) {
    const name = need(words, 1, 'a namespace name');
    const id = need(words, 2, 'a namespace id');
    noMore(words, 3);
    using nl = openClient(opts);
    await nl.nsid.set(name, id === 'auto' ? 'auto' : int(id, 'namespace id'));
  } else if (matches(verb, 'delete')) {
    // `-all netns delete` (ip's spelling) is `netns delete -all`.
    const name = opts.all && words[1] === undefined ? '-all' : need(words, 1, 'a namespace name or -all');
    if (name === '-all' || name === '--all') deleteAll(words.slice(2), out);
    else {
      noMore(words, 2);
      remove(name);
    }
  } else if (matches(verb, 'identify')) {
    const pid = words[1] === undefined ? process.pid : int(words[1], 'process id');
    noMore(words, 2);
    // Every name of the namespace, one a line, as ip prints them (an empty line for none).
    const names = identify({ pid });
    for (const name of names.length ? names : ['']) out.line(name);
  } else if (matches(verb, 'pids')) {
    const name = need(words, 1, 'a namespace name');
    noMore(words, 2);
    for (const pid of pids(name)) out.line(String(pid));
  } else if (matches(verb, 'exec')) {
    return execCommand(raw);
  } else if (matches(verb, 'help')) {
    out.line(USAGE);
  } else {
    throw new UsageError(`netns: unknown command "${verb}"\n${USAGE}`);
  }
  return 0;
}
