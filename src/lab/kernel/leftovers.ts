// What of a lab is still on this machine: its namespaces (/run/netns names
// and their mounts), its links in the root namespace (by name or by the
// lab's alias), its /etc/netns directories, its record and its lock. After down(), or
// after an up() that failed, this is empty.
import { existsSync, readFileSync } from 'node:fs';
import { Rtnl } from '../../client.js';
import { NETNS_RUN_DIR } from '../../netns/names.js';
import { list as listNetns } from '../../netns/named.js';
import type { Plan } from '../plan.js';
import { dnsDir } from './files.js';
import type { RecordStore } from './records.js';

/** Mount points in this mount namespace (octal escapes of mountinfo decoded). */
function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean)
    .map((l) => l.split(' ')[4]!.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
}

export async function leftovers(plan: Plan, records: RecordStore): Promise<string[]> {
  const out: string[] = [];
  const owned = new Set(plan.owned.namespaces);
  for (const ns of listNetns()) if (owned.has(ns)) out.push(`namespace ${ns} (${NETNS_RUN_DIR}/${ns})`);
  for (const m of mountPoints()) {
    for (const ns of owned) if (m === `${NETNS_RUN_DIR}/${ns}`) out.push(`mount on ${m}`);
  }
  for (const ns of owned) if (existsSync(dnsDir(ns))) out.push(`directory ${dnsDir(ns)}`);
  const rootNames = new Set(plan.owned.rootLinks);
  using nl = Rtnl.openSync();
  for (const l of await nl.link.list()) {
    if ((l.name !== undefined && rootNames.has(l.name)) || l.alias === plan.names.alias) out.push(`link ${l.name} in the root namespace`);
  }
  if (await records.load(plan.names.lab).catch(() => true)) out.push(`record ${records.file(plan.names.lab)}`);
  if (existsSync(`${records.dir}/${plan.names.lab}.lock`)) out.push(`lock ${records.dir}/${plan.names.lab}.lock`);
  return out;
}
