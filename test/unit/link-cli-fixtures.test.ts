// Every link fixture: our CLI reads the same command line iproute2 ran and
// sends, through the library, the same request bytes (seq and port aside).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseLinkCommand, parseLinkPropertyCommand } from '../../src/cli/link-args.js';
import { RTM_DELLINKPROP, RTM_NEWLINKPROP } from '../../src/generated/linux/rtnetlink.js';
import { applyLinkCommand } from '../../src/cli/commands/link.js';
import { fakeLinks } from '../helpers/fake-links.js';
import { fixtureNetnsFd, hexdump, indexesAfter, listFixtures, loadFixture, requestOf } from '../helpers/fixtures.js';

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
    const ctx = { index: async (name: string) => links[name] ?? 0, netnsFd: fixtureNetnsFd };
    const cmd = verb === 'property' ? await parseLinkPropertyCommand(words, ctx)
      : await parseLinkCommand(verb === 'add' ? 'add' : verb === 'set' ? 'set' : 'del', words, ctx);
    await applyLinkCommand(fake.nl, cmd);
    const type = verb === 'property' ? (words[0] === 'add' ? RTM_NEWLINKPROP : RTM_DELLINKPROP) : verb === 'del' ? 17 : 16;
    assert.is(hexdump(fake.last(type)), hexdump(requestOf(f, type)));
  });
}

test.run();
