// What the ethtool netlink family does not carry: the driver's own
// information (ETHTOOL_GDRVINFO) and the values of its private statistics
// (ETHTOOL_GSTATS; their names do come over netlink, string set ETH_SS_STATS).
// ethtool(8) reads both through the SIOCETHTOOL ioctl on an ordinary socket,
// and so does this module: one AF_INET datagram socket, opened in the
// namespace asked for, per call.
import { addressOf, close, ioctlBuffer, socket } from '../ffi/libc.js';
import { AF_INET, SOCK_CLOEXEC, SOCK_DGRAM } from '../generated/libc/socket.js';
import { SIOCETHTOOL } from '../generated/linux/sockios.js';
import { ETHTOOL_GDRVINFO, ETHTOOL_GSTATS, ethtool_drvinfo, ethtool_stats } from '../generated/linux/ethtool.js';
import { IFNAMSIZ, ifreq } from '../generated/linux/if.js';
import { inNetns } from '../netns/enter.js';
import { type NetnsRef, withNetnsFd } from '../netns/ref.js';

/** ETHTOOL_GDRVINFO's answer (what `ethtool -i` prints). */
export interface EthtoolDriverInfo {
  driver: string;
  version: string;
  firmwareVersion: string;
  expansionRomVersion: string;
  busInfo: string;
  /** How many private flags, statistics, self-test results, EEPROM and register bytes the driver offers. */
  nPrivFlags: number;
  nStats: number;
  testinfoLen: number;
  eedumpLen: number;
  regdumpLen: number;
}

type Field = { name: string; offset: number; count?: number };
const fieldOf = (layout: { fields: readonly Field[] }, name: string): Field => {
  const f = layout.fields.find((x) => x.name === name);
  if (!f) throw new Error(`generated layout has no field ${name}`);
  return f;
};

function withSocket<T>(netns: NetnsRef | undefined, fn: (fd: number) => T): T {
  const make = (): number => socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  const fd = netns === undefined ? make() : withNetnsFd(netns, (ns) => inNetns(ns, make), 'ethtool socket open');
  try { return fn(fd); } finally { close(fd); }
}

/** One SIOCETHTOOL call: `data` is the ethtool command's struct, filled in by the kernel. */
function ethtoolIoctl(fd: number, dev: string, data: Buffer, what: string): void {
  const ifr = Buffer.alloc(ifreq.size);
  if (Buffer.byteLength(dev) >= IFNAMSIZ) throw new RangeError(`device name "${dev}" is longer than ${IFNAMSIZ - 1} bytes`);
  ifr.write(dev, 0, 'utf8');
  ifr.writeBigUInt64LE(BigInt(addressOf(data)), fieldOf(ifreq, 'ifr_ifru').offset);
  ioctlBuffer(fd, SIOCETHTOOL, ifr, `${what} ${dev}`);
  data.fill(0, 0, 0); // keeps `data` alive until the call has returned
}

function cString(buf: Buffer, f: Field): string {
  const raw = buf.subarray(f.offset, f.offset + (f.count ?? 0));
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

/** The driver's information (`ethtool -i`); throws OsError (EOPNOTSUPP for lo, ENODEV for no such device). */
export function driverInfo(dev: string, netns?: NetnsRef): EthtoolDriverInfo {
  const buf = Buffer.alloc(ethtool_drvinfo.size);
  buf.writeUInt32LE(ETHTOOL_GDRVINFO, fieldOf(ethtool_drvinfo, 'cmd').offset);
  withSocket(netns, (fd) => ethtoolIoctl(fd, dev, buf, 'ethtool driver info'));
  const u32 = (n: string): number => buf.readUInt32LE(fieldOf(ethtool_drvinfo, n).offset);
  const str = (n: string): string => cString(buf, fieldOf(ethtool_drvinfo, n));
  return {
    driver: str('driver'), version: str('version'), firmwareVersion: str('fw_version'),
    expansionRomVersion: str('erom_version'), busInfo: str('bus_info'),
    nPrivFlags: u32('n_priv_flags'), nStats: u32('n_stats'), testinfoLen: u32('testinfo_len'),
    eedumpLen: u32('eedump_len'), regdumpLen: u32('regdump_len'),
  };
}

/** The values of the driver's `count` private statistics, in the order of string set ETH_SS_STATS. */
export function driverStatsValues(dev: string, count: number, netns?: NetnsRef): bigint[] {
  if (!Number.isInteger(count) || count < 0 || count > 1 << 20) throw new RangeError(`statistics count ${count} is out of range`);
  const head = ethtool_stats.size;
  const buf = Buffer.alloc(head + 8 * count);
  buf.writeUInt32LE(ETHTOOL_GSTATS, fieldOf(ethtool_stats, 'cmd').offset);
  buf.writeUInt32LE(count, fieldOf(ethtool_stats, 'n_stats').offset);
  withSocket(netns, (fd) => ethtoolIoctl(fd, dev, buf, 'ethtool statistics'));
  // The kernel writes back how many it filled in (fewer if the driver's count shrank meanwhile).
  const n = Math.min(count, buf.readUInt32LE(fieldOf(ethtool_stats, 'n_stats').offset));
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) out.push(buf.readBigUInt64LE(head + 8 * i));
  return out;
}
