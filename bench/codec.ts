// Encode and decode rates of typical messages through their schemas (no I/O).
import { linkMessage } from '../src/rtnl/link.js';
import { decodeRoute, routeMessage } from '../src/rtnl/route.js';
import { routeMessageOf } from '../src/rtnl/route-input.js';
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
  // A typical route: a /24 through a gateway on a device, protocol and table as `ip route add` sends them.
  const routeInput = routeMessageOf('add', { dst: '198.18.1.0/24', gateway: '198.18.0.254', dev: 2 });
  const rEncode = rate(n, () => {
    w.reset();
    const at = w.beginMessage(24, 0x601, 1, 0);
    routeMessage.encodePayload(w, routeInput);
    w.endMessage(at);
  });
  const rBytes = w.toBuffer();
  const rDecode = rate(n, () => { decodeRoute(rBytes, 0, rBytes.length); });
  return [
    `codec: RTM_NEWROUTE (dst/24 via gateway dev, ${rBytes.length} bytes)`,
    `  encode  ${fmtRate(rEncode)}`,
    `  decode  ${fmtRate(rDecode)}`,
    `codec: RTM_NEWLINK (veth with peer, ${bytes.length} bytes)`,
    `  encode  ${fmtRate(encode)}`,
    `  decode  ${fmtRate(decode)}`,
  ];
}
