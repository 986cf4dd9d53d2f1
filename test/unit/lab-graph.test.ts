import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LabDescription } from '../../src/lab/description.js';
import { escapeXml, toSvg, wrap } from '../../src/lab/graph-svg.js';
import { graphModel, toDot, toMermaid } from '../../src/lab/graph.js';
import { labNames } from '../../src/lab/plan.js';
import { Topology } from '../../src/lab/topology.js';
import { assertValid } from '../../src/lab/validate.js';

const EXAMPLES = ['01-veth-pair.json', '02-bridge.json', '03-router.json', '04-tbf.json', '05-netem.json', '07-router-nat.json'];
const example = (file: string): LabDescription => assertValid(JSON.parse(readFileSync(new URL(`../../../examples/${file}`, import.meta.url), 'utf8')));

/**
 * A small well-formedness check: one root element, tags balanced, attribute
 * values quoted, no stray '<' or '&' in text. Returns the element names in order.
 */
function parseXml(xml: string): string[] {
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, '');
  const names: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  let at = 0;
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  while (at < body.length) {
    const lt = body.indexOf('<', at);
    const text = body.slice(at, lt < 0 ? body.length : lt);
    assert.not.ok(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text), `a bare & in ${JSON.stringify(text)}`);
    if (stack.length === 0) assert.ok(text.trim() === '', `text outside the root: ${JSON.stringify(text)}`);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(body);
    assert.ok(m, `not a tag at ${JSON.stringify(body.slice(lt, lt + 60))}`);
    const [whole, close, name, , self] = m!;
    if (close) {
      assert.is(stack.pop(), name, `</${name}> closes the wrong element`);
    } else {
      if (stack.length === 0) roots++;
      names.push(name!);
      if (!self) stack.push(name!);
    }
    at = lt + whole!.length;
  }
  assert.equal(stack, [], 'every element is closed');
  assert.is(roots, 1, 'one root element');
  return names;
}

/** Every name and address a picture must show. */
function mustShow(lab: LabDescription): string[] {
  const names = labNames(lab);
  const topo = new Topology(lab);
  return [
    ...lab.namespaces.flatMap((n) => [n.name, names.namespace(n.name)]),
    ...topo.ifaces.map((i) => names.link(i.ns, i.name)),
    ...topo.ifaces.flatMap((i) => i.addresses.map((a) => a.text)),
  ];
}

test('SVG: well-formed, and every namespace, link, bridge and address is in it', () => {
  for (const f of EXAMPLES) {
    const lab = example(f);
    const svg = toSvg(lab);
    const elements = parseXml(svg);
    assert.is(elements[0], 'svg');
    assert.match(svg, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+">/);
    for (const s of mustShow(lab)) assert.ok(svg.includes(`>${escapeXml(s)}`) || svg.includes(`>${escapeXml(s)} (`), `${f}: ${s} is not drawn`);
    const topo = new Topology(lab);
    assert.is(svg.match(/class="namespace"/g)!.length, topo.namespaces.length, f);
    assert.is(svg.match(/<g class="link"/g)!.length, topo.ifaces.length, f);
    assert.is(svg.match(/class="veth"/g)!.length, lab.veths?.length ?? 0, f);
    assert.is((svg.match(/class="port"/g) ?? []).length, topo.ifaces.filter((i) => i.master).length, f);
  }
  const svg = toSvg(example('05-netem.json'));
  assert.ok(svg.includes('>netem delay 100ms<'), 'the qdisc is shown');
  assert.ok(toSvg(example('04-tbf.json')).includes('>tbf 1mbit burst 32kbit latency 400ms<'));
});

test('SVG: lines stay in the gaps; nothing is drawn outside the picture', () => {
  const chain: LabDescription = { name: 'chain', namespaces: [], veths: [] };
  for (let i = 0; i < 12; i++) chain.namespaces.push({ name: `n${i}`, forwarding: true });
  for (let i = 0; i < 11; i++) chain.veths!.push({ a: { name: `r${i}`, namespace: `n${i}`, addresses: [`10.${i}.0.1/24`] }, b: { name: `l${i + 1}`, namespace: `n${i + 1}`, addresses: [`10.${i}.0.2/24`] } });
  const svg = toSvg(assertValid(chain));
  parseXml(svg);
  const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg)!.map(Number);
  for (const m of svg.matchAll(/ d="([^"]+)"/g)) {
    const nums = m[1]!.split(/[ MHV]+/).filter(Boolean).map(Number);
    for (const v of nums) assert.ok(v >= 0 && v <= Math.max(w!, h!), `${v} is outside the picture`);
  }
  assert.is(svg.match(/class="veth"/g)!.length, 11);
});

