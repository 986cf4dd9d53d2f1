// Generic netlink targets: one per committed family, each decoding whole
// messages with the family's spec (GenlCodec, as a reply or a notification
// is decoded), the round trip held to the family's attribute set. A family's
// id is the kernel's choice; here each gets a fixed stand-in message type
// (GENL_FUZZ_BASE + its index) so its seeds reach its target only.
import type { DecodeIssue } from '../../src/netlink/errors.js';
import { ynlSpecs } from '../../src/generated/ynl/index.js';
import { GenlCodec } from '../../src/genl/message.js';
import type { GenlSpec } from '../../src/genl/spec.js';
import { sampleMessages } from '../helpers/genl-samples.js';
import type { Target } from './targets.js';

/** Above every rtnetlink message type, below GENL_MAX_ID. */
export const GENL_FUZZ_BASE = 0x200;

const specs: GenlSpec[] = await Promise.all(Object.values(ynlSpecs).map((load) => load()));

function target(spec: GenlSpec, type: number): Target {
  const codec = new GenlCodec(spec);
  const setOf = (cmd: number): string | undefined => {
    const op = spec.ops.find((o) => (o.replyCmd ?? o.cmd) === cmd && o.set) ?? spec.ops.find((o) => o.cmd === cmd && o.set);
    return op?.set;
  };
  return {
    name: `genl.${spec.name}`,
    input: 'message',
    types: [type],
    decode(buf, start, end) {
      const m = codec.decodeNotification(buf, start, end - start);
      return { value: m, issues: m.issues ?? [] };
    },
    // The payload after nlmsghdr: genlmsghdr (and fixed header), then the command's attribute set.
    schema: {
      decode(buf, start, end, issues: DecodeIssue[]) {
        const cmd = buf[start] ?? 0;
        const set = setOf(cmd);
        const from = start + codec.headerSize;
        return { cmd, head: Buffer.from(buf.subarray(start, Math.min(end, from))), attrs: set && end >= from ? codec.schema.set(set).decode(buf, from, end, issues) : undefined };
      },
      encode(w, v) {
        const { cmd, head, attrs } = v as { cmd: number; head: Buffer; attrs?: Record<string, unknown> };
        w.bytes(head);
        const set = setOf(cmd);
        if (set && attrs) codec.schema.set(set).encode(w, attrs);
      },
    },
  };
}

export const GENL_TARGETS: readonly Target[] = specs.map((s, i) => target(s, GENL_FUZZ_BASE + i));

/** Canonical seeds: every op's message with every attribute of its set (test/helpers/genl-samples.ts). */
export function genlSeeds(): { bytes: Buffer; origin: string }[] {
  return specs.flatMap((s, i) => sampleMessages(s, GENL_FUZZ_BASE + i).map((m) => ({ bytes: m.bytes, origin: `genl ${s.name} ${m.op}` })));
}
