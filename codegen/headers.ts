// The one table of what is generated: which headers, into which modules, and
// how #include lines that leave the kernel's uapi headers are handled.
// Adding a header is one line here; `npm run codegen` does the rest.
import { archModule, type ArchSpec, type ArchName } from './arch.js';

export interface ModuleSpec {
  /** Output path under src/generated, without `.ts`. */
  readonly module: string;
  /** Headers (spelled as a C program includes them) whose own definitions the module holds. */
  readonly headers: readonly string[];
  /** What a C program includes to see those definitions (the compiler cross-check); default: headers. */
  readonly cIncludes?: readonly string[];
  /** Modules whose headers cannot share a C translation unit with this one's. */
  readonly cConflicts?: readonly string[];
  /**
   * What differs by architecture: the headers read for each one (in place of
   * `headers`). Each architecture's table goes to `arch/NAME/<module>`, and
   * `<module>` itself becomes the run-time chooser between them.
   */
  readonly perArch?: Readonly<Record<ArchName, readonly string[]>>;
  /** Set by tableFor on one architecture's table: the chooser module it belongs to. */
  readonly chooser?: string;
}

const kernel = (header: string): ModuleSpec => ({ module: header.replace(/\.h$/, ''), headers: [header] });

/** In this order the headers are read, as one translation unit. */
export const MODULES: readonly ModuleSpec[] = [
  kernel('linux/netlink.h'),
  kernel('linux/rtnetlink.h'),
  kernel('linux/if_link.h'),
  kernel('linux/if_addr.h'),
  kernel('linux/if_arp.h'),
  kernel('linux/if.h'),
  kernel('linux/if_ether.h'),
  kernel('linux/if_bridge.h'),
  kernel('linux/if_tun.h'),
  kernel('linux/veth.h'),
  kernel('linux/if_vlan.h'),
  kernel('linux/if_bonding.h'),
  kernel('linux/neighbour.h'),
  kernel('linux/fib_rules.h'),
  kernel('linux/lwtunnel.h'),
  kernel('linux/nexthop.h'),
  kernel('linux/mpls.h'),
  kernel('linux/mpls_iptunnel.h'),
  kernel('linux/seg6.h'),
  kernel('linux/seg6_iptunnel.h'),
  kernel('linux/seg6_local.h'),
  kernel('linux/netconf.h'),
  kernel('linux/net_namespace.h'),
  kernel('linux/genetlink.h'),
  kernel('linux/if_addrlabel.h'),
  kernel('linux/pkt_sched.h'),
  kernel('linux/pkt_cls.h'),
  kernel('linux/gen_stats.h'),
  kernel('linux/tc_act/tc_mirred.h'),
  kernel('linux/tc_act/tc_gact.h'),
  kernel('linux/tc_act/tc_bpf.h'),
  kernel('linux/tc_act/tc_skbedit.h'),
  kernel('linux/tc_act/tc_vlan.h'),
  kernel('linux/tc_act/tc_pedit.h'),
  kernel('linux/tc_act/tc_tunnel_key.h'),
  kernel('linux/tc_act/tc_csum.h'),
  kernel('linux/tc_act/tc_ct.h'),
  kernel('linux/tc_act/tc_connmark.h'),
  kernel('linux/tc_act/tc_sample.h'),
  kernel('linux/if_packet.h'),
  kernel('linux/bpf_common.h'),
  kernel('linux/bpf.h'),
  // nfnetlink (src/nfnetlink): the core and conntrack (ctnetlink).
  kernel('linux/netfilter/nfnetlink.h'),
  kernel('linux/netfilter/nfnetlink_compat.h'),
  kernel('linux/netfilter/nf_conntrack_common.h'),
  kernel('linux/netfilter/nf_conntrack_tcp.h'),
  kernel('linux/netfilter/nfnetlink_conntrack.h'),
  // x86_64 has its own syscall numbers; arm64 uses the generic table.
  { module: 'asm/unistd', headers: [], perArch: { x86_64: ['asm/unistd_64.h'], aarch64: ['asm/unistd.h', 'asm-generic/unistd.h'] } },
  // arm64 has its own EXEC_PAGESIZE (64 KiB); HZ is the same.
  { module: 'asm/param', headers: [], perArch: { x86_64: ['asm/param.h', 'asm-generic/param.h'], aarch64: ['asm/param.h', 'asm-generic/param.h'] } },
  kernel('linux/in.h'),
  kernel('linux/in6.h'),
  kernel('linux/in_route.h'),
  kernel('linux/icmpv6.h'),
  kernel('linux/socket.h'),
  kernel('linux/sched.h'),
  kernel('linux/mount.h'),
  kernel('linux/nsfs.h'),
  // The compiler check includes what a program includes: the architecture's asm/ header.
  { ...kernel('asm-generic/socket.h'), cIncludes: ['asm/socket.h'] },
  kernel('linux/sockios.h'),
  kernel('linux/sock_diag.h'),
  // nftables (src/nft): the nf_tables attributes and expressions, hooks and families, NAT and log flags.
  kernel('linux/netfilter.h'),
  kernel('linux/netfilter/nf_tables.h'),
  kernel('linux/netfilter/nf_conntrack_tuple_common.h'),
  kernel('linux/netfilter/nf_nat.h'),
  kernel('linux/netfilter/nf_log.h'),
  kernel('linux/icmp.h'),
  kernel('linux/inet_diag.h'),
  kernel('linux/unix_diag.h'),
  kernel('linux/packet_diag.h'),
  kernel('linux/netlink_diag.h'),
  kernel('linux/tcp.h'),
  kernel('linux/ethtool.h'),
  // Tunnel link kinds (src/rtnl/link-kinds/): gre, ipip, sit, ip6tnl; vxcan's peer; macsec.
  kernel('linux/ip.h'),
  kernel('linux/if_tunnel.h'),
  kernel('linux/ip6_tunnel.h'),
  kernel('linux/can/vxcan.h'),
  kernel('linux/if_macsec.h'),
  // arm64 moves O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE.
  {
    module: 'asm/fcntl',
    headers: [],
    perArch: { x86_64: ['asm/fcntl.h', 'asm-generic/fcntl.h'], aarch64: ['asm/fcntl.h', 'asm-generic/fcntl.h'] },
    cConflicts: ['libc/mount'],
  },
  {
    module: 'libc/socket',
    headers: ['bits/socket.h', 'bits/socket_type.h'],
    cIncludes: ['sys/socket.h'],
  },
  { module: 'libc/mount', headers: ['sys/mount.h'], cConflicts: ['asm/fcntl'] },
  { module: 'libc/dlfcn', headers: ['bits/dlfcn.h'], cIncludes: ['dlfcn.h'] },
];

