// `netlink-ts chain show { dev NAME [ parent P ] | block N }`, as `tc chain
// show`: tc lists chains with an RTM_GETCHAIN dump of the same tcmsg a filter
// listing sends, and prints each with print_filter's head ("chain", the device
// or block, the parent, "chain N"). Adding and deleting chains is not in the
// library yet, and is refused as such.
import { chainFamily } from '../../api/families/chain.js';
import type { Rtnl } from '../../client.js';
import { RTM_GETCHAIN, TCM_IFINDEX_MAGIC_BLOCK } from '../../generated/linux/rtnetlink.js';
import { filterDumpRequest, parseFilterParent } from '../../rtnl/tc/filter.js';
import { formatHandle, parseClassid } from '../../rtnl/tc/handles.js';
import { TcPrinter } from '../../rtnl/tc/printer.js';
import { Words, parseUnsigned } from '../../rtnl/words.js';
import { type GlobalOptions, UsageError, matches } from '../args.js';
import type { Output } from '../output.js';
import { devNames, printRows } from './tc-shared.js';

const BLOCK = TCM_IFINDEX_MAGIC_BLOCK | 0;

export async function chainCommand(nl: Rtnl, words: string[], opts: GlobalOptions, out: Output): Promise<void> {
  const verb = words[0] ?? 'show';
  if (!(matches(verb, 'show') || matches(verb, 'list') || matches(verb, 'lst'))) {
    throw new UsageError(`chain ${verb}: adding, deleting and getting chains (RTM_NEWCHAIN/RTM_DELCHAIN/RTM_GETCHAIN) is not in this version; chain show lists them, and a filter added with "chain N" makes its chain`);
  }
  const w = new Words(words.slice(1), 'chain show');
  let dev: string | undefined;
  let block: number | undefined;
  let parent: string | undefined;
  while (!w.done) {
    const k = w.next();
    if (k === 'dev') dev = w.value(k);
    else if (matches(k, 'block')) {
      const v = w.value(k);
      const n = parseUnsigned(v);
      if (n === undefined || n === 0 || n > 0xffffffff) throw new UsageError(`Error: argument "${v}" is wrong: invalid block index value`);
      block = n;
    } else if (k === 'root' || k === 'ingress' || k === 'egress') parent = k;
    else if (k === 'parent') parent = w.value(k);
    else w.unknown(k);
  }
  if ((dev === undefined) === (block === undefined)) throw new UsageError('chain show: which device or block? (dev NAME or block N, not both)');
  const ifindex = block !== undefined ? BLOCK : await nl.ifindex(dev ?? '');
  const req = { ...filterDumpRequest({ ifindex, parent: block ?? parent }), type: RTM_GETCHAIN, operation: `chain show ${dev ?? `block ${block}`}` };
  const [chains, names] = await Promise.all([nl.socket.dump(req, chainFamily.decode), devNames(nl)]);
  const asked = parent === undefined ? undefined : formatHandle(parseFilterParent(parent, 'parent'));
  printRows(chains.map((c) => {
    const p = new TcPrinter();
    p.onlyText('chain ');
    if (c.ifindex === BLOCK) {
      const b = parseClassid(c.parent, 'parent');
      if (block === undefined || block !== b) p.any('block', b, `block ${b} `);
    } else {
      if (c.ifindex !== ifindex) p.any('dev', names(c.ifindex), `dev ${names(c.ifindex)} `);
      if (asked === undefined || asked !== c.parent) {
        if (c.parent === 'root') p.any('root', true, 'root ');
        else if (c.parent === 'ffff:fff2') p.any('ingress', true, 'ingress ');
        else if (c.parent === 'ffff:fff3') p.any('egress', true, 'egress ');
        else p.any('parent', c.parent, `parent ${c.parent} `);
      }
    }
    p.any('chain', c.chain, `chain ${c.chain} `);
    return p;
  }), opts, out);
}
