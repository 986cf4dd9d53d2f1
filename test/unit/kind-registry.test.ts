// Every kind in every kind table, end to end through its one module: tc's or
// ip's words → the kind's options → the request message → bytes (equal to
// what iproute2 6.1 sent, where a golden fixture was captured) → the decoder
// → the kind's own printer. The example tables are typed by the registries'
// kind names, so a kind added without an example here does not compile.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseClassModify } from '../../src/cli/commands/class.js';
import { parseFilterModify } from '../../src/cli/commands/filter.js';
import { parseQdiscModify } from '../../src/cli/commands/qdisc.js';
import { modifyVerb } from '../../src/cli/commands/tc-shared.js';
import { parseLinkCommand } from '../../src/cli/link-args.js';
import { RTM_NEWLINK, RTM_NEWQDISC, RTM_NEWTCLASS, RTM_NEWTFILTER } from '../../src/generated/linux/rtnetlink.js';
import { NetlinkWriter } from '../../src/netlink/writer.js';
import { decodeLink, linkMessage } from '../../src/rtnl/link.js';
import { type KnownLinkKind, linkKinds } from '../../src/rtnl/link-kinds/registry.js';
import { type KnownActionKind, actionKinds } from '../../src/rtnl/tc/actions/registry.js';
import { type ClassfulKind, classRequest, decodeClass } from '../../src/rtnl/tc/class.js';
import { decodeFilter, filterRequest } from '../../src/rtnl/tc/filter.js';
import { type KnownFilterKind, filterKinds } from '../../src/rtnl/tc/filters/registry.js';
import { type EncodeContext, type FilterKind, type QdiscKind, type TcPrintContext, qdiscTable } from '../../src/rtnl/tc/kind.js';
import { noWords } from '../../src/rtnl/tc/kind-words.js';
import { linkKind } from '../../src/rtnl/link-kinds/kind.js';
import { vrfData, vrfPortData } from '../../src/rtnl/link-kinds/vrf.js';
import { TcJsonObject, toPlain } from '../../src/rtnl/tc/json.js';
import { TcPrinter } from '../../src/rtnl/tc/printer.js';
import { DEFAULT_CLOCK, setPschedClock } from '../../src/rtnl/tc/psched.js';
import { decodeQdisc, qdiscRequest } from '../../src/rtnl/tc/qdisc.js';
import { type KnownQdiscKind, qdiscKinds } from '../../src/rtnl/tc/qdiscs/registry.js';
import type { Request } from '../../src/netlink/request.js';
import type { LabQdiscSpec } from '../../src/lab/description.js';
import { labQdiscWords, tcRequests } from '../../src/lab/tc.js';
import { fixtureNetnsFd, hexdump, indexesAfter, loadFixture, normalize, requestOf } from '../helpers/fixtures.js';
import { requestBytes } from '../helpers/tc.js';

setPschedClock(DEFAULT_CLOCK);

/**
 * One example per kind: a command line (the fixture's when `fixture` names
 * one), and what the kind's printer must show for it (a subset of its JSON).
 */
interface Example {
  fixture?: string;
  command?: string;
  shows: Record<string, unknown>;
}

/** `shows` is a subset of `json`: every key given there has that value. */
function showsSubset(json: unknown, shows: Record<string, unknown>, what: string): void {
  const o = JSON.parse(JSON.stringify(json instanceof TcJsonObject ? toPlain(json) : json)) as Record<string, unknown>;
  for (const [k, v] of Object.entries(shows)) assert.equal(o[k], v, `${what}: ${k} in ${JSON.stringify(o)}`);
}

function commandOf(e: Example): string {
  const c = e.fixture ? loadFixture(e.fixture).command : e.command;
  if (!c) throw new Error('an example needs a fixture or a command');
  return c;
}

/** The whole message: header and payload, as the kernel would echo it. */
function message(type: number, payload: Buffer): Buffer {
  const w = new NetlinkWriter();
  const at = w.beginMessage(type, 0, 0, 0);
  w.bytes(payload);
  w.endMessage(at);
  return w.toBuffer();
}

// ── link kinds ──

