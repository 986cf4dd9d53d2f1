// The hand-written rtnetlink schemas against the kernel's own YNL specs
// (rt_addr, rt_link, rt_route, tc from linux-source-6.12, extracted into
// build/ynl by .ci/run): every attribute we declare must have the spec's id
// and a compatible type, except the deliberate differences listed below,
// each with its reason. A new difference, or a listed one that went away,
// fails the test. Without the specs the test is skipped, except in CI.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSpec } from '../../codegen/ynl/spec.js';
import type { GenlSpec, YnlAttr } from '../../src/genl/spec.js';
import type { CompileEntry } from '../../src/netlink/schema-compile.js';
import { addressAttrs } from '../../src/rtnl/address.js';
import { linkKinds } from '../../src/rtnl/link-kinds/registry.js';
import { linkAttrs } from '../../src/rtnl/link.js';
import { metricsAttrs, routeAttrs } from '../../src/rtnl/route.js';
import { stats2Attrs } from '../../src/rtnl/tc/stats.js';
import { tcAttrs } from '../../src/rtnl/tc/tcmsg.js';

const specsDir = process.env.YNL_SPECS ?? join(new URL('../../../', import.meta.url).pathname, 'build', 'ynl');
const inCi = process.env.CI === 'true' || process.env.CI === '1';

/** What the comparison needs of one of our attribute sets (an AttrSet, or a link kind's data schema). */
interface OurSet { readonly name: string; compileEntries(): CompileEntry[] }

/** A link kind's data schema is an AttrSet at run time; its declared type says less. */
function ourSet(x: unknown): OurSet {
  const s = x as Partial<OurSet> | undefined;
  if (typeof s?.compileEntries !== 'function' || typeof s.name !== 'string') throw new Error('not an attribute set');
  return s as OurSet;
}

/** Ours → the spec's attribute set (spec file, set name). */
const PAIRS: [OurSet, string, string][] = [
  [addressAttrs, 'rt_addr', 'addr-attrs'],
  [linkAttrs, 'rt_link', 'link-attrs'],
  [routeAttrs, 'rt_route', 'route-attrs'],
  [metricsAttrs, 'rt_route', 'rta-metrics'],
  [tcAttrs, 'tc', 'tc-attrs'],
  [stats2Attrs, 'tc', 'tca-stats-attrs'],
  [ourSet(linkKinds.bridge.data), 'rt_link', 'linkinfo-bridge-attrs'],
  [ourSet(linkKinds.bridge.slaveData), 'rt_link', 'linkinfo-brport-attrs'],
  [ourSet(linkKinds.bond.data), 'rt_link', 'linkinfo-bond-attrs'],
  [ourSet(linkKinds.bond.slaveData), 'rt_link', 'bond-slave-attrs'],
  [ourSet(linkKinds.vlan.data), 'rt_link', 'linkinfo-vlan-attrs'],
  [ourSet(linkKinds.tun.data), 'rt_link', 'linkinfo-tun-attrs'],
];

/**
 * Every difference, with why it is deliberate. Key: `our set.our key`.
 * Kinds of difference: `id` (the spec has another id), `missing` (the spec
 * lacks it), `type` (incompatible types).
 */
const DELIBERATE: Record<string, string> = {
  'address.targetNetnsid': 'type: the kernel\'s policy for IFA_TARGET_NETNSID is NLA_S32 (a netnsid, -1 for none); the spec says binary',
  'link.link': 'type: same 4 bytes; IFLA_LINK holds an ifindex, an int in the kernel (NLA_U32 policy), so ours reads it signed like every other ifindex',
  'route.sport': 'type: RTA_SPORT is a __be16 (the kernel reads it with nla_get_be16); the spec leaves out byte-order: big-endian',
  'route.dport': 'type: RTA_DPORT is a __be16 (nla_get_be16); the spec leaves out byte-order: big-endian',
  'bond port.prio': 'type: the kernel\'s bond port policy has IFLA_BOND_SLAVE_PRIO as NLA_S32 (a priority may be negative); the spec says u32',
  'bridge.fdbFlush': 'type: the kernel\'s bridge policy has IFLA_BR_FDB_FLUSH as NLA_FLAG (no payload); the spec says binary',
};

/** Our codec's name → the YNL types that carry the same bytes. */
function compatible(codec: string, a: YnlAttr): boolean {
  const t = a.type;
  if (/^(u|s)(8|16|32|64)$/.test(codec)) return t === codec || (t === 'uint' && codec.startsWith('u')) || (t === 'sint' && codec.startsWith('s'));
  if (/^be(16|32|64)$/.test(codec)) return t === `u${codec.slice(2)}` && a.be === true;
  if (codec === 'string' || codec === 'interface name' || codec === 'interface alias') return t === 'string';
  if (codec === 'padding') return t === 'pad';
  if (codec === 'flag') return t === 'flag';
  if (codec.startsWith('nested') || codec.startsWith('indexed-array')) return t === 'nest' || t === 'indexed-array' || t === 'nest-type-value';
  // Bytes seen through a type of ours (addresses, structs, raw).
  return t === 'binary' || t === 'nest' || t === 'sub-message' || t === 'u32' || t === 'u16' || t === 'u8' || t === 'bitfield32';
}

/** A codec's own name, looking through name maps (enums, flags) to the integer under them. */
function baseName(e: CompileEntry): string {
  const c = e.codec as { name: string; base?: { name: string } };
  return c.base?.name ?? c.name;
}

function differences(specs: Map<string, GenlSpec>): string[] {
  const out: string[] = [];
  for (const [ours, file, setName] of PAIRS) {
    const spec = specs.get(file)!;
    const theirs = spec.sets[setName];
    assert.ok(theirs, `${file} has ${setName}`);
    const byId = new Map(theirs!.map((a) => [a.id, a]));
    for (const e of ours.compileEntries()) {
      const where = `${ours.name}.${e.key}`;
      const a = byId.get(e.id);
      if (!a) { out.push(`${where}: missing (id ${e.id} not in ${file} ${setName})`); continue; }
      const codec = baseName(e);
      if (!compatible(codec, a)) out.push(`${where}: type (ours ${codec}, ${file} ${setName}.${a.name} ${a.type}${a.be ? ' big-endian' : ''})`);
    }
  }
  return out;
}

const have = ['rt_addr', 'rt_link', 'rt_route', 'tc'].every((f) => existsSync(join(specsDir, `${f}.yaml`)));

(have ? test : test.skip)('hand-written rtnetlink schemas agree with rt_addr/rt_link/rt_route/tc, but for the listed deliberate differences', () => {
  const specs = new Map(['rt_addr', 'rt_link', 'rt_route', 'tc'].map((f) => [f, readSpec(readFileSync(join(specsDir, `${f}.yaml`), 'utf8'), `${f}.yaml`)]));
  const found = differences(specs);
  const key = (d: string): string => d.slice(0, d.indexOf(':'));
  const unexplained = found.filter((d) => !(key(d) in DELIBERATE));
  const gone = Object.keys(DELIBERATE).filter((k) => !found.some((d) => key(d) === k));
  assert.equal(unexplained, [], 'differences with no reason given');
  assert.equal(gone, [], 'listed differences that no longer exist');
});

test('the YNL specs are there when CI runs', () => {
  if (inCi) assert.ok(have, `CI must provide the YNL specs in ${specsDir} (.ci/run extracts them)`);
});

test.run();
