// A scripted kernel's answers for socket tests: dumps of numbered entries,
// ACKs for the rest, and a bound that turns a hang into a failure.
import { NLM_F_ACK, NLM_F_MULTI } from '../../src/generated/linux/netlink.js';
import type { FakeHandler } from '../../src/socket/fake-kernel.js';

export const NEW = 16;
export const GET = 18;
export const isDump = (flags: number): boolean => (flags & 0x300) === 0x300;

/** Dumps of n entries (entry i carries the u32 i), ACKs for what asks for one. */
export const dumpOf = (n: number): FakeHandler => (req, reply) => {
  if (!isDump(req.flags)) { if (req.flags & NLM_F_ACK) reply.ack(); return; }
  for (let i = 0; i < n; i++) reply.data(NEW, (w) => { w.reserve(16); w.attrU32(1, i); }, NLM_F_MULTI);
  reply.done();
};

/** Decodes the entry number dumpOf put in a message. */
export const indexOf = (b: Buffer, st: number): number => b.readUInt32LE(st + 36);

/** Rejects if the promise has not settled within ms (a hang is a failure, not a stuck test run). */
export function within<T>(p: Promise<T>, ms = 2000): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms: it hangs`)), ms).unref())]);
}
