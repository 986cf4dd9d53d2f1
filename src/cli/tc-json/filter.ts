// Filters and their actions in the shape tc 6.1 prints them: print_filter
// here; each classifier's and each action's own part is printed by its kind
// module (src/rtnl/tc/filters/*, src/rtnl/tc/actions/*).
import { type Filter, formatFilterHandle } from '../../rtnl/tc/filter.js';
import { filterKindOf } from '../../rtnl/tc/filters/registry.js';
import type { TcPrintContext } from '../../rtnl/tc/kind.js';
import { TcPrinter } from '../../rtnl/tc/printer.js';
import { parseClassid } from '../../rtnl/tc/handles.js';
import { TCM_IFINDEX_MAGIC_BLOCK } from '../../generated/linux/rtnetlink.js';
import { putStats, statsText } from '../../rtnl/tc/print-stats.js';

export interface FilterShowContext extends TcPrintContext {
  /** What the listing was restricted to: tc leaves those fields out. */
  oneDev: boolean;
  parent?: string;
  protocol?: string | number;
  priority?: number;
  chain?: number;
  /** `filter show block N`: tc leaves the block out. */
  block?: number;
}

/** TCM_IFINDEX_MAGIC_BLOCK (0xffffffff) as the decoded tcm_ifindex, an int. */
export const TCM_IFINDEX_MAGIC_BLOCK_S32 = TCM_IFINDEX_MAGIC_BLOCK | 0;

const CLSACT_INGRESS = 'ffff:fff2';
const CLSACT_EGRESS = 'ffff:fff3';

export function filterToTc(f: Filter, ctx: FilterShowContext): TcPrinter {
  const p = new TcPrinter();
  p.onlyText('filter ');
  if (f.ifindex === TCM_IFINDEX_MAGIC_BLOCK_S32) {
    // A filter of a shared block: the kernel names the block (tcm_block_index, in the parent's place).
    const block = parseClassid(f.parent, 'parent');
    if (ctx.block === undefined || ctx.block !== block) p.any('block', block, `block ${block} `);
  } else if (!ctx.oneDev) p.any('dev', ctx.devName(f.ifindex), `dev ${ctx.devName(f.ifindex)} `);
  if (f.ifindex !== TCM_IFINDEX_MAGIC_BLOCK_S32 && (ctx.parent === undefined || ctx.parent !== f.parent)) {
    if (f.parent === 'root') p.any('root', true, 'root ');
    else if (f.parent === CLSACT_INGRESS) p.any('ingress', true, 'ingress ');
    else if (f.parent === CLSACT_EGRESS) p.any('egress', true, 'egress ');
    else p.any('parent', f.parent, `parent ${f.parent} `);
  }
  if (f.priority || f.protocol !== 0) {
    if (f.protocol !== 0 && (ctx.protocol === undefined || ctx.protocol !== f.protocol)) {
      const name = typeof f.protocol === 'number' ? `[${f.protocol}]` : f.protocol;
      p.any('protocol', name, `protocol ${name} `);
    }
    if (f.priority && (ctx.priority === undefined || ctx.priority !== f.priority)) p.any('pref', f.priority, `pref ${f.priority} `);
  }
  if (f.kind) p.any('kind', f.kind, `${f.kind} `);
  if (f.chain !== undefined && (ctx.chain === undefined || ctx.chain !== f.chain)) p.any('chain', f.chain, `chain ${f.chain} `);
  if (f.options !== undefined) {
    p.nest('options', (o) => {
      const kind = filterKindOf(f.kind);
      if (kind && !Buffer.isBuffer(f.options)) kind.print(o, f.options, f.handle, ctx);
      else if (f.handle || (Buffer.isBuffer(f.options) && f.options.length)) {
        o.onlyText(`fh ${f.handle.toString(16).padStart(8, '0')} [Unknown filter, optlen=${Buffer.isBuffer(f.options) ? f.options.length : 0}] `);
      }
    });
  }
  if (ctx.stats && f.stats) {
    putStats(p.json, f.stats);
    p.onlyText(`\n${statsText(f.stats)}`);
  }
  return p;
}

export { formatFilterHandle };
