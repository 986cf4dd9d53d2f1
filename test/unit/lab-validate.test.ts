import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LabValidationError } from '../../src/lab/errors.js';
import { problemText } from '../../src/lab/shape.js';
import { assertValid, validate } from '../../src/lab/validate.js';

/** The problems, as `path: message` lines. */
function problems(input: unknown): string[] {
  return validate(input).problems.map(problemText);
}

/** One problem matching re, at this path. */
function has(list: string[], path: string, re: RegExp): void {
  const hit = list.find((p) => p.startsWith(`${path}: `) && re.test(p));
  assert.ok(hit, `expected a problem at ${path} matching ${re}; got:\n${list.join('\n')}`);
}

const pair = () => ({
  name: 'pair',
  namespaces: [{ name: 'red' }, { name: 'blue' }],
  veths: [{ a: { name: 'veth-red', namespace: 'red', addresses: ['10.0.0.1/24'] }, b: { name: 'veth-blue', namespace: 'blue', addresses: ['10.0.0.2/24'] } }],
});

test('a valid description comes back typed, as given', () => {
  const v = validate(pair());
  assert.ok(v.ok);
  assert.equal(v.lab, pair());
  assert.equal(assertValid(pair()), pair());
});

test('not an object at all', () => {
  assert.equal(problems(null), ['expected an object, got null']);
  assert.equal(problems([1]), ['expected an object, got an array']);
  assert.equal(problems('lab'), ['expected an object, got a string ("lab")']);
});

test('missing fields, wrong types and unknown keys, each with its path', () => {
  const list = problems({ nmae: 'x', namespaces: [{ name: 5 }, { loopback: 'yes', name: 'a' }, 'red'], veths: {} });
  has(list, 'nmae', /unknown key \(did you mean "name"\?\)/);
  has(list, 'name', /required, missing/);
  has(list, 'namespaces[0].name', /expected a string, got a number \(5\)/);
  has(list, 'namespaces[1].loopback', /expected true or false, got a string \("yes"\)/);
  has(list, 'namespaces[2]', /expected an object, got a string/);
  has(list, 'veths', /expected an array, got an object/);
});

test('the example in the brief: a typo in a namespace reference', () => {
  const d = pair();
  d.veths[0]!.b.namespace = 'blu';
  assert.equal(problems(d), ['veths[0].b.namespace: unknown namespace "blu" (did you mean "blue"?)']);
});

test('every problem at once: typo, duplicate, address twice, missing field, wrong type', () => {
  const list = problems({
    name: 'lab',
    namespaces: [{ name: 'red' }, { name: 'blue' }, { name: 'red' }],
    bridges: [{ name: 'br0', namespace: 'gren' }],
    veths: [
      { a: { name: 'v1', namespace: 'red', addresses: ['10.0.0.1/24'] }, b: { name: 'v2', namespace: 'blue', addresses: ['10.0.0.1/24'] } },
      { a: { namespace: 'red' }, b: { name: 'v3', namespace: 'blue', mtu: '1500' } },
    ],
  });
  has(list, 'namespaces[2].name', /duplicate namespace "red" \(first at namespaces\[0\]\)/);
  has(list, 'bridges[0].namespace', /unknown namespace "gren"/);
  has(list, 'veths[0].b.addresses[0]', /10\.0\.0\.1 is also at veths\[0\]\.a\.addresses\[0\]/);
  has(list, 'veths[1].a.name', /required, missing/);
  has(list, 'veths[1].b.mtu', /expected a whole number, got a string \("1500"\)/);
  assert.throws(() => assertValid({ name: 'x' }), (e: unknown) => e instanceof LabValidationError && e.problems.length === 1 && /namespaces: required/.test(e.message));
});

