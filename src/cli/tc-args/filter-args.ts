// tc's words for classifiers (u32, matchall, bpf) and actions (mirred, gact),
// turned into the typed options the library takes, in the order tc would
// write them.
import type { ActionInput } from '../../rtnl/tc/actions/action.js';
import type { Control } from '../../rtnl/tc/actions/control.js';
import type { U32Match } from '../../rtnl/tc/filters/u32.js';
import { UsageError } from '../args.js';
import { matches as matchesWord } from '../../rtnl/words.js';
import { Words, cNumber, cSigned } from '../../rtnl/words.js';

const CONTROLS = ['continue', 'drop', 'shot', 'pass', 'ok', 'reclassify', 'pipe', 'goto', 'jump', 'trap'];

function isControl(w: string | undefined): boolean {
  return w !== undefined && CONTROLS.some((c) => matchesWord(w, c));
}

/** tc's parse_action_control: a verdict word, "goto chain N" or "jump N". */
function control(w: Words): Control {
  const word = w.next();
  const name = CONTROLS.find((c) => matchesWord(word, c));
  if (!name) throw new UsageError(`bad action type "${word}"`);
  if (name === 'goto') {
    if (!matchesWord(w.next(), 'chain')) throw new UsageError('"chain index" expected');
    return { goto: cNumber(w.next(), 'goto chain', 10) };
  }
  if (name === 'jump') return { jump: cNumber(w.next(), 'jump', 10) };
  return ({ shot: 'drop', ok: 'pass' } as Record<string, string>)[name] as Control ?? name as Control;
}

function mirred(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.peek()!;
    if (matchesWord(k, 'egress') || matchesWord(k, 'ingress')) { o.direction = matchesWord(k, 'egress') ? 'egress' : 'ingress'; w.next(); }
    else if (matchesWord(k, 'mirror') || matchesWord(k, 'redirect')) { o.action = matchesWord(k, 'mirror') ? 'mirror' : 'redirect'; w.next(); }
    else if (matchesWord(k, 'index') && o.index === undefined) { w.next(); o.index = cNumber(w.value('index'), 'mirred index', 10); if (!o.action) break; }
    else if (matchesWord(k, 'dev') && o.action) { w.next(); o.dev = w.value('dev'); break; }
    else break;
  }
  if (o.action === 'mirror' && isControl(w.peek())) o.control = control(w);
  if (w.peek() !== undefined && matchesWord(w.peek()!, 'index') && o.index === undefined) { w.next(); o.index = cNumber(w.value('index'), 'mirred index', 10); }
  return o;
}

function gact(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (w.peek() !== undefined && matchesWord(w.peek()!, 'index')) {
    w.next();
    o.index = cNumber(w.value('index'), 'gact index', 10);
    return o;
  }
  o.action = control(w);
  if (w.peek() !== undefined && matchesWord(w.peek()!, 'random')) {
    w.next();
    const t = w.next();
    const type = matchesWord(t, 'netrand') ? 'netrand' : matchesWord(t, 'determ') ? 'determ' : undefined;
    if (!type) throw new UsageError(`illegal random type "${t}"`);
    o.random = { type, action: control(w), value: cNumber(w.next(), 'gact random value', 10) };
  }
  if (w.peek() !== undefined && matchesWord(w.peek()!, 'index')) { w.next(); o.index = cNumber(w.value('index'), 'gact index', 10); }
  return o;
}

/** tc's parse_action: "action KIND ARGS [cookie HEX] [no_percpu] [skip_sw|skip_hw]" repeated. */
export function parseActions(w: Words): ActionInput[] {
  const list: ActionInput[] = [];
  while (!w.done) {
    const k = w.peek()!;
    if (k === 'action') { w.next(); continue; }
    if (k === 'flowid' || k === 'classid') break;
    let a: Record<string, unknown>;
    if (isControl(k) || matchesWord(k, 'gact')) {
      if (matchesWord(k, 'gact') && !isControl(k)) w.next();
      a = { kind: 'gact', options: gact(w) };
    } else if (matchesWord(k, 'mirred')) {
      w.next();
      a = { kind: 'mirred', options: mirred(w) };
    } else {
      break;
    }
    if (w.peek() === 'cookie') { w.next(); a.cookie = w.value('cookie'); }
    if (w.peek() !== undefined && matchesWord(w.peek()!, 'hw_stats')) { w.next(); a.hwStats = w.value('hw_stats'); }
    if (w.peek() === 'no_percpu') { w.next(); a.noPercpu = true; }
    for (let i = 0; i < 2; i++) {
      if (w.peek() === 'skip_sw') { w.next(); a.skipSw = true; } else if (w.peek() === 'skip_hw') { w.next(); a.skipHw = true; }
    }
    list.push(a as unknown as ActionInput);
    if (w.peek() !== 'action') break;
  }
  if (!list.length) throw new UsageError('action: expected mirred, gact or a verdict (drop, pass...)');
  return list;
}

// ── u32 ─────────────────────────────────────────────────────────────────

function at(w: Words, m: Record<string, unknown>): void {
  if (w.peek() !== 'at') return;
  w.next();
  let v = w.next();
  if (v === 'nexthdr+') v += w.next();
  m.at = /^nexthdr\+/.test(v) ? v : cSigned(v, 'u32 at');
}

function valueMask(w: Words, m: Record<string, unknown>): void {
  m.value = cNumber(w.next(), 'u32 match value');
  m.mask = cNumber(w.next(), 'u32 match mask', 16);
  at(w, m);
}

