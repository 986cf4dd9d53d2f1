// /etc/protocols, as getprotobynumber / getprotobyname see it: nft prints an
// IP protocol by the first name listed for it ("ipv6-icmp"), and so does
// `ip rule` (src/cli/ip-json). Read once, on first use.
import { readFileSync } from 'node:fs';

let byNumber: Map<number, string> | undefined;
let byName: Map<string, number> | undefined;

function load(): Map<number, string> {
  if (byNumber) return byNumber;
  byNumber = new Map();
  byName = new Map();
  let text = '';
  try { text = readFileSync('/etc/protocols', 'utf8'); } catch { /* none: numbers only */ }
  for (const line of text.split('\n')) {
    const m = /^([^#\s]+)\s+(\d+)([^#]*)/.exec(line);
    if (!m) continue;
    const n = Number(m[2]);
    if (!byNumber.has(n)) byNumber.set(n, m[1]!);
    for (const alias of [m[1]!, ...m[3]!.trim().split(/\s+/).filter(Boolean)]) if (!byName.has(alias)) byName.set(alias, n);
  }
  return byNumber;
}

export const ipProtocols = {
  /** The name of protocol n, or undefined. */
  name(n: number): string | undefined { return load().get(n); },
  /** The number of a name or alias, or undefined. */
  number(name: string): number | undefined { load(); return byName!.get(name); },
};
