// A YNL spec (the kernel's Documentation/netlink/specs/*.yaml) read into the
// tables of src/genl/spec.ts. Numbering follows the kernel's own reader
// (tools/net/ynl/lib/nlspec.py): attribute ids count from 1 unless `value`
// sets them, a subset takes its parent's ids, operations count from 1
// ("unified") or per direction ("directional", ethtool), enum entries count
// from value-start; a flags entry's value is its bit number.
import { parse } from 'yaml';
import type { GenlSpec, YnlAttr, YnlChecks, YnlEnum, YnlMember, YnlMsg, YnlOp, YnlType } from '../../src/genl/spec.js';

/** The spec protocols that are generic netlink (the others are rtnetlink/nfnetlink: netlink-raw). */
export const GENL_PROTOCOLS = ['genetlink', 'genetlink-c', 'genetlink-legacy'] as const;

type Y = Record<string, any>;

const LIMITS: Record<string, number> = {
  'u8-max': 0xff, 'u16-max': 0xffff, 'u32-max': 0xffffffff, 's8-max': 0x7f, 's16-max': 0x7fff, 's32-max': 0x7fffffff,
  's8-min': -0x80, 's16-min': -0x8000, 's32-min': -0x80000000,
};

const TYPES = new Set<string>(['flag', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'uint', 'sint',
  'string', 'binary', 'bitfield32', 'nest', 'indexed-array', 'nest-type-value', 'pad', 'sub-message']);

/** The protocol a spec declares (default genetlink, as in nlspec.py). */
export function protocolOf(text: string): string {
  const m = /^protocol:\s*(\S+)/m.exec(text);
  return m ? m[1]! : 'genetlink';
}

export function readSpec(text: string, file: string): GenlSpec {
  const y = parse(text, { merge: true, maxAliasCount: -1 }) as Y;
  const where = (s: string): string => `${file}: ${s}`;
  const consts = new Map<string, number>();
  const enums: Record<string, YnlEnum> = {};
  const structs: Record<string, YnlMember[]> = {};
  for (const d of (y.definitions ?? []) as Y[]) {
    if (d.type === 'const') consts.set(d.name, Number(d.value));
    else if (d.type === 'enum' || d.type === 'flags') {
      const entries: Record<string, number> = {};
      let next = Number(d['value-start'] ?? 0);
      for (const e of d.entries as (string | Y)[]) {
        const name = typeof e === 'string' ? e : e.name as string;
        const v = typeof e === 'object' && e.value !== undefined ? Number(e.value) : next;
        entries[name] = v;
        next = v + 1;
      }
      enums[d.name] = d.type === 'flags' ? { flags: true, entries } : { entries };
    } else if (d.type === 'struct') {
      structs[d.name] = (d.members as Y[]).map((m) => {
        const member: { -readonly [K in keyof YnlMember]: YnlMember[K] } = { name: m.name, type: m.type };
        if (m.len !== undefined) member.len = num(m.len, consts, where(`${d.name}.${m.name}.len`));
        if (m['byte-order'] === 'big-endian') member.be = true;
        return member;
      });
    }
  }

  const rawSets = new Map<string, Y>(((y['attribute-sets'] ?? []) as Y[]).map((s) => [s.name, s]));
  const sets: Record<string, YnlAttr[]> = {};
  const idsOf = (set: Y): Map<string, { id: number; elem: Y }> => {
    const ids = new Map<string, { id: number; elem: Y }>();
    let val = 1;
    for (const a of set.attributes as Y[]) {
      if (a.value !== undefined) val = Number(a.value);
      ids.set(a.name, { id: val, elem: a });
      val += 1;
    }
    return ids;
  };
  for (const set of rawSets.values()) {
    let members: { id: number; elem: Y }[];
    if (set['subset-of'] !== undefined) {
      const parent = rawSets.get(set['subset-of']);
      if (!parent) throw new Error(where(`${set.name} is a subset of unknown set ${set['subset-of']}`));
      const ids = idsOf(parent);
      members = (set.attributes as Y[]).map((a) => {
        const real = ids.get(a.name);
        if (!real) throw new Error(where(`${set.name}.${a.name} is not in ${set['subset-of']}`));
        return { id: real.id, elem: { ...real.elem, ...a } };
      });
    } else {
      members = [...idsOf(set).values()];
    }
    sets[set.name] = members.filter((m) => m.elem.type !== 'unused').map(({ id, elem }) => attrOf(elem, id, consts, enums, where(`${set.name}.${elem.name}`)));
  }

  const ops = readOps(y.operations ?? { list: [] }, where);
  const groups = ((y['mcast-groups']?.list ?? []) as Y[]).map((g) => g.name as string);
  const header = y.operations?.['fixed-header'] as string | undefined;
  const protocol = (y.protocol ?? 'genetlink') as GenlSpec['protocol'];
  return { name: y.name, protocol, ...(header ? { header } : {}), enums, structs, sets, ops, groups };
}