test('interface names: duplicates per namespace, lo, too long once prefixed, invalid', () => {
  const list = problems({
    name: 'averyverylonglab',
    namespaces: [{ name: 'red' }],
    bridges: [{ name: 'br0' }, { name: 'br:0', namespace: 'red' }],
    veths: [
      { a: { name: 'x', namespace: 'red' }, b: { name: 'x', namespace: 'red' } },
      { a: { name: 'lo', namespace: 'red' }, b: { name: 'thisnameiswaytoolong', namespace: 'red' } },
    ],
  });
  has(list, 'bridges[0].name', /becomes "averyverylonglab-br0" in the root namespace: .*20 bytes; the limit is 15 \(shorten the name or the prefix\)/);
  has(list, 'bridges[1].name', /contains ":"/);
  has(list, 'veths[0].b.name', /duplicate interface "x" in namespace "red" \(first at veths\[0\]\.a\.name\)/);
  has(list, 'veths[1].a.name', /"lo" is the loopback interface/);
  has(list, 'veths[1].b.name', /20 bytes; the limit is 15/);
  // %d would be expanded by the kernel (br%d → br0), and then up() and down() would not find the link.
  const pct = problems({ name: 'p', namespaces: [{ name: 'red' }], bridges: [{ name: 'br%d' }, { name: 'b%d', namespace: 'red' }] });
  has(pct, 'bridges[0].name', /contains "%"/);
  has(pct, 'bridges[1].name', /contains "%"/);
  // The same name in two namespaces is fine.
  const d = pair();
  d.veths[0]!.b.name = 'veth-red';
  assert.ok(validate(d).ok);
});

test('names and prefixes', () => {
  has(problems({ name: 'my lab', namespaces: [] }), 'name', /not a usable name/);
  has(problems({ name: 'lab', prefix: '-x', namespaces: [] }), 'prefix', /not a usable prefix/);
  has(problems({ name: 'lab', namespaces: [{ name: '../etc' }] }), 'namespaces[0].name', /not a usable name/);
  has(problems({ name: 'lab', prefix: 'p'.repeat(250), namespaces: [{ name: 'abcdefgh' }] }), 'namespaces[0].name', /258 bytes; a namespace name is at most 255/);
  has(problems({ name: 'l'.repeat(65), namespaces: [] }), 'name', /the limit is 64/);
  assert.ok(validate({ name: 'empty', namespaces: [] }).ok);
});

test('bridges: unknown, in another namespace, ambiguous; ports carry no addresses', () => {
  const list = problems({
    name: 'b',
    namespaces: [{ name: 'sw' }, { name: 'sw2' }, { name: 'h' }],
    bridges: [{ name: 'br0', namespace: 'sw' }, { name: 'br0', namespace: 'sw2' }, { name: 'br1', namespace: 'sw' }],
    veths: [
      { a: { name: 'e0', namespace: 'h' }, b: { name: 'p0', bridge: 'br2' } },
      { a: { name: 'e1', namespace: 'h' }, b: { name: 'p1', bridge: 'br1', namespace: 'h' } },
      { a: { name: 'e2', namespace: 'h' }, b: { name: 'p2', bridge: 'br0' } },
      { a: { name: 'e3', namespace: 'h' }, b: { name: 'p3', bridge: 'br1', addresses: ['10.9.0.1/24'] } },
    ],
  });
  has(list, 'veths[0].b.bridge', /unknown bridge "br2" \(did you mean "br0"\?\)/);
  has(list, 'veths[1].b.bridge', /bridge "br1" is in sw, not in namespace "h"/);
  has(list, 'veths[2].b.bridge', /there is a bridge "br0" in sw and sw2: say which with "namespace"/);
  has(list, 'veths[3].b.addresses', /a bridge port carries no addresses; put them on bridge "br1"/);
});

