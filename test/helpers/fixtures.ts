// Golden fixtures: the bytes iproute2 sent for a command (test/fixtures/capture.ts
// made them). Compared with sequence number and port id zeroed, since those
// differ from run to run.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Fixture } from '../fixtures/capture.js';

const root = new URL('../../../test/fixtures/iproute2/', import.meta.url).pathname;

export function loadFixture(rel: string): Fixture & { file: string } {
  const file = join(root, rel);
  return { ...(JSON.parse(readFileSync(file, 'utf8')) as Fixture), file: rel };
}

export function listFixtures(dir: string): string[] {
  return readdirSync(join(root, dir)).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
}

/** The last message of this nlmsg_type the command sent (iproute2 may send lookups first). */
export function requestOf(f: Fixture, type: number): Buffer {
  const m = [...f.messages].reverse().find((x) => x.type === type);
  if (!m) throw new Error(`fixture "${f.command}" has no message of type ${type}`);
  return normalize(Buffer.from(m.hex, 'hex'));
}

/** Zeroes nlmsg_seq and nlmsg_pid of every message in the buffer. */
export function normalize(buf: Buffer): Buffer {
  const b = Buffer.from(buf);
  for (let off = 0; off + 16 <= b.length;) {
    const len = b.readUInt32LE(off);
    b.writeUInt32LE(0, off + 8);
    b.writeUInt32LE(0, off + 12);
    if (len < 16) break;
    off += (len + 3) & ~3;
  }
  return b;
}

/** Hex in 4-byte groups, 16 bytes a line: readable in a failed assertion. */
export function hexdump(b: Buffer): string {
  const lines: string[] = [];
  for (let i = 0; i < b.length; i += 16) {
    const row: string[] = [];
    for (let j = i; j < Math.min(i + 16, b.length); j += 4) row.push(b.subarray(j, Math.min(j + 4, b.length)).toString('hex'));
    lines.push(`${i.toString(16).padStart(4, '0')}: ${row.join(' ')}`);
  }
  return lines.join('\n');
}

/** The indexes a link fixture's setup gave its links in a fresh namespace (lo is 1; a veth peer comes first). */
export function indexesAfter(setup: string[]): Record<string, number> {
  const links: Record<string, number> = { lo: 1 };
  let next = 2;
  for (const cmd of setup) {
    const veth = /^ip link add (\S+) type veth peer name (\S+)/.exec(cmd);
    if (veth) { links[veth[2]!] = next++; links[veth[1]!] = next++; continue; }
    const add = /^ip link add (\S+)/.exec(cmd);
    if (add) links[add[1]!] = next++;
  }
  return links;
}

/** The link fixtures' namespace files were opened as fd 4 by iproute2. */
export function fixtureNetnsFd(name: string): number | undefined {
  return ['nlts-ns', 'nlts-fx', '/run/netns/nlts-fx'].includes(name) ? 4 : undefined;
}
