// The tutorial's labs in examples/ are valid, say what the tutorial says,
// and the command line reads, checks and draws them.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { main } from '../../src/cli/main.js';
import { loadLabFile } from '../../src/lab/load.js';
import { expectedMatrix } from '../../src/lab/reach.js';
import { Topology } from '../../src/lab/topology.js';
import { makePlan as planLab } from '../../src/lab/plan.js';
import { validate as validateLab } from '../../src/lab/validate.js';
import { Lab } from '../../src/lab/lab.js';
import { VLAN_BRIDGE } from '../../src/lab/backend.js';
import { LabRefusedError } from '../../src/lab/errors.js';
import { FakeBackend } from '../helpers/lab-fake.js';

const dir = new URL('../../../examples/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'nlts-lab-'));

/** Runs the CLI, capturing what it writes. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = process.stdout.write;
  const e = process.stderr.write;
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof o;
  process.stderr.write = ((s: string) => { err += s; return true; }) as typeof e;
  try {
    return { code: await main(argv), out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('examples/ holds the seven labs (the five of the tutorial, VLANs, NAT), all valid', async () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  assert.equal(files, ['01-veth-pair.json', '02-bridge.json', '03-router.json', '04-tbf.json', '05-netem.json', '06-vlans.json', '07-router-nat.json']);
  for (const f of files) {
    const v = await loadLabFile(join(dir, f));
    assert.ok(v.ok, `${f}: ${JSON.stringify(v.problems)}`);
  }
});

test('the examples say what the tutorial says', async () => {
  const load = async (f: string) => { const v = await loadLabFile(join(dir, f)); if (!v.ok) throw new Error(f); return v.lab; };
  const addrs = (lab: Awaited<ReturnType<typeof load>>) => new Topology(lab).ifaces.flatMap((i) => i.addresses.map((a) => `${i.ns}:${a.text}`));

  const pair = await load('01-veth-pair.json');
  assert.equal(addrs(pair), ['red:10.0.0.1/24', 'blue:10.0.0.2/24']);

  const bridge = await load('02-bridge.json');
  assert.equal(addrs(bridge), ['ns1:192.168.1.3/24', 'ns2:192.168.1.4/24', 'ns3:192.168.1.5/24']);
  assert.ok(new Topology(bridge).ifaces.filter((i) => i.master).length === 3, 'three ports on the bridge');

  const router = await load('03-router.json');
  assert.ok(router.namespaces.find((n) => n.name === 'router')!.forwarding);
  assert.ok(router.namespaces.filter((n) => n.routes?.some((r) => r.to === 'default')).length === 2, 'default routes on both sides');

  assert.equal((await load('04-tbf.json')).veths![0]!.a.qdisc, { kind: 'tbf', rate: '1mbit', burst: '32kbit', latency: '400ms' });
  assert.equal((await load('05-netem.json')).veths![0]!.a.qdisc, { kind: 'netem', delay: '100ms' });

  // Everything reaches everything in every example.
  for (const lab of [pair, bridge, router, await load('04-tbf.json'), await load('05-netem.json')]) {
    assert.ok(expectedMatrix(lab).cells.flat().every((c) => c.reach), lab.name);
  }
});

test('06-vlans: a VLAN reaches across the trunk, never into the other VLAN; its plan makes filtering bridges and adds each port\'s VLANs', async () => {
  const v = await loadLabFile(join(dir, '06-vlans.json'));
  if (!v.ok) throw new Error(JSON.stringify(v.problems));
  const m = expectedMatrix(v.lab);
  const reach = m.sources.map((from, i) => m.targets.filter((_, j) => m.cells[i]![j]!.reach).map((t) => t.ns).join(','));
  assert.equal(Object.fromEntries(m.sources.map((s, i) => [s, reach[i]])), { a1: 'a1,a2', b1: 'b1,b2', a2: 'a1,a2', b2: 'b1,b2' });
  const plan = planLab(v.lab);
  const bridges = plan.steps.filter((s) => s.op.op === 'link.add' && s.op.link.kind === 'bridge').map((s) => (s.op as { link: { vlanFiltering?: boolean } }).link.vlanFiltering);
  assert.equal(bridges, [true, true]);
  const vlans = plan.steps.filter((s) => s.op.op === 'vlan.add').map((s) => s.what);
  assert.equal(vlans.slice(0, 3), ['add VLAN 10 to trunk in vlans-sw1', 'add VLAN 20 to trunk in vlans-sw1', 'add VLAN 10 pvid untagged to a1 in vlans-sw1']);
  assert.is(vlans.length, 8);
  // The same lab with the trunk carrying only VLAN 10: VLAN 20 no longer crosses.
  const cut = structuredClone(v.lab);
  cut.veths![0]!.b.vlans = [{ vid: 10 }];
  const m2 = expectedMatrix(cut);
  assert.equal(m2.cells[1]!.map((c) => c.reach), [false, true, false, false], 'b1 reaches only itself');
  assert.equal(m2.cells[0]!.map((c) => c.reach), [true, false, true, false], 'a1 still reaches a2');
});

test('06-vlans on a kernel whose bridge does not filter VLANs is refused before anything is made; on one that does, its VLANs are added', async () => {
  const v = await loadLabFile(join(dir, '06-vlans.json'));
  if (!v.ok) throw new Error(JSON.stringify(v.problems));
  const without = new FakeBackend();
  const err = await new Lab(v.lab, without).up().then(() => undefined, (e: unknown) => e);
  assert.instance(err, LabRefusedError);
  assert.match((err as Error).message, /bridge does not filter VLANs/);
  assert.not.ok(without.calls.some((c) => c.startsWith('createNamespace') || c.startsWith('addLinks')), without.calls.join(' '));
  const withVlans = new FakeBackend({ linkKinds: ['veth', 'bridge', VLAN_BRIDGE] });
  await new Lab(v.lab, withVlans).up();
  assert.ok(withVlans.calls.includes('addBridgeVlans(vlans-sw1, 4)') && withVlans.calls.includes('addBridgeVlans(vlans-sw2, 4)'), withVlans.calls.join(' '));
});

test('VLAN fields are validated', () => {
  const bad = validateLab({
    name: 'v', namespaces: [{ name: 's' }, { name: 'h' }],
    bridges: [{ name: 'br0', namespace: 's', vlans: [{ vid: 1 }] }, { name: 'br1', namespace: 's', vlanFiltering: true }],
    veths: [
      { a: { name: 'p0', bridge: 'br0', namespace: 's', vlans: [{ vid: 10 }] }, b: { name: 'e', namespace: 'h', vlans: [{ vid: 5 }] } },
      { a: { name: 'p1', bridge: 'br1', namespace: 's', vlans: [{ vid: 4095 }, { vid: 7, pvid: true }, { vid: 8, pvid: true }, { vid: 7 }] }, b: { name: 'f', namespace: 'h' } },
    ],
  });
  assert.not.ok(bad.ok);
  assert.equal(bad.problems.map((p) => `${p.path}: ${p.message}`), [
    'bridges[0].vlans: VLANs need vlanFiltering: true',
    'veths[1].a.vlans[0].vid: 4095 is out of range 1..4094',
    'veths[1].a.vlans[2].pvid: a port has one PVID; VLAN 7 is it already',
    'veths[1].a.vlans[3].vid: VLAN 7 is listed twice (first at veths[1].a.vlans[1])',
    'veths[0].a.vlans: bridge "br0" does not filter VLANs (vlanFiltering: true)',
    'veths[0].b.vlans: VLANs belong to a port of a VLAN-filtering bridge ("bridge")',
  ]);
});

test('netlink-ts lab validate FILE', async () => {
  const ok = await cli('lab', 'validate', join(dir, '03-router.json'));
  assert.equal([ok.code, ok.err], [0, '']);
  assert.match(ok.out, /03-router\.json: lab router is valid: 3 namespaces, 0 bridges, 2 veth pairs, 4 addresses; up\(\) takes 21 steps\n$/);

  const bad = join(tmp, 'bad.json');
  writeFileSync(bad, JSON.stringify({
    name: 'bad',
    namespaces: [{ name: 'red' }, { name: 'blue' }, { name: 'red' }],
    veths: [{ a: { name: 'v', namespace: 'red', addresses: ['10.0.0.1/24'] }, b: { name: 'v', namespace: 'blu', addresses: ['10.0.0.1/24'], mtu: 'big' } }, { a: { name: 'w' } }],
  }));
  const r = await cli('lab', 'validate', bad);
  assert.is(r.code, 1);
  assert.is(r.out, [
    `${bad}: 4 problems`,
    '  veths[0].b.mtu: expected a whole number, got a string ("big")',
    '  veths[1].b: required, missing',
    '  namespaces[2].name: duplicate namespace "red" (first at namespaces[0])',
    '  veths[0].b.namespace: unknown namespace "blu" (did you mean "blue"?)',
    '',
  ].join('\n'));
  const j = await cli('-j', 'lab', 'validate', bad);
  assert.is(j.code, 1);
  assert.is((JSON.parse(j.out) as { problems: unknown[] }).problems.length, 4);
  assert.equal(JSON.parse((await cli('lab', 'validate', join(dir, '01-veth-pair.json'), '--json')).out), { ok: true, name: 'pair', steps: 9 });

  const broken = join(tmp, 'broken.json');
  writeFileSync(broken, '{\n  "name": "x"\n  "namespaces": []\n}\n');
  const b = await cli('lab', 'validate', broken);
  assert.is(b.code, 1);
  assert.match(b.out, /broken\.json is not valid JSON at line 3, column 3: /);
  writeFileSync(broken, '{\n  "namespaces": [\n}\n');
  assert.match((await cli('lab', 'validate', broken)).out, /^[^\n]*\n {2}[^\n]*broken\.json is not valid JSON[^\n]*\n$/);
  assert.match((await cli('lab', 'validate', join(tmp, 'none.json'))).out, /cannot read .*none\.json: ENOENT/);
  assert.is((await cli('lab', 'validate')).code, 255, 'a usage error, with ip\'s status');
});

test('a description as a JavaScript module (what a .ts file compiles to)', async () => {
  const mod = join(tmp, 'lab.mjs');
  writeFileSync(mod, `export default ${readFileSync(join(dir, '01-veth-pair.json'), 'utf8')};\n`);
  assert.is((await cli('lab', 'validate', mod)).code, 0);
  const none = join(tmp, 'none.mjs');
  writeFileSync(none, 'export const lab = {};\n');
  assert.match((await cli('lab', 'validate', none)).out, /has no default export/);
});

test('netlink-ts lab graph FILE [--format svg|dot|mermaid] [-o OUT]', async () => {
  const file = join(dir, '02-bridge.json');
  const svg = await cli('lab', 'graph', file);
  assert.is(svg.code, 0);
  assert.match(svg.out, /^<\?xml version="1\.0"[^]*<\/svg>\n$/);
  assert.match((await cli('lab', 'graph', file, '--format', 'dot')).out, /^graph "bridge" \{/);
  assert.match((await cli('lab', 'graph', file, '-f', 'mermaid')).out, /^flowchart LR\n/);
  for (const [ext, start] of [['svg', '<?xml'], ['dot', 'graph '], ['gv', 'graph '], ['mmd', 'flowchart'], ['txt', '<?xml']] as const) {
    const out = join(tmp, `g.${ext}`);
    const r = await cli('lab', 'graph', file, '-o', out);
    assert.equal([r.code, r.out, r.err], [0, '', '']);
    assert.ok(readFileSync(out, 'utf8').startsWith(start), ext);
  }
  const bad = join(tmp, 'bad-graph.json');
  writeFileSync(bad, '{"name":"x","namespaces":[{"name":"a"}],"bridges":[{"name":"br0","namespace":"b"}]}');
  const r = await cli('lab', 'graph', bad);
  assert.is(r.code, 1);
  assert.is(r.out, '');
  assert.match(r.err, /1 problem\n {2}bridges\[0\]\.namespace: unknown namespace "b" \(did you mean "a"\?\)/);
  assert.is((await cli('lab', 'graph', file, '--format', 'png')).code, 255);
  assert.is((await cli('lab', 'graph')).code, 255);
  assert.is((await cli('lab', 'graph', file, 'extra')).code, 255);
  assert.is((await cli('lab', 'up')).code, 255, 'up needs a FILE (building labs is for the kernel tests)');
});

test.run();
