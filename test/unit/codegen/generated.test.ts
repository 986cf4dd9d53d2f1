// Spot checks of the committed output against values known from the kernel
// ABI (they never change), so a generator bug cannot hide behind --check.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StructLayout } from '../../../src/generated/layout.js';
import * as netlink from '../../../src/generated/linux/netlink.js';
import * as rtnetlink from '../../../src/generated/linux/rtnetlink.js';
import * as ifLink from '../../../src/generated/linux/if_link.js';
import * as ifAddr from '../../../src/generated/linux/if_addr.js';
import * as ifEther from '../../../src/generated/linux/if_ether.js';
import * as linuxIf from '../../../src/generated/linux/if.js';
import * as neighbour from '../../../src/generated/linux/neighbour.js';
import * as fibRules from '../../../src/generated/linux/fib_rules.js';
import * as pktSched from '../../../src/generated/linux/pkt_sched.js';
import * as pktCls from '../../../src/generated/linux/pkt_cls.js';
import * as mirred from '../../../src/generated/linux/tc_act/tc_mirred.js';
import * as inet from '../../../src/generated/linux/in.js';
import * as in6 from '../../../src/generated/linux/in6.js';
import * as sched from '../../../src/generated/linux/sched.js';
import * as linuxMount from '../../../src/generated/linux/mount.js';
import * as nsfs from '../../../src/generated/linux/nsfs.js';
import * as socket from '../../../src/generated/libc/socket.js';
import * as libcMount from '../../../src/generated/libc/mount.js';
import * as asmSocket from '../../../src/generated/asm-generic/socket.js';
import * as fcntl from '../../../src/generated/asm/fcntl.js';

const field = (s: StructLayout, name: string) => {
  const f = s.fields.find((x) => x.name === name);
  if (f === undefined) throw new Error(`${s.name} has no field ${name}`);
  return f;
};
const shape = (s: StructLayout): string[] => s.fields.map((f) => `${f.name}@${f.offset}:${f.type}${f.count !== undefined ? `[${f.count}]` : ''}`);

test('netlink and rtnetlink constants', () => {
  assert.is(netlink.NETLINK_ROUTE, 0);
  assert.is(netlink.NLMSG_ERROR, 2);
  assert.is(netlink.NLMSG_DONE, 3);
  assert.is(netlink.NLM_F_DUMP, 0x300);
  assert.is(netlink.NLM_F_ACK, 4);
  assert.is(netlink.NLMSG_HDRLEN, 16);
  assert.is(netlink.NETLINK_EXT_ACK, 11);
  assert.is(netlink.NETLINK_GET_STRICT_CHK, 12);
  assert.is(netlink.NLMSGERR_ATTR_MSG, 1);
  assert.is(netlink.NLA_F_NESTED, 1 << 15);
  assert.is(netlink.NLA_TYPE_MASK, ~((1 << 15) | (1 << 14))); // int in C: negative
  assert.is(rtnetlink.RTM_NEWLINK, 16);
  assert.is(rtnetlink.RTM_GETROUTE, 26);
  assert.is(rtnetlink.RTM_NEWQDISC, 36);
  assert.is(rtnetlink.RT_TABLE_MAIN, 254);
  assert.is(rtnetlink.RTA_DST, 1);
  assert.is(rtnetlink.RTNLGRP_LINK, 1);
  assert.is(rtnetlink.TCA_KIND, 1);
});

test('links, addresses, neighbours, rules', () => {
  assert.is(ifLink.IFLA_MTU, 4);
  assert.is(ifLink.IFLA_IFNAME, 3);
  assert.is(ifLink.IFLA_LINKINFO, 18);
  assert.is(ifLink.IFLA_INFO_KIND, 1);
  assert.is(ifAddr.IFA_F_PERMANENT, 0x80);
  assert.is(ifAddr.IFA_LOCAL, 2);
  assert.is(linuxIf.IFF_UP, 1);
  assert.is(linuxIf.IFNAMSIZ, 16);
  assert.is(ifEther.ETH_P_ALL, 3);
  assert.is(ifEther.ETH_ALEN, 6);
  assert.is(neighbour.NDA_DST, 1);
  assert.is(neighbour.NUD_PERMANENT, 0x80);
  assert.is(fibRules.FRA_TABLE, 15);
});