const linkExamples: Record<KnownLinkKind, Example> = {
  veth: { fixture: 'link/add-veth-peer-options.json', shows: {} },
  bridge: { fixture: 'link/add-bridge-options.json', shows: { stp_state: 1 } },
  macvlan: { fixture: 'link/add-macvlan.json', shows: { mode: 'bridge' } },
  vxlan: { fixture: 'link/add-vxlan.json', shows: { id: 42 } },
  ifb: { fixture: 'link/add-ifb.json', shows: {} },
  // The kernel makes tun devices with an ioctl only: no words; its options are read, not written.
  tun: { shows: { type: 'tap', pi: false, persist: true } },
  dummy: { fixture: 'link/add-dummy.json', shows: {} },
  vlan: { fixture: 'link/add-vlan-options.json', shows: { protocol: '802.1ad', id: 20 } },
  bond: { fixture: 'link/add-bond.json', shows: { mode: 'active-backup', miimon: 100 } },
  vrf: { command: 'ip link add nlts-vrf type vrf table 10', shows: { table: 10 } },
  macvtap: { fixture: 'link/add-macvtap.json', shows: { mode: 'vepa' } },
  ipvlan: { fixture: 'link/add-ipvlan.json', shows: { mode: 'l3', private: true } },
  ipvtap: { fixture: 'link/add-ipvtap.json', shows: { mode: 'l2', bridge: true } },
  vcan: { fixture: 'link/add-vcan.json', shows: {} },
  vxcan: { fixture: 'link/add-vxcan.json', shows: {} },
  nlmon: { fixture: 'link/add-nlmon.json', shows: {} },
  xfrm: { fixture: 'link/add-xfrm.json', shows: { if_id: '0x7' } },
  gre: { fixture: 'link/add-gre.json', shows: { remote: '198.18.0.2', local: '198.18.0.1', ttl: 64, ikey: '0.0.0.5', okey: '0.0.0.5', icsum: true, ocsum: true, pmtudisc: true } },
  gretap: { fixture: 'link/add-gretap.json', shows: { link: 'if3', tos: '0x10', ikey: '1.2.3.4', okey: '0.0.0.7', iseq: true, oseq: undefined, fwmark: '0x3', pmtudisc: false } },
  ipip: { fixture: 'link/add-ipip.json', shows: { proto: 'any', remote: '198.18.0.2', ttl: 32, tos: '0x1', pmtudisc: true } },
  geneve: { fixture: 'link/add-geneve.json', shows: { id: 10, remote: '198.18.0.2', ttl: 64, tos: '0x1', df: 'set', port: 6081, udp_csum: false } },
  ip6gre: { fixture: 'link/add-ip6gre.json', shows: { remote: 'fd00::2', ttl: 32, ip6_tnl_f_ign_encap_limit: true, tclass: '0x20', flowlabel: '0x00123', ikey: '0.0.0.9' } },
  ip6gretap: { fixture: 'link/add-ip6gretap.json', shows: { link: 'if3', ip6_tnl_f_use_orig_tclass: true, ip6_tnl_f_rcv_dscp_copy: true, okey: '0.0.0.3', oseq: true, ip6_tnl_f_allow_local_remote: true, fwmark: '0x7' } },
  ip6tnl: { fixture: 'link/add-ip6tnl.json', shows: { proto: 'ip6ip6', ttl: 16, encap_limit: 2, tclass: '0x10', ip6_tnl_f_use_orig_fwmark: true } },
  macsec: { fixture: 'link/add-macsec.json', shows: { cipher_suite: 'GCM-AES-256', icv_len: 16, encoding_sa: 1, validation: 'strict', encrypt: true, replay_protect: true, window: 32 } },
  wireguard: { fixture: 'link/add-wireguard.json', shows: {} },
  team: { fixture: 'link/add-team.json', shows: {} },
  sit: { fixture: 'link/add-sit.json', shows: { proto: 'ip6ip', prefix: 'fd00:1::', prefixlen: 32, relay_prefix: '198.18.0.0', relay_prefixlen: 15 } },
};

