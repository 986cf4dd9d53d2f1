// The files a lab keeps in /etc/netns/<ns>/{resolv.conf,hosts}, which
// netns.exec (like `ip netns exec`) mounts over /etc for programs run in the
// namespace. (The lab's record is in records.ts.)
import { readNetnsEtcFile, removeNetnsEtcFiles, writeNetnsEtcFile } from '../../netns/etc-files.js';
import { NETNS_ETC_DIR } from '../../netns/names.js';
import type { DnsFiles } from '../plan.js';

const DNS_FILES = [['resolvConf', 'resolv.conf'], ['hosts', 'hosts']] as const;

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