test('traffic control', () => {
  assert.is(pktSched.TC_H_ROOT, 0xffffffff);
  assert.is(pktSched.TC_H_INGRESS, 0xfffffff1);
  assert.is(pktSched.TCA_NETEM_LOSS, 5);
  assert.is(pktSched.TCA_HTB_PARMS, 1);
  assert.is(pktCls.TC_ACT_SHOT, 2);
  assert.is(pktCls.TC_ACT_UNSPEC, -1);
  assert.is(pktCls.TCA_U32_SEL, 5);
  assert.is(mirred.TCA_EGRESS_REDIR, 1);
  assert.is(mirred.TCA_MIRRED_PARMS, 2);
});

test('sockets, namespaces, mounts, files', () => {
  assert.is(socket.AF_NETLINK, 16);
  assert.is(socket.PF_NETLINK, 16);
  assert.is(socket.AF_INET6, 10);
  assert.is(socket.SOL_NETLINK, 270);
  assert.is(socket.SOCK_RAW, 3); // from `#define SOCK_RAW SOCK_RAW` and the enum
  assert.is(socket.SOCK_CLOEXEC, 0o2000000);
  assert.is(socket.MSG_PEEK, 2);
  assert.is(socket.MSG_TRUNC, 0x20);
  assert.is(asmSocket.SO_RCVBUF, 8);
  assert.is(asmSocket.SO_RCVBUFFORCE, 33);
  assert.is(asmSocket.SO_RCVTIMEO, 20); // SO_RCVTIMEO_OLD on 64-bit
  assert.is(sched.CLONE_NEWNET, 0x40000000);
  assert.is(sched.CLONE_NEWNS, 0x20000);
  assert.is(sched.CLONE_CLEAR_SIGHAND, 0x100000000);
  assert.is(libcMount.MNT_DETACH, 2);
  assert.is(libcMount.MS_BIND, 4096);
  assert.is(libcMount.MS_REC, 16384);
  assert.is(linuxMount.MS_SHARED, 1 << 20);
  assert.is(linuxMount.OPEN_TREE_CLOEXEC, 0o2000000);
  assert.is(fcntl.O_CLOEXEC, 0o2000000);
  assert.is(fcntl.O_RDONLY, 0);
  assert.is(nsfs.NS_GET_NSTYPE, 0xb703); // _IO(0xb7, 0x3)
  assert.is(inet.IPPROTO_TCP, 6);
  assert.is(in6.IPV6_V6ONLY, 26);
});

test('message header structs', () => {
  assert.equal(shape(netlink.nlmsghdr), ['nlmsg_len@0:u32', 'nlmsg_type@4:u16', 'nlmsg_flags@6:u16', 'nlmsg_seq@8:u32', 'nlmsg_pid@12:u32']);
  assert.is(netlink.nlmsghdr.size, 16);
  assert.is(netlink.nlattr.size, 4);
  assert.is(netlink.sockaddr_nl.size, 12);
  assert.equal([netlink.nlmsgerr.size, field(netlink.nlmsgerr, 'msg').offset, field(netlink.nlmsgerr, 'msg').struct], [20, 4, netlink.nlmsghdr]);
  assert.equal([rtnetlink.ifinfomsg.size, rtnetlink.ifinfomsg.align], [16, 4]);
  assert.equal(shape(rtnetlink.ifinfomsg), ['ifi_family@0:u8', '__ifi_pad@1:u8', 'ifi_type@2:u16', 'ifi_index@4:s32', 'ifi_flags@8:u32', 'ifi_change@12:u32']);
  assert.is(rtnetlink.rtmsg.size, 12);
  assert.is(rtnetlink.tcmsg.size, 20);
  assert.is(field(rtnetlink.tcmsg, 'tcm_parent').offset, 12);
  assert.is(rtnetlink.rtattr.size, 4);
  assert.is(ifAddr.ifaddrmsg.size, 8);
  assert.is(neighbour.ndmsg.size, 12);
  assert.is(fibRules.fib_rule_hdr.size, 12);
});

