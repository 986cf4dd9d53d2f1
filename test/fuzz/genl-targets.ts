// Generic netlink targets: one per committed family, each decoding whole
// messages with the family's spec (GenlCodec, as a reply or a notification
// is decoded), the round trip held to the family's attribute set. A family's
// id is the kernel's choice; here each gets a fixed stand-in message type
// (GENL_FUZZ_BASE + its index) so its seeds reach its target only.
import type { DecodeIssue } from '../../src/netlink/errors.js';
import { ynlSpecs } from '../../src/generated/ynl/index.js';
import { GenlCodec } from '../../src/genl/message.js';
import type { GenlSpec } from '../../src/genl/spec.js';
import { sampleMessages, sampleSet } from '../helpers/genl-samples.js';
import { spec as ethtoolSpec } from '../../src/generated/ynl/ethtool.js';
import { spec as mptcpSpec } from '../../src/generated/ynl/mptcp_pm.js';
import { spec as tcpMetricsSpec } from '../../src/generated/ynl/tcp_metrics.js';
import { readBits } from '../../src/ethtool/bitset.js';
import { decodeMptcpEvent } from '../../src/mptcp/client.js';
import { tcpMetricsOf } from '../../src/tcp-metrics/client.js';
import { mptcpEventText } from '../../src/cli/commands/mptcp.js';
import { tcpMetricsJson, tcpMetricsText } from '../../src/cli/commands/tcp-metrics.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
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

// Decoders built on a family's decoded attributes (ethtool's bit sets,
// tcp_metrics entries, mptcp events, which the spec lists as an enum rather
// than ops): each gets whole messages under a stand-in type of its own.
const ETHTOOL_BITS = GENL_FUZZ_BASE + 0x40;
const MPTCP_EVENT = GENL_FUZZ_BASE + 0x41;
const TCP_METRICS = GENL_FUZZ_BASE + 0x42;

const ethtoolCodec = new GenlCodec(ethtoolSpec);
const tcpMetricsCodec = new GenlCodec(tcpMetricsSpec);

/** Every bit a set says anything about, read both ways (on, in the mask), as the ethtool API reads them. */
function bitsOf(set: unknown): { size: number; on: number[]; masked: number; names: number } {
  const b = readBits(set as never);
  const on: number[] = [];
  let masked = 0;
  for (let i = 0; i < Math.min(b.size, 1 << 16); i++) {
    if (b.on(i)) on.push(i);
    if (b.inMask(i)) masked++;
  }
  return { size: b.size, on, masked, names: b.names.size };
}

const derived: Target[] = [
  {
    name: 'ethtool.bitsets', input: 'message', types: [ETHTOOL_BITS],
    decode(buf, start, end) {
      const m = ethtoolCodec.decodeNotification(buf, start, end - start);
      const a = m.attrs as Record<string, unknown>;
      const value = Object.fromEntries(['hw', 'wanted', 'active', 'nochange', 'ours', 'peer', 'flags', 'modes', 'msgmask', 'modes-ours', 'modes-peer']
        .filter((k) => a[k] !== undefined).map((k) => [k, bitsOf(a[k])]));
      return { value, issues: m.issues ?? [] };
    },
  },
  {
    name: 'mptcp.event', input: 'message', types: [MPTCP_EVENT],
    decode(buf, start, end) {
      const ev = decodeMptcpEvent(buf, start, end - start);
      return { value: { ev, text: mptcpEventText(ev) }, issues: ev.issues ?? [] };
    },
  },
  {
    name: 'tcp_metrics.entry', input: 'message', types: [TCP_METRICS],
    decode(buf, start, end) {
      const m = tcpMetricsCodec.decodeNotification(buf, start, end - start);
      const e = tcpMetricsOf(m.attrs as never);
      return { value: { text: tcpMetricsText(e), json: tcpMetricsJson(e) }, issues: m.issues ?? [] };
    },
  },
];

export const GENL_TARGETS: readonly Target[] = [...specs.map((s, i) => target(s, GENL_FUZZ_BASE + i)), ...derived];

function mptcpEventSeeds(): { bytes: Buffer; origin: string }[] {
  const codec = new GenlCodec(mptcpSpec);
  return Object.entries(mptcpSpec.enums['event-type'].entries).map(([name, type]) => {
    const w = new NetlinkWriter(512);
    const at = w.beginMessage(MPTCP_EVENT, 0, 0, 0);
    const h = w.reserve(4);
    w.buffer[h] = type as number;
    w.buffer[h + 1] = 1;
    codec.schema.set('event-attr').encode(w, sampleSet(mptcpSpec, 'event-attr'));
    w.endMessage(at);
    return { bytes: w.toBuffer(), origin: `mptcp event ${name}` };
  });
}

/** Canonical seeds: every op's message with every attribute of its set (test/helpers/genl-samples.ts). */
export function genlSeeds(): { bytes: Buffer; origin: string }[] {
  return [
    ...specs.flatMap((s, i) => sampleMessages(s, GENL_FUZZ_BASE + i).map((m) => ({ bytes: m.bytes, origin: `genl ${s.name} ${m.op}` }))),
    ...sampleMessages(ethtoolSpec, ETHTOOL_BITS).map((m) => ({ bytes: m.bytes, origin: `ethtool bit sets ${m.op}` })),
    ...mptcpEventSeeds(),
    ...sampleMessages(tcpMetricsSpec, TCP_METRICS).map((m) => ({ bytes: m.bytes, origin: `tcp_metrics ${m.op}` })),
  ];
}