for (const [name, kind] of Object.entries(linkKinds)) {
  const e = linkExamples[name as KnownLinkKind];
  test(`link kind ${name}: words → options → bytes → decode → printer`, async () => {
    let input: Record<string, unknown>;
    if (!e.fixture && !e.command) {
      // tun: the one kind the kernel will not make over rtnetlink; its options come as the kernel reports them.
      assert.is(kind.words, null);
      input = { name: 'nlts-tap0', linkinfo: { kind: name, data: { type: 'tap', pi: false, persist: true } } };
    } else {
      const [, , verb, ...words] = commandOf(e).split(' ');
      assert.is(verb, 'add');
      const links = e.fixture ? indexesAfter(loadFixture(e.fixture).setup) : { lo: 1 };
      const cmd = await parseLinkCommand('add', words, { index: async (n) => links[n] ?? 0, netnsFd: fixtureNetnsFd });
      if (cmd.verb !== 'add') throw new Error(`expected an add, got ${cmd.verb}`);
      input = cmd.input as Record<string, unknown>;
    }
    const w = new NetlinkWriter();
    linkMessage.encodePayload(w, input as never);
    const payload = w.toBuffer();
    if (e.fixture) assert.is(hexdump(payload), hexdump(requestOf(loadFixture(e.fixture), RTM_NEWLINK).subarray(16)), 'the bytes ip sent');
    const link = decodeLink(message(RTM_NEWLINK, payload), 0, payload.length + 16)!;
    assert.is(link.linkinfo?.kind, name);
    const data = link.linkinfo?.data;
    assert.ok(data === undefined || !Buffer.isBuffer(data), 'decoded by the kind\'s schema, not kept as bytes');
    if (kind.json) showsSubset(kind.json((data ?? {}) as never, (i) => `if${i}`), e.shows, name);
    else assert.equal(e.shows, {}, 'a kind iproute2 prints no options for shows nothing');
  });
}

// ── qdisc kinds (and their classes) ──

const tcCtx: EncodeContext = { ifindex: () => 4, speedMbit: () => 10000 };
const printCtx: TcPrintContext = { devName: (i) => `if${i}`, stats: false };

const qdiscExamples: Record<KnownQdiscKind, Example> = {
  htb: { fixture: 'tc/qdisc-htb-root.json', shows: { r2q: 5, default: '0x10' } },
  tbf: { fixture: 'tc/qdisc-tbf-latency.json', shows: { rate: 125000 } },
  pfifo: { fixture: 'tc/qdisc-pfifo.json', shows: { limit: 50 } },
  bfifo: { fixture: 'tc/qdisc-bfifo.json', shows: { limit: 10240 } },
  pfifo_head_drop: { command: 'tc qdisc add dev nlts-a root pfifo_head_drop limit 50', shows: { limit: 50 } },
  pfifo_fast: { command: 'tc qdisc add dev nlts-a root pfifo_fast', shows: {} },
  noqueue: { command: 'tc qdisc add dev nlts-a root noqueue', shows: {} },
  prio: { fixture: 'tc/qdisc-prio.json', shows: { bands: 4 } },
  netem: { fixture: 'tc/netem-delay-jitter-loss.json', shows: { limit: 1000, ecn: false, gap: 0 } },
  fq_codel: { fixture: 'tc/qdisc-fq-codel.json', shows: { limit: 10240, flows: 2048, quantum: 1514, target: 5000, interval: 100000, ecn: true } },
  sfq: { fixture: 'tc/qdisc-sfq.json', shows: { limit: 127, depth: 64 } },
  fq: { fixture: 'tc/qdisc-fq.json', shows: { limit: 10000, flow_limit: 100, buckets: 1024, quantum: 3028, maxrate: 125000000 } },
  ingress: { fixture: 'tc/qdisc-ingress.json', shows: {} },
  clsact: { fixture: 'tc/qdisc-clsact.json', shows: {} },
  codel: { fixture: 'tc/qdisc-codel.json', shows: { limit: 1000, target: 4000, interval: 50000, ce_threshold: 2000, ecn: true } },
  plug: { fixture: 'tc/qdisc-plug-limit.json', shows: {} },
  multiq: { fixture: 'tc/qdisc-multiq.json', shows: {} },
  drr: { fixture: 'tc/qdisc-drr.json', shows: {} },
  pie: { fixture: 'tc/qdisc-pie.json', shows: { limit: 1000, target: 15000, tupdate: 30000, alpha: 2, beta: 20, ecn: true, bytemode: true } },
  fq_pie: { fixture: 'tc/qdisc-fq-pie.json', shows: { limit: 2048, flows: 512, target: 10000, quantum: 1514, memory_limit: 16777216, ecn_prob: 20, ecn: true, dq_rate_estimator: true } },
  red: { fixture: 'tc/qdisc-red.json', shows: { limit: 400000, min: 30000, max: 90000, ecn: true, harddrop: true, adaptive: false, nodrop: false } },
  hfsc: { fixture: 'tc/qdisc-hfsc-default.json', shows: {} },
};

/** The bytes: equal to the fixture's when there is one (the device index taken from it). */
function checkBytes(e: Example, type: number, build: (ifindex: number) => Request): Buffer {
  const f = e.fixture ? loadFixture(e.fixture) : undefined;
  const ifindex = f ? requestOf(f, type).readInt32LE(20) : 4;
  const bytes = requestBytes(build(ifindex));
  if (f) assert.is(hexdump(normalize(bytes)), hexdump(requestOf(f, type)), 'the bytes tc sent');
  return bytes;
}