test('addresses: invalid, no prefix length, unusable', () => {
  const list = problems({
    name: 'a',
    namespaces: [{ name: 'n' }],
    bridges: [{ name: 'b', namespace: 'n', addresses: ['10.0.0.300/24', '10.1.0.1', '10.2.0.0/24', '10.3.0.255/24', '10.4.0.1/33', '127.0.0.2/8', '224.0.0.1/24', 'fd00::1', 'ff02::1/64', '10.5.0.0/31', 'fd00::/64'] }],
  });
  has(list, 'bridges[0].addresses[0]', /"10\.0\.0\.300" is not a valid IP address/);
  has(list, 'bridges[0].addresses[1]', /needs a prefix length, e\.g\. "10\.1\.0\.1\/24"/);
  has(list, 'bridges[0].addresses[2]', /network address of 10\.2\.0\.0\/24/);
  has(list, 'bridges[0].addresses[3]', /broadcast address of 10\.3\.0\.0\/24/);
  has(list, 'bridges[0].addresses[4]', /prefix length "33" is not 0\.\.32/);
  has(list, 'bridges[0].addresses[5]', /loopback/);
  has(list, 'bridges[0].addresses[6]', /multicast/);
  has(list, 'bridges[0].addresses[7]', /e\.g\. "fd00::1\/64"/);
  has(list, 'bridges[0].addresses[8]', /multicast/);
  assert.not.ok(list.some((p) => p.startsWith('bridges[0].addresses[9]')), '/31 has no network address');
  assert.not.ok(list.some((p) => p.startsWith('bridges[0].addresses[10]')), 'IPv6 subnet-router anycast is allowed');
});

test('the same address in two places, overlapping subnets, prefix lengths that disagree on a wire', () => {
  const list = problems({
    name: 'o',
    namespaces: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
    veths: [
      { a: { name: 'v1', namespace: 'a', addresses: ['10.0.0.1/24'] }, b: { name: 'v1', namespace: 'b', addresses: ['10.0.0.2/16'] } },
      { a: { name: 'v2', namespace: 'a', addresses: ['10.0.0.129/25'] }, b: { name: 'v2', namespace: 'c', addresses: ['10.0.0.2/25'] } },
      { a: { name: 'v3', namespace: 'b', addresses: ['FD00::1/64'] }, b: { name: 'v3', namespace: 'c', addresses: ['fd00::1/64'] } },
    ],
  });
  has(list, 'veths[0].b.addresses[0]', /10\.0\.0\.2\/16 says \/16 but veths\[0\]\.a\.addresses\[0\] on the same wire says \/24/);
  has(list, 'veths[1].a.addresses[0]', /subnet 10\.0\.0\.128\/25 overlaps 10\.0\.0\.0\/24 of v1 .* in namespace "a"/);
  has(list, 'veths[1].b.addresses[0]', /10\.0\.0\.2 is also at veths\[0\]\.b\.addresses\[0\]/);
  has(list, 'veths[2].b.addresses[0]', /fd00::1 is also at veths\[2\]\.a\.addresses\[0\]/);
  // Separate wires in separate namespaces may reuse a subnet (different addresses).
  assert.ok(validate({
    name: 'ok', namespaces: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }],
    veths: [
      { a: { name: 'v', namespace: 'a', addresses: ['10.0.0.1/24'] }, b: { name: 'v', namespace: 'b', addresses: ['10.0.0.2/24'] } },
      { a: { name: 'v', namespace: 'c', addresses: ['10.0.0.3/24'] }, b: { name: 'v', namespace: 'd', addresses: ['10.0.0.4/24'] } },
    ],
  }).ok);
});

