// Every captured tc command line, read by our CLI's parsers and encoded by
// the library, gives the bytes tc 6.1 sent (test/fixtures/iproute2/tc).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  RTM_DELQDISC, RTM_DELTCLASS, RTM_DELTFILTER, RTM_NEWQDISC, RTM_NEWTCLASS, RTM_NEWTFILTER,
} from '../../src/generated/linux/rtnetlink.js';
import { parseClassModify } from '../../src/cli/commands/class.js';
import { parseFilterModify } from '../../src/cli/commands/filter.js';
import { parseQdiscModify } from '../../src/cli/commands/qdisc.js';
import { modifyVerb } from '../../src/cli/commands/tc-shared.js';
import { classRequest } from '../../src/rtnl/tc/class.js';
import { filterRequest } from '../../src/rtnl/tc/filter.js';
import type { EncodeContext } from '../../src/rtnl/tc/kind.js';
import { DEFAULT_CLOCK, setPschedClock } from '../../src/rtnl/tc/psched.js';
import { qdiscRequest } from '../../src/rtnl/tc/qdisc.js';
import type { Request } from '../../src/netlink/request.js';
import { hexdump, listFixtures, loadFixture, requestOf } from '../helpers/fixtures.js';
import { fixtureIfindex, requestBytes } from '../helpers/tc.js';

setPschedClock(DEFAULT_CLOCK);

// The capture namespaces create nlts-a / nlts-b first, then nlts-ifb.
const INDEXES: Record<string, number> = { 'nlts-b': 2, 'nlts-a': 3, 'nlts-ifb': 4 };
const ctx: EncodeContext = { ifindex: (n) => INDEXES[n] ?? 0, speedMbit: () => 10000 };

const TYPES: Record<string, [number, number]> = {
  qdisc: [RTM_NEWQDISC, RTM_DELQDISC], class: [RTM_NEWTCLASS, RTM_DELTCLASS], filter: [RTM_NEWTFILTER, RTM_DELTFILTER],
};

const fixtures = listFixtures('tc');

test('at least 30 tc command lines are covered, some this kernel refuses', () => {
  assert.ok(fixtures.length >= 30, `${fixtures.length} fixtures`);
  assert.ok(fixtures.some((f) => loadFixture(f).status !== 0));
});

for (const file of fixtures) {
  const f = loadFixture(file);
  test(`${file}: ${f.command}`, () => {
    const [tool, object, verbWord, ...words] = f.command.split(' ');
    assert.is(tool, 'tc');
    const verb = modifyVerb(verbWord!, true)!;
    const [newType, delType] = TYPES[object!]!;
    const type = verb === 'delete' ? delType : newType;
    const ifindex = fixtureIfindex(f, type);
    let req: Request;
    if (object === 'qdisc') {
      const { dev, ...q } = parseQdiscModify(words);
      void dev;
      req = qdiscRequest(verb, { ...q, ifindex } as never, ctx);
    } else if (object === 'class') {
      const { dev, ...c } = parseClassModify(words);
      void dev;
      req = classRequest(verb as never, { ...c, ifindex } as never, ctx);
    } else {
      const { dev, ...x } = parseFilterModify(words);
      void dev;
      req = filterRequest(verb as never, { ...x, ifindex } as never, ctx);
    }
    assert.is(hexdump(requestBytes(req)), hexdump(requestOf(f, type)), f.command);
  });
}

test.run();