/** The table as read for one architecture: per-architecture modules get their headers and their arch/NAME/ path. */
export function tableFor(arch: ArchSpec, table: readonly ModuleSpec[] = MODULES): ModuleSpec[] {
  const perArch = new Set(table.filter((s) => s.perArch !== undefined).map((s) => s.module));
  const rename = (module: string): string => (perArch.has(module) ? archModule(arch, module) : module);
  return table.map((s) => {
    const conflicts = s.cConflicts === undefined ? {} : { cConflicts: s.cConflicts.map(rename) };
    if (s.perArch === undefined) return { ...s, ...conflicts };
    const { perArch: byArch, ...rest } = s;
    return { ...rest, ...conflicts, module: rename(s.module), headers: byArch[arch.name], chooser: s.module };
  });
}

/** The kernel's uapi headers are self-contained C: every include of them is followed. */
export const KERNEL_PREFIXES: readonly string[] = ['linux/', 'asm/', 'asm-generic/'];

/**
 * glibc headers reached from the ones we read. Following glibc's plumbing
 * (features.h, cdefs.h, the types headers) would drag in function
 * declarations and compiler tests for nothing; the prelude supplies the few
 * macros and typedefs they would have provided.
 */
export const LIBC_INCLUDES: Readonly<Record<string, { readonly follow: string } | { readonly skip: string }>> = {
  'bits/socket.h': { follow: 'bits/socket.h' },
  'bits/socket_type.h': { follow: 'bits/socket_type.h' },
  'bits/sockaddr.h': { follow: 'bits/sockaddr.h' },
  'sys/mount.h': { follow: 'sys/mount.h' },
  'bits/dlfcn.h': { follow: 'bits/dlfcn.h' },
  // linux/if.h includes it for struct sockaddr; bits/socket.h holds that and
  // the AF_/SOL_/MSG_ constants, the rest is function declarations.
  'sys/socket.h': { follow: 'bits/socket.h' },
  'stddef.h': { skip: 'compiler header; size_t comes from the prelude' },
  'stdint.h': { skip: 'fixed-width typedefs come from the prelude' },
  'features.h': { skip: 'feature macros come from the prelude' },
  'sys/types.h': { skip: 'typedefs come from the prelude' },
  'bits/types/time_t.h': { skip: 'no constants or structs we need' },
  'fcntl.h': { skip: 'O_* come from asm/fcntl.h, read as its own module' },
  'sys/ioctl.h': { skip: '_IO* come from linux/ioctl.h, read for linux/nsfs.h' },
};
