// Captures what this kernel answers (dumps of every family, stats included,
// and refusals with extended acks) as fuzzing seeds: replies carry what
// requests do not (counters, xstats, per-family link settings, padding
// attributes). Runs in throw-away namespaces; writes test/fuzz/seeds/kernel.json.
//
//   npx tsc -p . && node dist/test/fuzz/capture-replies.js
import { execFileSync, spawnSync } from 'node:child_process';
import { release } from 'node:os';
import { writeFileSync } from 'node:fs';
import { AF_INET, AF_INET6, AF_UNSPEC } from '../../src/generated/libc/socket.js';
import { IFA_ADDRESS } from '../../src/generated/linux/if_addr.js';
import { IFLA_EXT_MASK, IFLA_IFNAME, IFLA_INFO_KIND, IFLA_LINKINFO } from '../../src/generated/linux/if_link.js';
import * as R from '../../src/generated/linux/rtnetlink.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { KernelTransport } from '../../src/socket/kernel-transport.js';
import { NetlinkSocket } from '../../src/socket/netlink-socket.js';
import type { Transport, Watch } from '../../src/socket/transport.js';

const OUT = new URL('../../../test/fuzz/seeds/kernel.json', import.meta.url).pathname;

/** iproute2 commands that make one of (nearly) everything the library decodes. */
export const SETUP = [
  'ip link set lo up',
  'ip link add nlts-v0 type veth peer name nlts-v1',
  'ip link add nlts-br0 type bridge stp_state 0',
  'ip link set nlts-v1 master nlts-br0',
  'ip link add nlts-mv0 link nlts-v0 type macvlan mode bridge',
  'ip link add nlts-vx0 type vxlan id 42 dstport 4789 local 198.18.0.1 dev nlts-v0',
  'ip link add nlts-ifb0 type ifb',
  'ip tuntap add nlts-tap0 mode tap',
  'ip link set nlts-v0 up', 'ip link set nlts-v1 up', 'ip link set nlts-br0 up', 'ip link set nlts-ifb0 up',
  'ip addr add 198.18.0.1/24 brd + dev nlts-v0 label nlts-v0:a',
  'ip addr add fd00::1/64 dev nlts-v0 nodad valid_lft 300 preferred_lft 200',
  'ip route add 198.18.5.0/24 via 198.18.0.2 metric 7 mtu lock 1400 proto static',
  'ip route add 198.18.6.0/24 nexthop via 198.18.0.2 weight 2 nexthop via 198.18.0.3 weight 1',
  'ip route add fd00:5::/64 via fd00::2',
  'ip route add blackhole 198.18.7.0/24 table 1000',
  'ip neigh add 198.18.0.9 lladdr 02:00:00:00:00:09 dev nlts-v0 nud permanent',
  'ip neigh add proxy 198.18.0.10 dev nlts-v0',
  'ip rule add from 198.18.0.0/24 table 1000 prio 100',
  'ip rule add fwmark 0x10/0xff lookup 1000 prio 101 sport 1000-2000 ipproto tcp',
  'ip -6 rule add to fd00::/64 unreachable prio 102',
  'tc qdisc add dev nlts-v0 root handle 1: htb default 10',
  'tc class add dev nlts-v0 parent 1: classid 1:10 htb rate 10mbit ceil 20mbit',
  'tc qdisc add dev nlts-v0 parent 1:10 handle 10: tbf rate 5mbit burst 32kb latency 50ms',
  'tc qdisc add dev nlts-v1 root handle 2: pfifo limit 50',
  'tc qdisc add dev nlts-br0 root handle 3: bfifo limit 20000',
  'tc qdisc add dev nlts-v0 ingress',
  'tc qdisc add dev nlts-ifb0 clsact',
  'tc filter add dev nlts-v0 parent 1: protocol ip prio 1 u32 match ip dst 198.18.5.0/24 match ip dport 80 0xffff flowid 1:10 action mirred egress mirror dev nlts-ifb0',
  'tc filter add dev nlts-v0 parent ffff: protocol all prio 2 u32 match u32 0 0 action mirred egress redirect dev nlts-ifb0',
  'tc filter add dev nlts-ifb0 ingress protocol ip prio 3 u32 match ip protocol 17 0xff flowid 1:1',
];

/** Records every datagram the kernel sends to the socket it wraps. */
class Recorder implements Transport {
  readonly datagrams: Buffer[] = [];
  constructor(private readonly inner: KernelTransport) {}
  get portId(): number { return this.inner.portId; }
  get closed(): boolean { return this.inner.closed; }
  send(d: Buffer): void { this.inner.send(d); }
  receive(buf: Buffer): number {
    const n = this.inner.receive(buf);
    if (n > 0) this.datagrams.push(Buffer.from(buf.subarray(0, n)));
    return n;
  }
  watch(onData: (d: Buffer) => void, onError: (e: Error) => void): Watch {
    return this.inner.watch((d) => { this.datagrams.push(Buffer.from(d)); onData(d); }, onError);
  }
  addMembership(g: number): void { this.inner.addMembership(g); }
  dropMembership(g: number): void { this.inner.dropMembership(g); }
  close(): void { this.inner.close(); }
}

const header = (size: number, fill?: (b: Buffer) => void): Buffer => { const b = Buffer.alloc(size); fill?.(b); return b; };

