// What the User-mode Linux tier runs, shared by the host side (test/uml-tier.ts)
// and the guest side (test/uml/guest.ts).

/**
 * Modules the guest loads before any test: what the tier's tests use that the
 * UML kernel builds as modules (IPv6 among them: unlike most, the kernel does
 * not load it when an IPv6 address is added).
 */
export const UML_MODULES = [
  // tun: /dev/net/tun appears (devtmpfs) only once the module is loaded.
  'ipv6', 'veth', 'tun', 'dummy', '8021q', 'bonding', 'vrf', 'bridge', 'vxlan',
  // link kinds the host kernel lacks (test/uml/link-kinds.test.ts; xfrm interfaces are in neither kernel).
  'ipvlan', 'ipvtap', 'macvtap', 'vcan', 'vxcan', 'nlmon', 'ip_gre', 'ipip', 'sit', 'geneve', 'ip6_gre', 'ip6_tunnel', 'macsec', 'team',
  'sch_netem', 'sch_fq_codel', 'sch_prio', 'sch_sfq', 'sch_fq', 'sch_htb', 'sch_tbf', 'sch_ingress',
  'sch_codel', 'sch_plug', 'sch_drr', 'sch_pie', 'sch_red', 'sch_hfsc', 'sch_mqprio', 'sch_taprio', 'sch_cake',
  'act_gact', 'act_mirred', 'cls_u32', 'cls_matchall', 'cls_flower',
  'act_skbedit', 'act_vlan', 'act_csum', 'act_connmark', 'act_sample', 'act_tunnel_key', 'act_police', 'act_ct', 'cls_basic', 'cls_fw',
  // sock_diag for raw sockets: the host kernel has none (test/uml/sock-diag.test.ts).
  'raw_diag',
  // nfnetlink.test.ts: conntrack's netlink interface (nf_conntrack with it) and nf_tables.
  'nf_conntrack_netlink', 'nf_tables',
];

/**
 * Files of test/kernel run again in the guest (without `.test.js`). UML runs
 * every system call through ptrace and starts a Node process in ~0.7 s, so
 * the whole kernel suite (~150 s on the host) takes far longer there than the
 * tier's budget: tc-qdisc is what fits it (it found TCA_PAD decoded as
 * data). link-kinds (~40 s there) tests kinds this machine's kernel has and
 * pushed the tier past 4 minutes on a loaded machine; tc-filter's -s
 * comparisons read action ages in whole seconds, and a netlink-ts process
 * takes ~3 s under UML. docs/testing.md lists the cost.
 */
export const KERNEL_FILES = ['tc-qdisc'];

export interface GuestArgs {
  /** The test command's file filter (a regex), if it was given one. */
  only?: string;
}

/** The guest's arguments as one kernel command-line word (base64url of JSON: no spaces, quotes or `=` padding). */
export function encodeGuestArgs(a: GuestArgs): string {
  return Buffer.from(JSON.stringify(a)).toString('base64url');
}

export function decodeGuestArgs(word: string): GuestArgs {
  if (!word) return {};
  return JSON.parse(Buffer.from(word, 'base64url').toString('utf8')) as GuestArgs;
}
