// Filters and their actions in the shape tc 6.1 prints them (print_filter,
// each classifier's print_fopt, tc_print_action and each action's
// print_aopt), for `filter show` and `filter show --json`.
import { HZ } from '../../generated/asm/param.js';
import type { Action } from '../../rtnl/tc/actions/action.js';
import type { ActionTimes } from '../../rtnl/tc/actions/times.js';
import type { Control } from '../../rtnl/tc/actions/control.js';
import type { GactOptions } from '../../rtnl/tc/actions/gact.js';
import type { MirredOptions } from '../../rtnl/tc/actions/mirred.js';
import { type Filter, formatFilterHandle } from '../../rtnl/tc/filter.js';
import type { BpfOptions } from '../../rtnl/tc/filters/bpf.js';
import type { MatchallOptions } from '../../rtnl/tc/filters/matchall.js';
import { type ClsFlags, type U32Options, formatU32Handle } from '../../rtnl/tc/filters/u32.js';
import { TcPrinter } from '../../rtnl/tc/printer.js';
import { hex0x } from '../../rtnl/json-values.js';
import { putStats, statsText } from './stats.js';

export interface FilterShowContext {
  devName(ifindex: number): string;
  stats: boolean;
  /** What the listing was restricted to: tc leaves those fields out. */
  oneDev: boolean;
  parent?: string;
  protocol?: string | number;
  priority?: number;
  chain?: number;
}

const CLSACT_INGRESS = 'ffff:fff2';
const CLSACT_EGRESS = 'ffff:fff3';

