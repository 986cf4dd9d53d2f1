// Encode and decode rates of typical messages through their schemas (no I/O).
import { linkMessage } from '../src/route/link.js';
import { NetlinkWriter } from '../src/netlink/writer.js';
import { now } from './harness.js';

function rate(n: number, fn: () => void): number {
  fn();
  const t0 = now();
  for (let i = 0; i < n; i++) fn();
  return n / (now() - t0);
}

const fmtRate = (r: number): string => `${(r / 1e6).toFixed(2)} M msg/s (${(1e6 / r).toFixed(2)} µs each)`;

export function codecRates(n: number): string[] {
  const w = new NetlinkWriter(1 << 16);
  const link = {
    name: 'nlts-v0', mtu: 1500, address: '02:00:00:00:00:01', txqlen: 1000,
    linkinfo: { kind: 'veth' as const, data: { peer: { name: 'nlts-v1', mtu: 1500 } } },
  };
  const encode = rate(n, () => {
    w.reset();
    const at = w.beginMessage(16, 0x601, 1, 0);
    linkMessage.encodePayload(w, link);
    w.endMessage(at);
  });
  const bytes = w.toBuffer();
  const decode = rate(n, () => { linkMessage.decodeMessage(bytes, 0, bytes.length); });
  return [
    `codec: RTM_NEWLINK (veth with peer, ${bytes.length} bytes)`,
    `  encode  ${fmtRate(encode)}`,
    `  decode  ${fmtRate(decode)}`,
  ];
}