test('SVG: text is escaped, long descriptions wrap', () => {
  const lab = assertValid({ name: 'x', description: 'a <b> & "c" '.repeat(30), namespaces: [{ name: 'a' }] });
  const svg = toSvg(lab);
  parseXml(svg);
  assert.ok(svg.includes('a &lt;b&gt; &amp; &quot;c&quot;'));
  assert.is(svg.match(/class="desc"/g)!.length, 3);
  assert.equal(wrap('one two three four', 9, 5), ['one two', 'three', 'four']);
  assert.equal(wrap('one two three four', 9, 2), ['one two', 'three…']);
  assert.equal(wrap('', 9, 2), []);
});

test('SVG: the router example against its golden file', () => {
  const golden = new URL('../../../test/fixtures/lab/03-router.svg', import.meta.url);
  const svg = toSvg(example('03-router.json'));
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, svg);
  assert.fixture(svg, readFileSync(golden, 'utf8'));
});

test('DOT: a cluster per namespace, a node per link, an edge per veth pair, dashed edges to bridges', () => {
  for (const f of EXAMPLES) {
    const lab = example(f);
    const dot = toDot(lab);
    const topo = new Topology(lab);
    assert.match(dot, new RegExp(`^graph "${lab.name}" \\{\\n`));
    assert.ok(dot.endsWith('}\n'));
    assert.is(dot.split('{').length, dot.split('}').length, 'braces balance');
    assert.is(dot.match(/subgraph "cluster_/g)!.length, topo.namespaces.length);
    assert.is(dot.match(/ -- /g)!.length, (lab.veths?.length ?? 0) + topo.ifaces.filter((i) => i.master).length);
    assert.is(dot.match(/\[style=dashed\]/g)?.length ?? 0, topo.ifaces.filter((i) => i.master).length);
    for (const s of mustShow(lab)) assert.ok(dot.includes(s), `${f}: ${s}`);
    for (const l of dot.split('\n')) assert.is((l.replace(/\\"/g, '').match(/"/g)?.length ?? 0) % 2, 0, `a DOT string spans lines: ${l}`);
  }
  assert.ok(toDot(example('01-veth-pair.json')).includes('"red/veth-red" [label="veth-red\\n10.0.0.1/24"];\n'));
  assert.ok(toDot(example('01-veth-pair.json')).includes('  "red/veth-red" -- "blue/veth-blue";\n'));
});

test('DOT: Graphviz reads it, where Graphviz is installed', () => {
  if (spawnSync('dot', ['-V']).error) return;
  for (const f of EXAMPLES) {
    const r = spawnSync('dot', ['-Tsvg'], { input: toDot(example(f)), encoding: 'utf8' });
    assert.is(r.status, 0, `${f}: ${r.stderr}`);
    assert.is(r.stderr, '', f);
    parseXml(r.stdout.replace(/<!DOCTYPE[^>]*>/, '').replace(/<!--[\s\S]*?-->/g, ''));
  }
});

test('Mermaid: a subgraph per namespace, a node per link, links between them', () => {
  const lab = example('03-router.json');
  assert.is(toMermaid(lab), [
    'flowchart LR',
    '  subgraph ns0["red (router-red)"]',
    '    i0["eth0<br/>10.0.1.2/24"]',
    '    ns0_notes>"default via 10.0.1.1<br/>hosts: router blue"]',
    '  end',
    '  subgraph ns1["router (router-router)"]',
    '    i1["to-red<br/>10.0.1.1/24"]',
    '    i2["to-blue<br/>10.0.2.1/24"]',
    '    ns1_notes>"forwarding"]',
    '  end',
    '  subgraph ns2["blue (router-blue)"]',
    '    i3["eth0<br/>10.0.2.2/24"]',
    '    ns2_notes>"default via 10.0.2.1<br/>hosts: router red"]',
    '  end',
    '  i0 --- i1',
    '  i3 --- i2',
    '',
  ].join('\n'));
  const bridge = toMermaid(example('../test/fixtures/lab/bridge-root.json'));
  assert.ok(bridge.includes('[["bridge-br0 (bridge)"]]'), bridge);
  assert.is(bridge.match(/ -\.- /g)!.length, 3);
  for (const f of EXAMPLES) for (const s of mustShow(example(f))) assert.ok(toMermaid(example(f)).includes(s), `${f}: ${s}`);
});

test('the model orders namespaces along their veth pairs', () => {
  const lab = assertValid({
    name: 'order',
    namespaces: [{ name: 'c' }, { name: 'a' }, { name: 'b' }, { name: 'alone' }],
    veths: [
      { a: { name: 'x', namespace: 'a', addresses: ['10.0.0.1/24'] }, b: { name: 'x', namespace: 'b', addresses: ['10.0.0.2/24'] } },
      { a: { name: 'y', namespace: 'b', addresses: ['10.0.1.1/24'] }, b: { name: 'y', namespace: 'c', addresses: ['10.0.1.2/24'] } },
    ],
  });
  assert.equal(graphModel(lab).boxes.map((b) => b.title), ['c', 'b', 'a', 'alone']);
});

test.run();
