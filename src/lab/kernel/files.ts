// The files a lab keeps: /etc/netns/<ns>/{resolv.conf,hosts}, which
// netns.exec (like `ip netns exec`) mounts over /etc for programs run in the
// namespace, and the lab's record under /run, which — like the namespaces
// themselves — does not outlive a reboot.
import { mkdir, readFile, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import { readNetnsEtcFile, removeNetnsEtcFiles, writeNetnsEtcFile } from '../../netns/etc-files.js';
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

/**
 * Writes the files that are set; none may exist already. All or nothing.
 * Through netns/etc-files.ts: never through a symbolic link placed under /etc/netns.
 */
export async function writeDnsFiles(ns: string, files: DnsFiles): Promise<void> {
  const written: string[] = [];
  try {
    for (const [key, file] of DNS_FILES) {
      const text = files[key];
      if (text === undefined) continue;
      writeNetnsEtcFile(ns, file, text, { exclusive: true });
      written.push(file);
    }
  } catch (err) {
    removeNetnsEtcFiles(ns, written);
    throw err;
  }
}

/** Removes the files and, when nothing else is in it, the directory. False when there was nothing. */
export async function removeDnsFiles(ns: string): Promise<boolean> {
  return removeNetnsEtcFiles(ns, DNS_FILES.map(([, file]) => file));
}

export async function readDnsFiles(ns: string): Promise<DnsFiles | undefined> {
  const out: DnsFiles = {};
  for (const [key, file] of DNS_FILES) {
    const text = readNetnsEtcFile(ns, file);
    if (text !== undefined) out[key] = text;
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
    // The last lab down leaves no empty record folders behind (another lab's record keeps them).
    for (const dir of this.dir === RECORD_DIR ? [this.dir, '/run/netlink-ts'] : [this.dir]) {
      try {
        await rmdir(dir);
      } catch (err) {
        if (!['ENOENT', 'ENOTEMPTY', 'EEXIST', 'EBUSY'].includes(code(err) ?? '')) throw err;
        break;
      }
    }
  }
}