function num(v: unknown, consts: Map<string, number>, where: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (LIMITS[v] !== undefined) return LIMITS[v]!;
    if (consts.has(v)) return consts.get(v)!;
    if (/^-?(0x)?[0-9a-f]+$/i.test(v)) return Number(v);
  }
  throw new Error(`${where}: cannot read ${JSON.stringify(v)} as a number`);
}

function attrOf(a: Y, id: number, consts: Map<string, number>, enums: Record<string, YnlEnum>, where: string): YnlAttr {
  if (!TYPES.has(a.type)) throw new Error(`${where}: unknown attribute type ${a.type}`);
  const out: { -readonly [K in keyof YnlAttr]: YnlAttr[K] } = { name: a.name, id, type: a.type as YnlType };
  if (a['nested-attributes'] !== undefined) out.nest = a['nested-attributes'];
  if (a['sub-type'] !== undefined) out.subType = a['sub-type'];
  if (a['multi-attr']) out.multi = true;
  if (a['byte-order'] === 'big-endian') out.be = true;
  if (a.enum !== undefined) {
    if (!enums[a.enum]) throw new Error(`${where}: unknown enum ${a.enum}`);
    out.enum = a.enum;
    if (a['enum-as-flags'] || enums[a.enum]!.flags) out.asFlags = true;
  }
  if (a.struct !== undefined) out.struct = a.struct;
  const c = a.checks as Y | undefined;
  if (c) {
    const checks: { -readonly [K in keyof YnlChecks]: YnlChecks[K] } = {};
    if (c.min !== undefined) checks.min = num(c.min, consts, `${where}.checks.min`);
    if (c.max !== undefined) checks.max = num(c.max, consts, `${where}.checks.max`);
    if (c['min-len'] !== undefined) checks.minLen = num(c['min-len'], consts, `${where}.checks.min-len`);
    if (c['max-len'] !== undefined) checks.maxLen = num(c['max-len'], consts, `${where}.checks.max-len`);
    if (c['exact-len'] !== undefined) checks.exactLen = num(c['exact-len'], consts, `${where}.checks.exact-len`);
    if (Object.keys(checks).length) out.checks = checks;
  }
  return out;
}

function msgOf(m: Y | undefined): YnlMsg | undefined {
  if (!m) return undefined;
  return { attrs: [...(m.attributes ?? [])] };
}

function modeOf(m: Y | undefined): YnlOp['do'] {
  if (!m) return undefined;
  const request = msgOf(m.request);
  const reply = msgOf(m.reply);
  return { ...(request ? { request } : {}), ...(reply ? { reply } : {}) };
}

function readOps(o: Y, where: (s: string) => string): YnlOp[] {
  const list = (o.list ?? []) as Y[];
  const directional = o['enum-model'] === 'directional';
  const byName = new Map(list.map((e) => [e.name as string, e]));
  const out: YnlOp[] = [];
  let val = 1;
  let req: number | null = 1;
  let rsp: number | null = 1;
  for (const e of list) {
    let cmd: number;
    let replyCmd: number | undefined;
    if (!directional) {
      if (e.value !== undefined) val = Number(e.value);
      cmd = val++;
    } else {
      // Request and reply numbers are counted apart (nlspec.py _dictify_ops_directional).
      let reqNext: number | null;
      let rspNext: number;
      if (e.notify !== undefined || e.event !== undefined) {
        if (e.value !== undefined) rsp = Number(e.value);
        reqNext = req;
        rspNext = rsp! + 1;
        req = null;
      } else if (e.do !== undefined || e.dump !== undefined) {
        const mode = (e.do ?? e.dump) as Y;
        if (mode.request?.value) req = Number(mode.request.value);
        if (mode.reply?.value) rsp = Number(mode.reply.value);
        reqNext = req! + 1;
        rspNext = rsp! + (mode.reply ? 1 : 0);
      } else {
        throw new Error(where(`operation ${e.name} has neither do, dump, notify nor event`));
      }
      const thisRsp = rsp === rspNext ? null : rsp;
      cmd = req ?? thisRsp!;
      if (thisRsp !== null && thisRsp !== cmd) replyCmd = thisRsp;
      req = reqNext;
      rsp = rspNext;
    }
    // A notification's attributes are those of the op it repeats.
    const set = (e['attribute-set'] ?? byName.get(e.notify)?.['attribute-set']) as string | undefined;
    const op: { -readonly [K in keyof YnlOp]: YnlOp[K] } = { name: e.name, cmd };
    if (set !== undefined) op.set = set;
    if (replyCmd !== undefined) op.replyCmd = replyCmd;
    const d = modeOf(e.do);
    const du = modeOf(e.dump);
    if (d) op.do = d;
    if (du) op.dump = du;
    if (e.notify !== undefined) op.notify = e.notify;
    const ev = msgOf(e.event);
    if (ev) op.event = ev;
    if (e.mcgrp !== undefined) op.mcgrp = e.mcgrp;
    if (e.flags?.length) op.flags = [...e.flags];
    out.push(op);
  }
  return out;
}