function capture(): { what: string; hex: string[] }[] {
  const out: { what: string; hex: string[] }[] = [];
  const rec = new Recorder(KernelTransport.open({}));
  const s = new NetlinkSocket(rec);
  const take = (what: string, fn: () => unknown): void => {
    rec.datagrams.length = 0;
    try { fn(); } catch { /* refusals are what some of these are for */ }
    out.push({ what, hex: rec.datagrams.map((d) => d.toString('hex')) });
  };
  const ifindex = (name: string): number => (JSON.parse(execFileSync('ip', ['-j', 'link', 'show', name], { encoding: 'utf8' })) as { ifindex: number }[])[0]!.ifindex;
  take('link dump', () => s.dumpSync({ type: R.RTM_GETLINK, payload: header(16) }));
  take('link dump with stats', () => s.dumpSync({ type: R.RTM_GETLINK, body: (w) => { w.reserve(16); w.attrU32(IFLA_EXT_MASK, 1 | 8); } }));
  for (const fam of [AF_INET, AF_INET6]) {
    take(`address dump ${fam}`, () => s.dumpSync({ type: R.RTM_GETADDR, payload: header(8, (b) => { b[0] = fam; }) }));
    take(`route dump ${fam}`, () => s.dumpSync({ type: R.RTM_GETROUTE, payload: header(12, (b) => { b[0] = fam; }) }));
    take(`rule dump ${fam}`, () => s.dumpSync({ type: R.RTM_GETRULE, payload: header(12, (b) => { b[0] = fam; }) }));
  }
  take('route dump table 1000', () => s.dumpSync({ type: R.RTM_GETROUTE, body: (w) => { w.reserve(12); w.attrU32(R.RTA_TABLE, 1000); } }));
  take('neighbour dump', () => s.dumpSync({ type: R.RTM_GETNEIGH, payload: header(12) }));
  take('proxy neighbour dump', () => s.dumpSync({ type: R.RTM_GETNEIGH, payload: header(12, (b) => { b[0] = AF_INET; b[8] = 0x08; }) }));
  take('qdisc dump', () => s.dumpSync({ type: R.RTM_GETQDISC, payload: header(20) }));
  for (const dev of ['nlts-v0', 'nlts-ifb0']) {
    const i = ifindex(dev);
    take(`class dump ${dev}`, () => s.dumpSync({ type: R.RTM_GETTCLASS, payload: header(20, (b) => { b.writeInt32LE(i, 4); }) }));
    for (const parent of [0x10000, 0xffff0000, 0xfffffff2]) {
      take(`filter dump ${dev} ${parent.toString(16)}`, () => s.dumpSync({ type: R.RTM_GETTFILTER, payload: header(20, (b) => { b.writeInt32LE(i, 4); b.writeUInt32LE(parent, 12); }) }));
    }
  }
  take('nsid dump', () => s.dumpSync({ type: R.RTM_GETNSID, payload: header(4, (b) => { b[0] = AF_UNSPEC; }) }));
  take('refusal: unknown kind', () => s.requestSync({ type: R.RTM_NEWLINK, flags: 0x600, body: (w) => {
    w.reserve(16);
    w.attrString(IFLA_IFNAME, 'nlts-x');
    const li = w.beginNest(IFLA_LINKINFO, false);
    w.attrStringNoNul(IFLA_INFO_KIND, 'nlts-nokind');
    w.endNest(li);
  } }));
  take('refusal: bad attribute', () => s.requestSync({ type: R.RTM_NEWADDR, flags: 0x600, body: (w: NetlinkWriter) => { w.reserve(8); w.attrU8(IFA_ADDRESS, 1); } }));
  take('refusal: route to nowhere', () => s.requestSync({ type: R.RTM_NEWROUTE, flags: 0x600, body: (w) => { w.reserve(12); w.buffer[w.length - 12] = AF_INET; w.attrU32(R.RTA_OIF, 9999); } }));
  take('refusal: qdisc on no device', () => s.requestSync({ type: R.RTM_NEWQDISC, flags: 0x600, body: (w) => { w.reserve(20); w.attrString(R.TCA_KIND, 'htb'); } }));
  s.close();
  return out;
}

if (process.argv[2] === '--inside') {
  // What this kernel lacks is left out of the capture, not fatal.
  for (const c of SETUP) spawnSync('sh', ['-c', c], { stdio: ['ignore', 'ignore', 'inherit'] });
  // A named namespace with an id, for the nsid dump.
  execFileSync('sh', ['-c', 'mount -t tmpfs nlts-run /run && ip netns add nlts-peer && ip netns set nlts-peer 7'], { stdio: 'inherit' });
  process.stdout.write(JSON.stringify(capture()));
} else {
  const r = spawnSync('unshare', ['--net', '--mount', '--propagation', 'private', '--', process.execPath, process.argv[1]!, '--inside'], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`capture failed (exit ${r.status})`);
  const replies = JSON.parse(r.stdout) as { what: string; hex: string[] }[];
  writeFileSync(OUT, `${JSON.stringify({ kernel: release(), setup: SETUP, replies }, null, 1)}\n`);
  console.log(`${replies.reduce((n, x) => n + x.hex.length, 0)} datagrams written to ${OUT}`);
}