test('routes: destinations, gateways on no subnet, unknown devices, sources, duplicates', () => {
  const d = {
    name: 'r',
    namespaces: [
      {
        name: 'red',
        routes: [
          { to: 'default', via: '10.0.1.1' },
          { to: '10.0.2.0/24', via: '10.0.3.1' },
          { to: '10.0.4.5/24', via: '10.0.1.1' },
          { to: 'nowhere', dev: 'eth0' },
          { to: '10.0.5.0/24', dev: 'eht0' },
          { to: '10.0.6.0/24' },
          { to: 'fd00:2::/64', via: '10.0.1.1' },
          { to: '10.0.7.0/24', via: '10.0.1.2' },
          { to: '10.0.8.0/24', dev: 'eth0', src: '10.0.9.9' },
          { to: '0.0.0.0/0', via: '10.0.1.1' },
          { to: '10.0.10.0/24', via: '10.0.1.1', metric: -1 },
        ],
      },
      { name: 'router' },
    ],
    veths: [{ a: { name: 'eth0', namespace: 'red', addresses: ['10.0.1.2/24'] }, b: { name: 'eth-red', namespace: 'router', addresses: ['10.0.1.1/24'] } }],
  };
  const list = problems(d);
  const at = (k: number) => `namespaces[0].routes[${k}]`;
  has(list, `${at(1)}.via`, /gateway 10\.0\.3\.1 is not on any subnet of namespace "red" \(10\.0\.1\.0\/24 on eth0\)/);
  has(list, `${at(2)}.to`, /has host bits set; did you mean 10\.0\.4\.0\/24\?/);
  has(list, `${at(3)}.to`, /not a valid IP address; expected "default" or a prefix/);
  has(list, `${at(4)}.dev`, /no interface "eht0" in namespace "red" \(did you mean "eth0"\?\)/);
  has(list, at(5), /a route needs a gateway \(via\), an interface \(dev\), or both/);
  has(list, `${at(6)}.via`, /gateway 10\.0\.1\.1 is IPv4, the destination IPv6/);
  has(list, `${at(7)}.via`, /10\.0\.1\.2 is this namespace's own address/);
  has(list, `${at(8)}.src`, /10\.0\.9\.9 is not an address of namespace "red"/);
  has(list, at(9), /the same route as routes\[0\]/);
  has(list, `${at(10)}.metric`, /-1 is out of range/);
  assert.is(list.filter((p) => p.startsWith(at(0))).length, 0, 'the default route is fine');
});

test('a gateway on a link the lab leaves down', () => {
  const list = problems({
    name: 'r',
    namespaces: [{ name: 'a', routes: [{ to: 'default', via: '10.0.0.2' }] }, { name: 'b' }],
    veths: [{ a: { name: 'v', namespace: 'a', addresses: ['10.0.0.1/24'], up: false }, b: { name: 'v', namespace: 'b', addresses: ['10.0.0.2/24'] } }],
  });
  has(list, 'namespaces[0].routes[0].via', /reached through v, which the lab leaves down/);
});

test('sysctls: only net.*, values on one line, no contradiction with forwarding', () => {
  const list = problems({
    name: 's',
    namespaces: [{ name: 'a', forwarding: true, sysctls: { 'kernel.hostname': 'x', 'net.ipv4.ip_forward': 0, 'net..x': 1, 'net.core.somaxconn': 'a\nb', 'net.ipv4.conf.all.rp_filter': 2, 'net.ipv6.conf.all.disable_ipv6': true } }],
  });
  has(list, 'namespaces[0].sysctls["kernel.hostname"]', /is not a net\.\* sysctl/);
  has(list, 'namespaces[0].sysctls["net.ipv4.ip_forward"]', /contradicts forwarding: true/);
  has(list, 'namespaces[0].sysctls["net..x"]', /is not a sysctl name/);
  has(list, 'namespaces[0].sysctls["net.core.somaxconn"]', /on one line/);
  assert.is(list.length, 4);
});

test('qdiscs: unknown kinds, unknown options, bad values, tc\'s rules', () => {
  const link = (qdisc: unknown) => ({ name: 'l', namespaces: [{ name: 'a' }, { name: 'b' }], veths: [{ a: { name: 'v', namespace: 'a', qdisc }, b: { name: 'v', namespace: 'b' } }] });
  const q = 'veths[0].a.qdisc';
  has(problems(link({ kind: 'netme', delay: '100ms' })), `${q}.kind`, /unknown qdisc kind "netme"; a lab knows netem, tbf, htb, pfifo, bfifo/);
  has(problems(link({ delay: '100ms' })), `${q}.kind`, /required, missing/);
  has(problems(link({ kind: 'netem', dealy: '100ms' })), `${q}.dealy`, /unknown key \(did you mean "delay"\?\)/);
  has(problems(link({ kind: 'netem', delay: '100' })), `${q}.delay`, /not a time/);
  has(problems(link({ kind: 'netem', jitter: '10ms' })), `${q}.jitter`, /needs a delay/);
  has(problems(link({ kind: 'netem', loss: '101%' })), `${q}.loss`, /more than 100%/);
  has(problems(link({ kind: 'netem', loss: 150 })), `${q}.loss`, /percentage 0\.\.100/);
  has(problems(link({ kind: 'tbf', rate: '1mbit', burst: '32kbit' })), q, /exactly one of latency and limit/);
  has(problems(link({ kind: 'tbf', rate: 'fast', burst: '32kbit', latency: '400ms' })), `${q}.rate`, /not a rate/);
  has(problems(link({ kind: 'tbf', burst: '32kbit', latency: '400ms' })), `${q}.rate`, /required, missing/);
  has(problems(link({ kind: 'htb', default: 30, classes: [{ id: 10, rate: '1mbit' }, { id: 10, rate: '2mbit', parent: 20 }] })), `${q}.classes[1].id`, /class 1:10 is already classes\[0\]/);
  has(problems(link({ kind: 'htb', default: 30, classes: [{ id: 10, rate: '1mbit' }] })), `${q}.default`, /no class 1:30/);
  has(problems(link({ kind: 'htb', classes: [{ id: 10, rate: '1mbit', parent: 20 }] })), `${q}.classes[0].parent`, /no class 1:20/);
  has(problems(link({ kind: 'pfifo', limit: 0 })), `${q}.limit`, /out of range/);
  for (const good of [
    { kind: 'netem', delay: '100ms', jitter: '10ms', loss: '1%', duplicate: 0.5, rate: '10mbit', limit: 1000 },
    { kind: 'tbf', rate: '1mbit', burst: '32kbit', latency: '400ms' },
    { kind: 'tbf', rate: '100kbps', burst: 1600, limit: '10kb' },
    { kind: 'htb', default: 20, classes: [{ id: 1, rate: '10mbit' }, { id: 10, rate: '1mbit', ceil: '5mbit', parent: 1 }, { id: 20, rate: '2mbit', parent: 1 }] },
    { kind: 'bfifo', limit: 10000 },
  ]) assert.ok(validate(link(good)).ok, JSON.stringify(good));
});

test('DNS: nameservers, search domains, hosts', () => {
  const list = problems({
    name: 'd',
    namespaces: [{ name: 'a', dns: { nameservers: ['10.0.0.1', 'dns.example'], search: ['lab.test', 'bad_domain'], hosts: { 'good-host': '10.0.0.2', 'bad host': '10.0.0.3', x: 'nope' }, zone: 1 } }],
  });
  has(list, 'namespaces[0].dns.nameservers[1]', /not a valid IP address/);
  has(list, 'namespaces[0].dns.search[1]', /not a domain name/);
  has(list, 'namespaces[0].dns.hosts["bad host"]', /not a host name/);
  has(list, 'namespaces[0].dns.hosts["x"]', /not a valid IP address/);
  has(list, 'namespaces[0].dns.zone', /unknown key/);
  assert.is(list.length, 5);
});

test('mtu and mac', () => {
  const d = (end: Record<string, unknown>) => ({ name: 'm', namespaces: [{ name: 'a' }], veths: [{ a: { name: 'v0', namespace: 'a', ...end }, b: { name: 'v1', namespace: 'a' } }] });
  has(problems(d({ mtu: 20 })), 'veths[0].a.mtu', /out of range 68\.\.65535/);
  has(problems(d({ mac: '01:00:5e:00:00:01' })), 'veths[0].a.mac', /multicast/);
  has(problems(d({ mac: '00:00:00:00:00:00' })), 'veths[0].a.mac', /all zeros/);
  has(problems(d({ mac: 'aa:bb:cc' })), 'veths[0].a.mac', /has 3 bytes, expected 6/);
  assert.ok(validate(d({ mac: '02:00:00:00:00:01', mtu: 9000 })).ok);
});

test.run();
