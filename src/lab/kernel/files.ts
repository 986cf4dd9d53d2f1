// The files a lab keeps: /etc/netns/<ns>/{resolv.conf,hosts}, which
// netns.exec (like `ip netns exec`) mounts over /etc for programs run in the
// namespace, and the lab's record under /run, which — like the namespaces
// themselves — does not outlive a reboot.
import { mkdir, readFile, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import { NETNS_ETC_DIR } from '../../netns/names.js';
import type { LabRecord } from '../backend.js';
import type { DnsFiles } from '../plan.js';

/** Where records are kept unless told otherwise. */
export const RECORD_DIR = '/run/netlink-ts/labs';

const DNS_FILES = [['resolvConf', 'resolv.conf'], ['hosts', 'hosts']] as const;

const code = (err: unknown) => (err as NodeJS.ErrnoException).code;

export function dnsDir(ns: string): string {
  return `${NETNS_ETC_DIR}/${ns}`;
}

/** Writes the files that are set; none may exist already. All or nothing. */
export async function writeDnsFiles(ns: string, files: DnsFiles): Promise<void> {
  const dir = dnsDir(ns);
  const made = await mkdir(dir, { recursive: true, mode: 0o755 });
  const written: string[] = [];
  try {
    for (const [key, file] of DNS_FILES) {
      const text = files[key];
      if (text === undefined) continue;
      await writeFile(`${dir}/${file}`, text, { flag: 'wx', mode: 0o644 });
      written.push(`${dir}/${file}`);
    }
  } catch (err) {
    for (const f of written) await unlink(f).catch(() => undefined);
    if (made !== undefined) await rmdir(dir).catch(() => undefined);
    throw err;
  }
}

/** Removes the files and, when nothing else is in it, the directory. False when there was nothing. */
export async function removeDnsFiles(ns: string): Promise<boolean> {
  const dir = dnsDir(ns);
  let removed = false;
  for (const [, file] of DNS_FILES) {
    try {
      await unlink(`${dir}/${file}`);
      removed = true;
    } catch (err) {
      if (code(err) !== 'ENOENT') throw err;
    }
  }
  try {
    await rmdir(dir);
    removed = true;
  } catch (err) {
    if (code(err) !== 'ENOENT' && code(err) !== 'ENOTEMPTY' && code(err) !== 'EEXIST') throw err;
  }
  return removed;
}

export async function readDnsFiles(ns: string): Promise<DnsFiles | undefined> {
  const out: DnsFiles = {};
  for (const [key, file] of DNS_FILES) {
    try {
      out[key] = await readFile(`${dnsDir(ns)}/${file}`, 'utf8');
    } catch (err) {
      if (code(err) !== 'ENOENT' && code(err) !== 'ENOTDIR') throw err;
    }
  }
  return out.resolvConf === undefined && out.hosts === undefined ? undefined : out;
}

/** Lab records, one JSON file per lab name. */
export class RecordStore {
  constructor(readonly dir: string = RECORD_DIR) {}

  private file(lab: string): string {
    return `${this.dir}/${lab}.json`;
  }

  async load(lab: string): Promise<LabRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.file(lab), 'utf8')) as LabRecord;
    } catch (err) {
      if (code(err) === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Written whole or not at all (a rename), so a reader never sees half a record. */
  async save(record: LabRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o755 });
    const tmp = `${this.file(record.lab)}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o644 });
    await rename(tmp, this.file(record.lab));
  }

  async remove(lab: string): Promise<void> {
    try {
      await unlink(this.file(lab));
    } catch (err) {
      if (code(err) !== 'ENOENT') throw err;
    }
  }
}
