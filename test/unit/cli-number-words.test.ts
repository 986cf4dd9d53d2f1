// Numbers, masks and realms on the command line: a word with something after
// the number is refused in ip's words (what iproute2 6.1 prints for the same
// input), never cut short silently.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../src/cli/args.js';
import { labCommand } from '../../src/cli/commands/lab.js';
import { parseQdiscModify } from '../../src/cli/commands/qdisc.js';
import { parseRouteChange } from '../../src/cli/commands/route.js';
import { parseRuleModify, parseRuleShow } from '../../src/cli/commands/rule.js';
import { quietOutput } from '../helpers/quiet-output.js';

/** The call throws a UsageError whose message is exactly `message`. */
function refuses(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof UsageError && e.message === message, message);
}

test('rule fwmark MARK/MASK: what follows the first "/" is the mask, as ip reads it', () => {
  // ip rule add fwmark 1/2/3 → Error: argument "2/3" is wrong: fwmask value is invalid
  for (const parse of [(w: string[]) => parseRuleModify('add', w, {}), (w: string[]) => parseRuleShow(w, {})]) {
    refuses(() => parse(['fwmark', '1/2/3']), 'fwmask value is invalid: "2/3"');
    refuses(() => parse(['fwmark', '0x1/0xff/junk']), 'fwmask value is invalid: "0xff/junk"');
    refuses(() => parse(['fwmark', '1/']), 'fwmask value is invalid: ""');
    refuses(() => parse(['fwmark', '/2']), 'fwmark value is invalid: ""');
    refuses(() => parse(['fwmark', '12abc']), 'fwmark value is invalid: "12abc"');
    refuses(() => parse(['fwmark', '4294967296']), 'fwmark value is invalid: "4294967296"');
    refuses(() => parse(['fwmark', '1/4294967296']), 'fwmask value is invalid: "4294967296"');
    const ok = parse(['fwmark', '0x10/0xff']) as { fwmark?: number; fwmask?: number };
    assert.equal([ok.fwmark, ok.fwmask], [0x10, 0xff]);
    const bare = parse(['fwmark', '7']) as { fwmark?: number; fwmask?: number };
    assert.equal([bare.fwmark, bare.fwmask], [7, undefined]);
  }
});

test('rule and route realms [FROM/]TO: one "/" at most, each part a realm', () => {
  // ip rule add realms 1/2/3 → Error: argument "1/2/3" is wrong: invalid realms
  for (const bad of ['1/2/3', 'a/b/c', '2x', '1/2x', '65536', '1/']) {
    refuses(() => parseRuleModify('add', ['realms', bad], {}), `invalid realms: "${bad}"`);
    // ip route add ... realms 1/2/3 → Error: argument "1/2/3" is wrong: "realm" value is invalid
    refuses(() => parseRouteChange(['198.18.0.0/24', 'realms', bad]), `"realm" value is invalid: ${bad}`);
    refuses(() => parseRouteChange(['198.18.0.0/24', 'nexthop', 'via', '198.18.0.1', 'realms', bad]), `"realm" value is invalid: ${bad}`);
  }
  assert.is(parseRuleModify('add', ['realms', '3/4'], {}).flow, (3 << 16) | 4);
  assert.is(parseRuleModify('add', ['realms', '0x10/0x20'], {}).flow, (16 << 16) | 32);
  assert.is(parseRouteChange(['198.18.0.0/24', 'realms', '3/4']).flow, (3 << 16) | 4);
  assert.is(parseRouteChange(['198.18.0.0/24', 'realms', '65535']).flow, 65535);
});

test('rule and route read realms alike: the same words accepted with the same value, the same words refused', () => {
  const flowOf = (parse: () => { flow?: number | bigint }): number | bigint | 'refused' => {
    try { return parse().flow ?? 'refused'; } catch (e) { if (e instanceof UsageError) return 'refused'; throw e; }
  };
  const words = ['0', '7', '65535', '65536', '0x10', '010', '08', '3/4', '0x10/0x20', '65535/65535', '65536/1', '1/65536',
    '/1', '1/', '1/2/3', 'unknown', 'unknown/7', 'nosuchrealm', '-1', '1e3', ' 5', ''];
  for (const word of words) {
    const rule = flowOf(() => parseRuleModify('add', ['realms', word], {}));
    const route = flowOf(() => parseRouteChange(['198.18.0.0/24', 'realms', word]));
    const nexthop = flowOf(() => parseRouteChange(['198.18.0.0/24', 'nexthop', 'via', '198.18.0.1', 'realms', word]).nexthops?.[0] as { flow?: number | bigint });
    assert.equal([route, nexthop], [rule, rule], `realms "${word}"`);
  }
});

test('rule numbers beyond 32 bits are refused in ip\'s words, not passed on', () => {
  // ip rule add pref 99999999999 → Error: argument "99999999999" is wrong: preference value is invalid
  refuses(() => parseRuleModify('add', ['pref', '99999999999'], {}), 'preference value is invalid: "99999999999"');
  refuses(() => parseRuleModify('add', ['pref', '12abc'], {}), 'preference value is invalid: "12abc"');
  assert.is(parseRuleModify('add', ['pref', '4294967295'], {}).priority, 4294967295);
});

test('qdisc ingress_block / egress_block: a number, not whatever Number() makes of the word', () => {
  // tc qdisc add dev lo ingress_block 12abc clsact → Error: argument "12abc" is wrong: invalid ingress block index value
  for (const bad of ['12abc', '', '1e3', ' 5', '0x', '4294967296']) {
    refuses(() => parseQdiscModify(['dev', 'lo', 'ingress_block', bad, 'clsact']), `invalid ingress block index value: "${bad}"`);
    refuses(() => parseQdiscModify(['dev', 'lo', 'egress_block', bad, 'clsact']), `invalid egress block index value: "${bad}"`);
  }
  const q = parseQdiscModify(['dev', 'lo', 'ingress_block', '0x10', 'egress_block', '22', 'clsact']) as { ingressBlock?: number; egressBlock?: number };
  assert.equal([q.ingressBlock, q.egressBlock], [16, 22]);
});

test('lab ping --timeout: digits only', async () => {
  const out = quietOutput;
  const opts = { json: false, stats: false, pretty: false, details: false };
  for (const bad of ['1e3', ' 5', '0x10', '5ms', '']) {
    const err = await labCommand(['ping', 'f.json', '--timeout', bad], opts, out, () => undefined).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof UsageError && /--timeout takes a number of milliseconds/.test(err.message), `--timeout "${bad}": ${String(err)}`);
  }
});

test.run();
