// Which link and qdisc kinds this kernel lacks, asked before a lab makes
// anything. The question is put to the kernel itself: in a namespace of our
// own that no one else sees and that ends with the socket made in it, each
// link kind is created and each qdisc kind set as lo's root qdisc. An unknown
// kind is refused as such (after the kernel tried to load its module); any
// other answer, an error about the empty options included, means it exists.
import { closeSync, openSync } from 'node:fs';
import { Rtnl } from '../../client.js';
import { NetlinkError } from '../../netlink/errors.js';
import { inNewNetns } from '../../netns/enter.js';
import { type Needs, VLAN_BRIDGE } from '../backend.js';

/** The kernel's answer to an unknown link kind (EOPNOTSUPP) or qdisc kind (ENOENT). */
function unknownKind(err: unknown, code: string): boolean {
  return err instanceof NetlinkError && err.code === code;
}

export async function missingKinds(need: Needs): Promise<Needs> {
  const lacking: Needs = { linkKinds: [], qdiscKinds: [] };
  if (need.linkKinds.length === 0 && need.qdiscKinds.length === 0) return lacking;
  const nl = inNewNetns(() => Rtnl.openSync());
  try {
    for (const [i, kind] of need.linkKinds.entries()) {
      // A tap is not made over rtnetlink (the kernel refuses tun links there): what it needs is /dev/net/tun.
      if (kind === VLAN_BRIDGE) {
        try {
          await nl.link.add({ name: `probe${i}`, linkinfo: { kind: 'bridge', data: { vlanFiltering: true } } });
        } catch (err) {
          if (unknownKind(err, 'EOPNOTSUPP')) lacking.linkKinds.push(kind);
        }
        continue;
      }
      if (kind === 'tap') {
        try { closeSync(openSync('/dev/net/tun', 'r+')); } catch { lacking.linkKinds.push(kind); }
        continue;
      }
      try {
        await nl.link.add({ name: `probe${i}`, linkinfo: { kind, data: new Uint8Array(0) } });
      } catch (err) {
        if (unknownKind(err, 'EOPNOTSUPP')) lacking.linkKinds.push(kind);
      }
    }
    for (const kind of need.qdiscKinds) {
      try {
        await nl.qdisc.replace({ dev: 'lo', parent: 'root', kind, options: new Uint8Array(0) });
      } catch (err) {
        if (unknownKind(err, 'ENOENT')) lacking.qdiscKinds.push(kind);
      }
    }
  } finally {
    nl.close();
  }
  return lacking;
}