for (const [name, kind] of Object.entries(qdiscKinds)) {
  const e = qdiscExamples[name as KnownQdiscKind];
  test(`qdisc kind ${name}: words → options → bytes → decode → printer`, () => {
    const [, , verbWord, ...words] = commandOf(e).split(' ');
    const verb = modifyVerb(verbWord!, true)!;
    const { dev, ...q } = parseQdiscModify(words);
    void dev;
    assert.is(q.kind, name);
    const bytes = checkBytes(e, RTM_NEWQDISC, (ifindex) => qdiscRequest(verb, { ...q, ifindex } as never, tcCtx));
    const decoded = decodeQdisc(bytes, 0, bytes.length)!;
    assert.is(decoded.kind, name);
    const p = new TcPrinter();
    if (kind.print && decoded.options !== undefined) {
      assert.not.ok(Buffer.isBuffer(decoded.options), 'decoded by the kind\'s codec');
      kind.print(p, decoded.options as never, false);
    }
    showsSubset(p.json, e.shows, name);
    if (name === 'netem') assert.match(p.text, /limit 1000 delay 100ms {2}10ms loss 1%/);
  });
}

const classExamples: Record<ClassfulKind, Example> = {
  htb: { fixture: 'tc/class-htb-rate-ceil.json', shows: { rate: 1250000, ceil: 2500000 } },
  drr: { fixture: 'tc/class-drr-quantum.json', shows: {} },
  hfsc: { fixture: 'tc/class-hfsc-sc-ul.json', shows: {} },
};

for (const [name, e] of Object.entries(classExamples)) {
  test(`class kind ${name}: words → options → bytes → decode → printer`, () => {
    const kind = qdiscKinds[name as ClassfulKind];
    const [, , , ...words] = commandOf(e).split(' ');
    const { dev, ...c } = parseClassModify(words);
    void dev;
    const bytes = checkBytes(e, RTM_NEWTCLASS, (ifindex) => classRequest('add', { ...c, ifindex } as never, tcCtx));
    const decoded = decodeClass(bytes, 0, bytes.length)!;
    assert.is(decoded.kind, name);
    const p = new TcPrinter();
    if (!kind.printClass) throw new Error(`${name} classes have no printer`);
    kind.printClass(p, decoded.options as never, false);
    showsSubset(p.json, e.shows, name);
  });
}

// ── filter and action kinds ──

const filterExamples: Record<KnownFilterKind, Example> = {
  u32: { fixture: 'tc/filter-u32-ip-dst-dport.json', shows: { flowid: '1:10' } },
  matchall: { fixture: 'tc/filter-matchall-classid.json', shows: { flowid: '1:10' } },
  bpf: { command: 'tc filter add dev nlts-a ingress bpf fd 7 direct-action', shows: { 'direct-action': true } },
  basic: { fixture: 'tc/filter-basic-classid-action.json', shows: { flowid: '1:10' } },
  fw: { fixture: 'tc/filter-fw-classid.json', shows: {} },
  flower: { fixture: 'tc/filter-flower-ip-tcp.json', shows: { keys: { eth_type: 'ipv4', ip_proto: 'tcp', dst_ip: '198.18.0.0/24', src_ip: '198.18.1.1', dst_port: 80, src_port: { start: 1024, end: 2048 } } } },
};

const actionExamples: Record<KnownActionKind, Example> = {
  gact: { fixture: 'tc/filter-matchall-drop.json', shows: { index: 0 } },
  mirred: { fixture: 'tc/filter-matchall-mirred.json', shows: { mirred_action: 'redirect', direction: 'egress', to_dev: 'if4' } },
  skbedit: { fixture: 'tc/filter-matchall-skbedit.json', shows: { mark: 5, mask: 'ff', priority: '1:10', ptype: 'host' } },
  vlan: { fixture: 'tc/filter-matchall-vlan-chain.json', shows: { vlan_action: 'push', id: 100, protocol: '802.1ad', priority: 3 } },
  csum: { fixture: 'tc/filter-matchall-csum.json', shows: { csum: 'iph, tcp, udp' } },
  connmark: { fixture: 'tc/filter-matchall-connmark.json', shows: { zone: 5 } },
  sample: { fixture: 'tc/filter-matchall-sample.json', shows: { rate: 100, group: 5, trunc_size: 128 } },
  tunnel_key: { fixture: 'tc/filter-matchall-tunnel-key.json', shows: { mode: 'set', src_ip: '198.18.0.1', dst_ip: '198.18.0.2', key_id: 42, dst_port: 4789, flag: 'nocsum', tos: 16, ttl: 64 } },
  ct: { fixture: 'tc/filter-matchall-ct-nat.json', shows: { action: 'commit', mark: 5, mark_mask: 'ff', nat: 'src addr 198.18.0.1-198.18.0.9 port 1000-2000' } },
  police: { fixture: 'tc/filter-matchall-police.json', shows: { overhead: 0 } },
};

