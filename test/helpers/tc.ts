// Helpers for the traffic-control tests: the bytes a Request becomes on the
// wire (as the socket frames it), and the device index a fixture's tc used.
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { NLM_F_ACK, NLM_F_REQUEST } from '../../src/generated/linux/netlink.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import type { Request } from '../../src/netlink/request.js';
import type { Fixture } from '../fixtures/capture.js';
import { normalize, requestOf } from './fixtures.js';
import { run } from './sh.js';
import { cli } from './cli-path.js';


/** `netlink-ts ARGS` (kernel tests only). */
export const ours = (...args: string[]): string => execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' }).trim();
/** `tc ARGS` (kernel tests only). */
export const tc = (...args: string[]): string => run('tc', args).trim();

/** Our --json and tc -j print the same bytes for the same kernel state. */
export function sameJson(...args: string[]): void {
  // Counters and timestamps may move between the two reads: read both again before calling it a difference.
  // Action times are whole seconds and our read starts a Node process (~0.4 s), so a pair of reads
  // straddles a second often: enough tries that an unchanged state always finds a quiet pair.
  let a = '';
  let b = '';
  for (let i = 0; i < 8; i++) {
    a = ours('-j', ...args);
    b = tc('-j', ...args);
    if (a === b) break;
  }
  assert.is(a, b, `netlink-ts -j ${args.join(' ')} = tc -j ${args.join(' ')}`);
}

/** The message a NetlinkSocket sends for one request that asks for an ACK (seq and port 0). */
export function requestBytes(req: Request): Buffer {
  const w = new NetlinkWriter();
  const at = w.beginMessage(req.type, NLM_F_REQUEST | NLM_F_ACK | (req.flags ?? 0), 0, 0);
  req.body?.(w);
  w.endMessage(at);
  return normalize(w.toBuffer());
}

/** tcm_ifindex of the fixture's request of this type. */
export function fixtureIfindex(f: Fixture, type: number): number {
  return requestOf(f, type).readInt32LE(16 + 4);
}
