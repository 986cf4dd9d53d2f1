// Compares what we send with what iproute2 sent for the same command: the
// library given a typed input, and the CLI given the fixture's own words.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Rtnl } from '../../src/client.js';
import { NLM_F_ACK } from '../../src/generated/linux/netlink.js';
import { parseGlobal, matches } from '../../src/cli/args.js';
import { addrCommand } from '../../src/cli/commands/addr.js';
import { routeCommand } from '../../src/cli/commands/route.js';
import { fakeRtnl } from './fake-rtnl.js';
import { hexdump, listFixtures, loadFixture, normalize } from './fixtures.js';
import { quietOutput } from './quiet-output.js';

/**
 * The message of the fixture's last type, seq and port id zeroed. NLM_F_ACK
 * is left out of the comparison: our socket asks every request for one,
 * iproute2 does not ask lookups.
 */
function comparable(m: Buffer): Buffer {
  const b = normalize(m);
  b.writeUInt16LE(b.readUInt16LE(6) & ~NLM_F_ACK, 6);
  return b;
}

/** The type of the command's own request: its last message that is not a link lookup (RTM_GETLINK). */
export function mainType(file: string): number {
  const f = loadFixture(file);
  return [...f.messages].reverse().find((m) => m.type !== 18)?.type ?? 18;
}

function expected(file: string): { bytes: Buffer; type: number } {
  const f = loadFixture(file);
  const type = mainType(file);
  const m = [...f.messages].reverse().find((x) => x.type === type)!;
  return { bytes: comparable(Buffer.from(m.hex, 'hex')), type };
}

function check(file: string, sent: Buffer, how: string): void {
  const want = expected(file).bytes;
  const got = comparable(sent);
  const f = loadFixture(file);
  assert.is(hexdump(got), hexdump(want), `${how}: ${f.command}`);
}

/** Runs `act` against a fake kernel and compares the request with the fixture's. */
export async function libraryMatches(file: string, act: (nl: Rtnl) => Promise<unknown>): Promise<void> {
  const fake = fakeRtnl();
  await act(fake.nl);
  check(file, fake.last(expected(file).type), 'library');
}


/** Runs the fixture's own command line through our CLI and compares. */
export async function cliMatches(file: string): Promise<void> {
  const f = loadFixture(file);
  const words = f.command.split(' ');
  assert.is(words[0], 'ip');
  const { opts, rest } = parseGlobal(words.slice(1));
  const [object, ...args] = rest;
  const fake = fakeRtnl();
  if (matches(object, 'address')) await addrCommand(fake.nl, args, opts, quietOutput);
  else if (matches(object, 'route')) await routeCommand(fake.nl, args, opts, quietOutput);
  else throw new Error(`${file}: not an address or route command`);
  check(file, fake.last(expected(file).type), 'CLI');
}

/** Two tests per fixture of a family (library from `cases`, CLI from the fixture's words), and a check that every fixture has a case. */
export function fixtureSuite(family: string, cases: Record<string, (nl: Rtnl) => Promise<unknown>>): void {
  const files = listFixtures(family);
  const name = (f: string): string => f.slice(family.length + 1).replace(/\.json$/, '');
  test(`every ${family} fixture has a library case`, () => {
    for (const f of files) assert.ok(cases[name(f)], `no case for ${f}`);
  });
  for (const f of files) {
    test(`library: ${name(f)}`, () => libraryMatches(f, cases[name(f)]!));
    test(`CLI: ${name(f)}`, () => cliMatches(f));
  }
}