function filterRoundTrip(e: Example) {
  const [, , , ...words] = commandOf(e).split(' ');
  const { dev, ...x } = parseFilterModify(words);
  void dev;
  const bytes = checkBytes(e, RTM_NEWTFILTER, (ifindex) => filterRequest('add', { ...x, ifindex } as never, tcCtx));
  return { kind: x.kind, filter: decodeFilter(bytes, 0, bytes.length)! };
}

for (const [name, kind] of Object.entries(filterKinds)) {
  const e = filterExamples[name as KnownFilterKind];
  test(`filter kind ${name}: words → options → bytes → decode → printer`, () => {
    const { filter } = filterRoundTrip(e);
    assert.is(filter.kind, name);
    assert.ok(filter.options !== undefined && !Buffer.isBuffer(filter.options), 'decoded by the kind\'s codec');
    const p = new TcPrinter();
    kind.print(p, filter.options as never, filter.handle, printCtx);
    showsSubset(p.json, e.shows, name);
  });
}

for (const [name, kind] of Object.entries(actionKinds)) {
  const e = actionExamples[name as KnownActionKind];
  test(`action kind ${name}: words → options → bytes → decode → printer`, () => {
    const { filter } = filterRoundTrip(e);
    const action = (filter.options as { actions?: { kind: string; options?: unknown }[] }).actions?.[0];
    if (!action) throw new Error('the filter decoded without its action');
    assert.is(action.kind, name);
    assert.ok(action.options !== undefined && !Buffer.isBuffer(action.options), 'decoded by the kind\'s codec');
    const p = new TcPrinter();
    kind.print(p, action.options as never, printCtx);
    showsSubset(p.json, e.shows, name);
    assert.ok(p.text.length > 0, 'the text line too');
  });
}

// The lab writes no qdisc grammar of its own: its netem, tbf and fifo go through the kind's words.
test('lab qdiscs: the bytes tc sent for the same words', () => {
  const cases: [LabQdiscSpec, string][] = [
    [{ kind: 'netem', delay: '100ms', jitter: '10ms', loss: '1%' }, 'tc/netem-delay-jitter-loss.json'],
    [{ kind: 'tbf', rate: '1mbit', burst: '10kb', latency: '50ms' }, 'tc/qdisc-tbf-latency.json'],
    [{ kind: 'pfifo' }, 'tc/qdisc-pfifo-plain.json'],
  ];
  for (const [spec, fixture] of cases) {
    const f = loadFixture(fixture);
    assert.equal(labQdiscWords(spec as never), f.command.split(' ').slice(7), fixture);
    const [req] = tcRequests(spec, requestOf(f, RTM_NEWQDISC).readInt32LE(20));
    assert.is(hexdump(requestBytes(req!)), hexdump(requestOf(f, RTM_NEWQDISC)), fixture);
  }
});

// Compile-time proof that a part cannot be left out (never called: tsc checks it, `npm run typecheck` fails
// if any of these lines compiles).
export function partsAreRequired(): void {
  // @ts-expect-error a link kind without its words
  linkKind('nlts-x', { json: null });
  // @ts-expect-error a link kind with ports but without their words and printer
  linkKind('nlts-x', { data: vrfData, slaveData: vrfPortData, words: null, json: null });
  // @ts-expect-error a qdisc kind with classes but without their words and printer
  qdiscTable({ x: { kind: 'x', words: noWords, print: null, class: qdiscKinds.htb.class } });
  // @ts-expect-error a qdisc kind with xstats but without their printer
  qdiscTable({ x: { kind: 'x', words: noWords, print: null, xstats: qdiscKinds.fq.xstats } });
  // @ts-expect-error a classful qdisc kind declared without its class words
  const q: QdiscKind<number, number, number, number> = { kind: 'x', words: noWords, print: null, class: qdiscKinds.htb.class as never, printClass: null };
  void q;
  // @ts-expect-error a classifier without its printer
  const f: FilterKind = { kind: 'x', options: filterKinds.matchall.options as never, words: noWords };
  void f;
}

test.run();
