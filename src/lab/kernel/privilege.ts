// Whether this process may build labs: namespaces and their mounts need
// CAP_SYS_ADMIN, links and addresses CAP_NET_ADMIN. Read from the effective
// capability set, so root in a container without them is told so too.
import { readFileSync } from 'node:fs';

const CAPS = [['CAP_NET_ADMIN', 12], ['CAP_SYS_ADMIN', 21]] as const;

/** The capabilities a lab needs that this process lacks (empty: it has them all). */
export function missingCapabilities(status = readFileSync('/proc/self/status', 'utf8')): string[] {
  const hex = /^CapEff:\s*([0-9a-f]+)$/im.exec(status)?.[1];
  if (hex === undefined) return process.getuid?.() === 0 ? [] : CAPS.map(([n]) => n);
  const eff = BigInt(`0x${hex}`);
  return CAPS.filter(([, bit]) => (eff & (1n << BigInt(bit))) === 0n).map(([n]) => n);
}

/** A sentence saying why this process cannot build labs, or undefined when it can. */
export function privilegeProblem(what: string): string | undefined {
  const missing = missingCapabilities();
  if (missing.length === 0) return undefined;
  return `${what} needs root: a lab creates network namespaces, links and mounts, which takes ${missing.join(' and ')} ` +
    `(this process${process.getuid?.() === 0 ? ', though root,' : ''} lacks ${missing.length === 1 ? 'it' : 'them'}). Run it as root, e.g. with sudo.`;
}