test('link statistics and tc structs', () => {
  const stats = ifLink.rtnl_link_stats64;
  assert.is(stats.fields.every((f) => f.type === 'u64'), true);
  assert.is(stats.size, stats.fields.length * 8);
  assert.equal(stats.fields.slice(0, 2).map((f) => f.name), ['rx_packets', 'tx_packets']);
  assert.is(pktSched.tc_ratespec.size, 12);
  assert.equal(shape(pktSched.tc_ratespec), ['cell_log@0:u8', 'linklayer@1:u8', 'overhead@2:u16', 'cell_align@4:s16', 'mpu@6:u16', 'rate@8:u32']);
  assert.is(pktSched.tc_htb_opt.size, 44);
  assert.is(field(pktSched.tc_htb_opt, 'ceil').struct, pktSched.tc_ratespec);
  assert.is(pktSched.tc_netem_qopt.size, 24);
  const sel: StructLayout = pktCls.tc_u32_sel;
  const keys = sel.fields[sel.fields.length - 1]!;
  assert.equal([keys.name, keys.offset, keys.count, keys.struct], ['keys', sel.size, 0, pktCls.tc_u32_key]);
  assert.is(sel.size, 16);
  assert.is(pktCls.tc_u32_key.size, 16);
  assert.equal(shape(mirred.tc_mirred), ['index@0:u32', 'capab@4:u32', 'action@8:s32', 'refcnt@12:s32', 'bindcnt@16:s32', 'eaction@20:s32', 'ifindex@24:u32']);
  assert.is(mirred.tc_mirred.size, 28);
});

test('byte order, packing, alignment, unions, pointers', () => {
  assert.equal([ifEther.ethhdr.size, ifEther.ethhdr.align], [14, 1]);
  assert.equal(shape(ifEther.ethhdr), ['h_dest@0:u8[6]', 'h_source@6:u8[6]', 'h_proto@12:be16']);
  assert.equal(shape(inet.in_addr), ['s_addr@0:be32']);
  assert.is(inet.sockaddr_in.size, 16);
  assert.is(in6.in6_addr.size, 16);
  assert.is(in6.sockaddr_in6.size, 28);
  assert.equal([sched.clone_args.size, sched.clone_args.align], [88, 8]);
  assert.is(socket.sockaddr.size, 16);
  assert.equal(shape(socket.sockaddr), ['sa_family@0:u16', 'sa_data@2:char[14]']);
  assert.equal([socket.sockaddr_storage.size, socket.sockaddr_storage.align], [128, 8]);
  assert.equal(shape(socket.msghdr), ['msg_name@0:u64', 'msg_namelen@8:u32', 'msg_iov@16:u64', 'msg_iovlen@24:u64', 'msg_control@32:u64', 'msg_controllen@40:u64', 'msg_flags@48:s32']);
  assert.is(socket.cmsghdr.size, 16);
  assert.equal([linuxIf.ifreq.size, field(linuxIf.ifreq, 'ifr_ifru').offset, field(linuxIf.ifreq, 'ifr_ifru').type], [40, 16, 'union']);
  const ifru = field(linuxIf.ifreq, 'ifr_ifru').struct!;
  assert.is(field(ifru, 'ifru_addr').struct, socket.sockaddr); // imported from libc/socket
  assert.is(field(ifru, 'ifru_data').type, 'u64'); // a pointer
  assert.is(linuxMount.mount_attr.size, 32);
});

// The API reference shows these layouts (tcp_info, tc_codel_xstats... are
// package exports): their doc comment is the generator's, naming the C type
// and the header it is declared in (docs/api.md).
test('every generated layout carries a doc comment naming its C type and header', () => {
  const generated = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'src', 'generated');
  const cases: [string, string, string][] = [
    ['linux/tcp.ts', 'tcp_info', "/** The kernel's `struct tcp_info` (linux/tcp.h), generated"],
    ['linux/pkt_sched.ts', 'tc_codel_xstats', "/** The kernel's `struct tc_codel_xstats` (linux/pkt_sched.h), generated"],
    ['linux/inet_diag.ts', 'tcp_bbr_info', "/** The kernel's `struct tcp_bbr_info` (linux/inet_diag.h), generated"],
    ['libc/socket.ts', 'sockaddr', "/** The C library's `struct sockaddr` (bits/socket.h), generated"],
    ['arch/aarch64/asm/fcntl.ts', 'flock', "/** The kernel's `struct flock` (asm-generic/fcntl.h), generated"],
  ];
  for (const [file, name, comment] of cases) {
    const lines = readFileSync(join(generated, file), 'utf8').split('\n');
    const at = lines.indexOf(`export const ${name} = {`);
    assert.ok(at > 0, `${file} exports ${name}`);
    assert.ok(lines[at - 1]!.startsWith(comment), `${file}: ${name}'s comment: ${lines[at - 1]}`);
    // Every layout in the file has one, not only the ones named above.
    lines.forEach((line, k) => {
      if (/^export const \w+ = \{$/.test(line)) assert.ok(lines[k - 1]!.startsWith('/** The '), `${file}: ${line} has no doc comment`);
    });
  }
});

test.run();
