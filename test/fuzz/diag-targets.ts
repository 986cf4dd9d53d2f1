// Socket-diagnostics targets: one per sock_diag decoder (src/diag). Every
// reply of a dump has nlmsg_type SOCK_DIAG_BY_FAMILY whatever its kind, so
// each target gets a stand-in type (DIAG_FUZZ_BASE + its index) that routes
// its seeds to it alone. Seeds are replies this kernel sent for real sockets
// (test/fuzz/seeds/diag.json, made by capture-diag.ts).
import { readFileSync } from 'node:fs';
import { inetDecoder } from '../../src/diag/inet.js';
import { netlinkDecoder } from '../../src/diag/netlink.js';
import { packetDecoder } from '../../src/diag/packet.js';
import { unixDecoder } from '../../src/diag/unix.js';
import type { DecodeIssue } from '../../src/netlink/errors.js';
import type { Decoder } from '../../src/netlink/request.js';
import type { Target } from './targets.js';

/** Above the generic netlink stand-ins (0x200 + family), below GENL_MAX_ID. */
export const DIAG_FUZZ_BASE = 0x300;

export const DIAG_DECODERS: readonly (readonly [string, Decoder<unknown>])[] = [
  ['inet.tcp', inetDecoder('tcp')],
  ['inet.udp', inetDecoder('udp')],
  ['unix', unixDecoder],
  ['packet', packetDecoder],
  ['netlink', netlinkDecoder],
];

export const DIAG_TARGETS: readonly Target[] = DIAG_DECODERS.map(([name, decode], i) => ({
  name: `diag.${name}`,
  input: 'message' as const,
  types: [DIAG_FUZZ_BASE + i],
  decode(buf: Buffer, start: number, end: number) {
    const value = decode(buf, start, end - start);
    return { value, issues: (value as { issues?: DecodeIssue[] } | undefined)?.issues ?? [] };
  },
}));

const SEEDS = new URL('../../../test/fuzz/seeds/diag.json', import.meta.url).pathname;

export interface DiagSeedFile { kernel: string; messages: { target: string; hex: string }[] }

/** The captured replies, each with its target's stand-in type. */
export function diagSeeds(): { bytes: Buffer; origin: string }[] {
  const file = JSON.parse(readFileSync(SEEDS, 'utf8')) as DiagSeedFile;
  return file.messages.flatMap((m, k) => {
    const i = DIAG_DECODERS.findIndex(([name]) => `diag.${name}` === m.target);
    if (i < 0) return [];
    const bytes = Buffer.from(m.hex, 'hex');
    bytes.writeUInt16LE(DIAG_FUZZ_BASE + i, 4);
    return [{ bytes, origin: `kernel ${m.target} #${k}` }];
  });
}
