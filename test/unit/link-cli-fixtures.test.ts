// Every link fixture: our CLI reads the same command line iproute2 ran and
// sends, through the library, the same request bytes (seq and port aside).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseLinkCommand } from '../../src/cli/link-args.js';
import { applyLinkCommand } from '../../src/cli/commands/link.js';
import { fakeLinks } from '../helpers/fake-links.js';
import { hexdump, listFixtures, loadFixture, requestOf } from '../helpers/fixtures.js';

/** The indexes the fixture's setup gave its links in a fresh namespace (lo is 1; a veth peer comes first). */
function indexesAfter(setup: string[]): Record<string, number> {
  const links: Record<string, number> = { lo: 1 };
  let next = 2;
  for (const cmd of setup) {
    const veth = /^ip link add (\S+) type veth peer name (\S+)/.exec(cmd);
    if (veth) { links[veth[2]!] = next++; links[veth[1]!] = next++; continue; }
    const add = /^ip link add (\S+)/.exec(cmd);
    if (add) links[add[1]!] = next++;
  }
  return links;
}

const files = listFixtures('link');

test('there are link fixtures for every verb', () => {
  assert.ok(files.length >= 30, `${files.length} fixtures`);
});

for (const file of files) {
  const f = loadFixture(file);
  test(`${file}: ${f.command}`, async () => {
    const [, object, verb, ...words] = f.command.split(' ');
    assert.is(object, 'link');
    const links = indexesAfter(f.setup);
    const fake = fakeLinks(links);
    const cmd = await parseLinkCommand(verb === 'add' ? 'add' : verb === 'set' ? 'set' : 'del', words, {
      index: async (name) => links[name] ?? 0,
      // The fixtures' namespace files were opened as fd 4 by iproute2.
      netnsFd: (name) => (['nlts-ns', 'nlts-fx', '/run/netns/nlts-fx'].includes(name) ? 4 : undefined),
    });
    await applyLinkCommand(fake.nl, cmd);
    const type = verb === 'del' ? 17 : 16;
    assert.is(hexdump(fake.last(type)), hexdump(requestOf(f, type)));
  });
}

test.run();