function selector(w: Words): U32Match {
  const what = w.next();
  const m: Record<string, unknown> = {};
  if (matchesWord(what, 'u32') || matchesWord(what, 'u16') || matchesWord(what, 'u8')) {
    const key = what.startsWith('u3') ? 'u32' : what.startsWith('u1') ? 'u16' : 'u8';
    m[key] = cNumber(w.next(), `${key} value`);
    m.mask = cNumber(w.next(), `${key} mask`, 16);
    at(w, m);
  } else if (matchesWord(what, 'ip') || matchesWord(what, 'ip6')) {
    const fam = what === 'ip6' ? 'ip6' : 'ip';
    const field = w.next();
    m[fam] = field;
    if (field === 'src' || field === 'dst') { m.value = w.next(); at(w, m); }
    else if (!['nofrag', 'firstfrag', 'df', 'mf'].includes(field)) valueMask(w, m);
  } else if (matchesWord(what, 'udp') || matchesWord(what, 'tcp') || matchesWord(what, 'icmp')) {
    const key = what.startsWith('u') ? 'udp' : what.startsWith('t') ? 'tcp' : 'icmp';
    m[key] = w.next();
    valueMask(w, m);
  } else if (matchesWord(what, 'mark')) {
    m.mark = cNumber(w.next(), 'mark value');
    m.mask = cNumber(w.next(), 'mark mask');
  } else if (matchesWord(what, 'ether')) {
    m.ether = w.next();
    m.value = w.next();
    at(w, m);
  } else {
    throw new UsageError(`illegal "match" ${what}`);
  }
  return m as U32Match;
}

function u32(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (matchesWord(k, 'match')) ((o.match ??= []) as U32Match[]).push(selector(w));
    else if (matchesWord(k, 'offset')) {
      const off: Record<string, unknown> = (o.offset ??= {}) as Record<string, unknown>;
      for (;;) {
        const x = w.peek();
        if (x === undefined) break;
        if (matchesWord(x, 'plus')) { w.next(); off.plus = cSigned(w.next(), 'offset plus'); }
        else if (matchesWord(x, 'at')) { w.next(); off.at = cSigned(w.next(), 'offset at'); }
        else if (matchesWord(x, 'mask')) { w.next(); off.mask = cNumber(w.next(), 'offset mask', 16); }
        else if (matchesWord(x, 'shift')) { w.next(); off.shift = cSigned(w.next(), 'offset shift'); }
        else if (matchesWord(x, 'eat')) { w.next(); off.eat = true; }
        else break;
      }
    } else if (matchesWord(k, 'hashkey')) {
      const h: Record<string, unknown> = (o.hashkey ??= {}) as Record<string, unknown>;
      for (;;) {
        const x = w.peek();
        if (x !== undefined && matchesWord(x, 'mask')) { w.next(); h.mask = cNumber(w.next(), 'hashkey mask', 16); }
        else if (x !== undefined && matchesWord(x, 'at')) { w.next(); h.at = cSigned(w.next(), 'hashkey at'); }
        else break;
      }
    } else if (matchesWord(k, 'classid') || k === 'flowid') o.classid = w.value(k);
    else if (matchesWord(k, 'divisor')) o.divisor = cNumber(w.value(k), 'divisor');
    else if (matchesWord(k, 'order')) o.order = cNumber(w.value(k), 'order');
    else if (k === 'link') o.link = w.value(k);
    else if (k === 'ht') o.ht = w.value(k);
    else if (k === 'sample') {
      const s: Record<string, unknown> = { match: selector(w) };
      if (w.peek() === 'divisor') { w.next(); s.divisor = cNumber(w.value('divisor'), 'sample divisor'); }
      o.sample = s;
    } else if (k === 'indev') o.indev = w.value(k);
    else if (matchesWord(k, 'action')) o.actions = [...((o.actions ?? []) as ActionInput[]), ...parseActions(w)];
    else if (k === 'skip_hw') o.skipHw = true;
    else if (k === 'skip_sw') o.skipSw = true;
    else w.unknown(k);
  }
  return o;
}

function matchall(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (matchesWord(k, 'classid') || k === 'flowid') o.classid = w.value(k);
    else if (matchesWord(k, 'action')) o.actions = [...((o.actions ?? []) as ActionInput[]), ...parseActions(w)];
    else if (k === 'skip_hw') o.skipHw = true;
    else if (k === 'skip_sw') o.skipSw = true;
    else w.unknown(k);
  }
  return o;
}

function bpf(w: Words): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  while (!w.done) {
    const k = w.next();
    if (k === 'run') continue;
    if (k === 'object-pinned' || k === 'pinned' || k === 'fd') o[k === 'fd' ? 'fd' : 'pinned'] = k === 'fd' ? cNumber(w.value(k), 'bpf fd') : w.value(k);
    else if (matchesWord(k, 'classid') || matchesWord(k, 'flowid')) o.classid = w.value(k);
    else if (matchesWord(k, 'direct-action') || matchesWord(k, 'da')) o.directAction = true;
    else if (matchesWord(k, 'skip_hw')) o.skipHw = true;
    else if (matchesWord(k, 'skip_sw')) o.skipSw = true;
    else if (matchesWord(k, 'action')) o.actions = [...((o.actions ?? []) as ActionInput[]), ...parseActions(w)];
    else throw new UsageError(`bpf: "${k}" (this version attaches programs by fd or object-pinned PATH)`);
  }
  return o;
}

export const filterArgParsers: Record<string, (w: Words) => Record<string, unknown>> = { u32, matchall, bpf };