export function filterToTc(f: Filter, ctx: FilterShowContext): TcPrinter {
  const p = new TcPrinter();
  p.onlyText('filter ');
  if (!ctx.oneDev) p.any('dev', ctx.devName(f.ifindex), `dev ${ctx.devName(f.ifindex)} `);
  if (ctx.parent === undefined || ctx.parent !== f.parent) {
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
      const printer = filterPrinters[f.kind];
      if (printer && !Buffer.isBuffer(f.options)) printer(o, f.options as never, f.handle, ctx);
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

type FilterPrinter<T> = (p: TcPrinter, o: T, handle: number, ctx: FilterShowContext) => void;

function clsFlagsOut(p: TcPrinter, f: ClsFlags | undefined, sep: string): void {
  if (!f) return;
  if (f.skipHw) p.any('skip_hw', true, `${sep}skip_hw `);
  if (f.skipSw) p.any('skip_sw', true, `${sep}skip_sw `);
  if (f.inHw) p.any('in_hw', true, `${sep}in_hw `);
  else if (f.notInHw) p.any('not_in_hw', true, `${sep}not_in_hw `);
}

const hex = (n: number): string => n.toString(16);

const u32: FilterPrinter<U32Options> = (p, o, handle, ctx) => {
  if (handle) p.any('fh', formatU32Handle(handle), `fh ${formatU32Handle(handle)} `);
  if (handle & 0xfff) p.any('order', handle & 0xfff, `order ${handle & 0xfff} `);
  if (o.divisor !== undefined) p.any('ht_divisor', o.divisor, `ht divisor ${o.divisor} `);
  else if (o.hash !== undefined) p.any('key_ht', hex((o.hash >>> 20) & 0xfff), `key ht ${hex((o.hash >>> 20) & 0xfff)} `).any('bkt', hex((o.hash >>> 12) & 0xff), `bkt ${hex((o.hash >>> 12) & 0xff)} `);
  if (o.classid !== undefined) p.onlyText(o.sel?.terminal ? '*' : '').any('flowid', o.classid, `flowid ${o.classid} `);
  else if (o.sel?.terminal) p.onlyText('terminal flowid ');
  if (o.link !== undefined) p.any('link', formatU32Handle(o.link), `link ${formatU32Handle(o.link)} `);
  clsFlagsOut(p, o.flags, '');
  if (o.sel && ctx.stats && o.pcnt) p.any('rule_hit', o.pcnt.rcnt, `(rule hit ${o.pcnt.rcnt} `).any('success', o.pcnt.rhit, `success ${o.pcnt.rhit})`);
  if (o.mark) {
    p.any('fwmark_value', hex0x(o.mark.val), `\n  mark 0x${hex(o.mark.val).padStart(4, '0')} `)
      .any('fwmark_mask', hex0x(o.mark.mask), `0x${hex(o.mark.mask).padStart(4, '0')} `)
      .any('fwmark_success', o.mark.success, `(success ${o.mark.success})`);
  }
  if (o.sel) {
    o.sel.keys.forEach((k, i) => {
      p.nest('match', (m) => {
        m.any('value', hex(k.val), `\n  match ${hex(k.val).padStart(8, '0')}`).any('mask', hex(k.mask), `/${hex(k.mask).padStart(8, '0')} `)
          .any('offmask', k.offmask ? 'nexthdr+' : '', `at ${k.offmask ? 'nexthdr+' : ''}`).any('off', k.off, `${k.off}`);
        if (ctx.stats && o.pcnt) m.any('success', o.pcnt.kcnts[i] ?? 0, ` (success ${o.pcnt.kcnts[i] ?? 0} ) `);
      });
    });
    if (o.sel.flags & 6) {
      p.onlyText('\n    offset ');
      if (o.sel.flags & 4) {
        p.any('offset_mask', hex(o.sel.offmask), hex(o.sel.offmask).padStart(4, '0')).any('offset_shift', o.sel.offshift, `>>${o.sel.offshift} `)
          .any('offset_off', o.sel.offoff, `at ${o.sel.offoff} `);
      }
      if (o.sel.off) p.any('plus', o.sel.off, `plus ${o.sel.off} `);
    }
    if (o.sel.flags & 8) p.onlyText(' eat ');
    if (o.sel.hmask) p.any('hash_mask', hex(o.sel.hmask), `\n    hash mask ${hex(o.sel.hmask).padStart(8, '0')} `).any('hash_off', o.sel.hoff, `at ${o.sel.hoff} `);
  }
  if (o.indev !== undefined) p.any('input_dev', o.indev, `\n  input dev ${o.indev}\n`);
  if (o.actions) actionsOut(p, o.actions, ctx);
};

const matchall: FilterPrinter<MatchallOptions> = (p, o, handle, ctx) => {
  if (handle) p.any('handle', handle, `handle 0x${hex(handle)} `);
  if (o.classid !== undefined) p.any('flowid', o.classid, `flowid ${o.classid} `);
  clsFlagsOut(p, o.flags, '\n  ');
  if (ctx.stats && o.hits !== undefined) p.any('rule_hit', o.hits, ` (rule hit ${o.hits})`);
  if (o.actions) actionsOut(p, o.actions, ctx);
};

const bpf: FilterPrinter<BpfOptions> = (p, o, handle, ctx) => {
  if (handle) p.any('handle', hex0x(handle), `handle ${hex0x(handle)} `);
  if (o.classid !== undefined) p.any('flowid', o.classid, `flowid ${o.classid} `);
  if (o.name !== undefined) p.any('bpf_name', o.name, `${o.name} `);
  if (o.directAction) p.any('direct-action', true, 'direct-action ');
  clsFlagsOut(p, o.flags, '');
  // tc asks the kernel for the program's name and jit state; we print what the filter dump carries.
  if (o.id !== undefined) p.nest('prog', (q) => q.any('id', o.id, `id ${o.id} `).any('tag', o.tag, o.tag === undefined ? undefined : `tag ${o.tag} `));
  else if (o.tag !== undefined) p.any('tag', o.tag, `tag ${o.tag} `);
  if (o.actions) actionsOut(p, o.actions, ctx);
};

const filterPrinters: Record<string, FilterPrinter<never>> = { u32, matchall, bpf } as Record<string, FilterPrinter<never>>;

export { formatFilterHandle };

// ── actions ─────────────────────────────────────────────────────────────

function controlOut(p: TcPrinter, c: Control, prefix: string, suffix: string): void {
  p.onlyText(prefix);
  p.nest('control_action', (o) => {
    if (typeof c === 'object') {
      if ('goto' in c) o.any('type', 'goto', 'goto').any('chain', c.goto, ` chain ${c.goto}`);
      else o.any('type', 'jump', 'jump').any('jump', c.jump, ` ${c.jump}`);
    } else {
      o.any('type', String(c), String(c));
    }
  });
  p.onlyText(suffix);
}

type ActionPrinter<T> = (p: TcPrinter, o: T, ctx: FilterShowContext) => void;

/** print_tm: the kernel reports clock ticks (USER_HZ); tc prints whole seconds. */
function timesOut(p: TcPrinter, tm: ActionTimes | undefined, ctx: FilterShowContext): void {
  if (!ctx.stats || !tm) return;
  const sec = (t: number): number => Math.floor(t / HZ);
  if (tm.install) p.any('installed', sec(tm.install), ` installed ${sec(tm.install)} sec`);
  if (tm.lastuse) p.any('last_used', sec(tm.lastuse), ` used ${sec(tm.lastuse)} sec`);
  if (tm.firstuse) p.any('first_used', sec(tm.firstuse), ` firstused ${sec(tm.firstuse)} sec`);
  if (tm.expires) p.any('expires', sec(tm.expires), ` expires ${sec(tm.expires)} sec`);
}

const mirred: ActionPrinter<MirredOptions> = (p, o, ctx) => {
  const dir = o.direction === 'unknown' ? 'unknown' : o.direction === 'egress' ? 'Egress' : 'Ingress';
  const act = o.action === 'unknown' ? 'unknown' : o.action === 'redirect' ? 'Redirect' : 'Mirror';
  p.onlyText(`(${dir} ${act}`).onlyJson('mirred_action', o.action).onlyJson('direction', o.direction)
    .any('to_dev', ctx.devName(o.ifindex), ` to device ${ctx.devName(o.ifindex)})`);
  controlOut(p, o.control, ' ', '');
  p.any('index', o.index, `\n \tindex ${o.index}`).any('ref', o.refcnt, ` ref ${o.refcnt}`).any('bind', o.bindcnt, ` bind ${o.bindcnt}`);
  timesOut(p, o.tm, ctx);
};

const gact: ActionPrinter<GactOptions> = (p, o, ctx) => {
  controlOut(p, o.action, 'action ', '');
  const r = o.random ?? { type: 'none', action: 'pass', value: 0 };
  p.nest('prob', (q) => {
    q.any('random_type', typeof r.type === 'number' ? 'none' : r.type, `\n\t random type ${typeof r.type === 'number' ? 'none' : r.type}`);
    controlOut(q, r.action, ' ', ' ');
    q.any('val', r.value, `val ${r.value}`);
  });
  p.any('index', o.index, `\n\t index ${o.index}`).any('ref', o.refcnt, ` ref ${o.refcnt}`).any('bind', o.bindcnt, ` bind ${o.bindcnt}`);
  timesOut(p, o.tm, ctx);
};

const actionPrinters: Record<string, ActionPrinter<never>> = { mirred, gact } as Record<string, ActionPrinter<never>>;

function actionsOut(p: TcPrinter, actions: Action[], ctx: FilterShowContext): void {
  p.list('actions', actions.map((a) => (q: TcPrinter) => {
    q.any('order', a.order, `\n\taction order ${a.order}: `);
    q.any('kind', a.kind, `${a.kind} `);
    const printer = actionPrinters[a.kind];
    if (printer && a.options !== undefined && !Buffer.isBuffer(a.options)) printer(q, a.options as never, ctx);
    if (ctx.stats && a.stats) {
      q.onlyText('\n\tAction statistics:\n');
      q.nest('stats', (s) => {
        putStats(s.json, a.stats!);
        s.onlyText(statsText(a.stats!, '\t'));
      });
    }
    if (a.cookie !== undefined) q.any('cookie', a.cookie, `\n\tcookie ${a.cookie}`);
    if (a.flags?.noPercpu !== undefined) q.any('no_percpu', a.flags.noPercpu, '\tno_percpu');
    if (a.hwStats) q.any('hw_stats', [...a.hwStats], `\thw_stats ${a.hwStats.join(' ')}`);
    if (a.usedHwStats) q.any('used_hw_stats', [...a.usedHwStats], `\tused_hw_stats ${a.usedHwStats.join(' ')}`);
  }));
}
