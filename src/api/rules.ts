// The typed verbs for routing policy rules. A friendly spec (prefixes as
// 'addr/len', a table by name or number, the family from the addresses)
// becomes a RuleInput of the rule schema; the request builders are pure, so a
// batch can send many: `nl.socket.batch(specs.map((s) => ruleRequest('add', s)))`.
import { AF_UNSPEC } from '../generated/libc/socket.js';
import { NLM_F_CREATE, NLM_F_EXCL } from '../generated/linux/netlink.js';
import { RTM_DELRULE, RTM_GETRULE, RTM_NEWRULE } from '../generated/linux/rtnetlink.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { checkInt } from '../netlink/ints.js';
import { type IpFamily, parsePrefix } from '../netlink/ip.js';
import { type AddressFamily, routeTables } from '../rtnl/names.js';
import { type Rule, type RuleInput, decodeRule, ruleMessage } from '../rtnl/rule.js';
import type { Decoder, Request } from '../netlink/request.js';
import { listOf, streamOf } from './dump-verbs.js';
import type { Requester } from '../socket/netlink-socket.js';
import { agree, familyName, ipFamilyOfName } from './ip-family.js';
import { deleting } from './not-found.js';
import { flushDumped } from './flush.js';

/**
 * A rule to add or delete: the schema's fields, with prefixes as `from` and
 * `to` ('198.18.0.0/24'; a bare address is a host prefix) and the family
 * taken from them (IPv4 when there are none). Attributes are sent in the
 * order of the keys.
 */
export type RuleSpec = Omit<RuleInput, 'src' | 'dst' | 'srcLen' | 'dstLen' | 'headerTable' | 'family'> & {
  from?: string;
  to?: string;
  family?: 'inet' | 'inet6';
};

export type RuleVerb = 'add' | 'delete';

const FRIENDLY = ['from', 'to', 'family'];
const HIDDEN = new Set(['src', 'dst', 'srcLen', 'dstLen', 'headerTable']);
const specKeys = new Set([...FRIENDLY, ...ruleMessage.keys().filter((k) => !HIDDEN.has(k))]);
/** Table ids beyond this travel in FRA_TABLE; below, in the header (as iproute2 sends them). */
const HEADER_TABLE_MAX = 255;

/**
 * The schema input for a spec. For add, like iproute2: the action is a table
 * lookup (a goto when `goto` is given), in table main unless told otherwise.
 * For delete, only what is given is matched.
 */
export function ruleInput(verb: RuleVerb, spec: RuleSpec, path = 'rule'): RuleInput {
  if (spec === null || typeof spec !== 'object') throw new EncodeError(path, `expected a rule spec, got ${describe(spec)}`);
  for (const k of Object.keys(spec)) {
    if (!specKeys.has(k)) throw new EncodeError(`${path}.${k}`, `unknown field (known: ${[...specKeys].join(', ')})`);
  }
  let fam: IpFamily | undefined = ipFamilyOfName(spec.family, `${path}.family`);
  const from = spec.from === undefined ? undefined : parsePrefix(spec.from, `${path}.from`, fam);
  if (from) fam = agree(fam, from.family, `${path}.from`);
  const to = spec.to === undefined ? undefined : parsePrefix(spec.to, `${path}.to`, fam);
  if (to) fam = agree(fam, to.family, `${path}.to`);
  fam ??= 4;
  if (spec.suppressPrefixlength !== undefined) {
    const max = fam === 4 ? 32 : 128;
    const n = checkInt('s32', spec.suppressPrefixlength, `${path}.suppressPrefixlength`);
    if (n < 0 || n > max) throw new EncodeError(`${path}.suppressPrefixlength`, `${n} is not a prefix length of IPv${fam} (0..${max})`);
  }

  let action = spec.action;
  if (action === undefined && verb === 'add') action = spec.goto !== undefined ? 'goto' : 'to_tbl';
  let table = spec.table;
  if (table === undefined && verb === 'add' && action === 'to_tbl' && !spec.l3mdev) table = 'main';
  let tableId: number | undefined;
  if (table !== undefined) tableId = checkInt('u32', routeTables.encode(table, `${path}.table`), `${path}.table`) as number;

  const out: RuleInput = {
    family: familyName(fam),
    srcLen: from?.length,
    dstLen: to?.length,
    headerTable: tableId !== undefined && tableId <= HEADER_TABLE_MAX ? tableId : undefined,
    action,
  };
  const o = out as Record<string, unknown>;
  for (const [k, v] of Object.entries(spec)) {
    if (k === 'from') o.src = from?.address;
    else if (k === 'to') o.dst = to?.address;
    else if (k === 'table') o.table = tableId !== undefined && tableId > HEADER_TABLE_MAX ? tableId : undefined;
    else if (k !== 'family' && k !== 'action') o[k] = v;
  }
  return out;
}

/** The request for one verb on one rule (pure: nothing is sent). */
export function ruleRequest(verb: RuleVerb, spec: RuleSpec, operation?: string): Request {
  if (verb !== 'add' && verb !== 'delete') throw new EncodeError('verb', `unknown rule verb ${describe(verb)} (one of: add, delete)`);
  return {
    type: verb === 'add' ? RTM_NEWRULE : RTM_DELRULE,
    flags: verb === 'add' ? NLM_F_CREATE | NLM_F_EXCL : 0,
    headerSize: ruleMessage.headerSize, expectReply: false,
    operation: operation ?? `rule ${verb === 'add' ? 'add' : 'del'} ${describeRule(spec)}`,
    // Checked when encoded, which is before anything is sent, so errors carry the operation.
    body: (w) => ruleMessage.encodePayload(w, ruleInput(verb, spec), 'rule'),
  };
}

/** The rule in words for error messages: `from 198.18.0.0/24 table 100 priority 1000`. */
function describeRule(spec: RuleSpec): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(spec ?? {})) {
    if (v === undefined) continue;
    if (k === 'action') { if (v !== 'goto' || spec.goto === undefined) parts.push(String(v)); }
    else if (k === 'flags') { if (Array.isArray(v) && v.includes('invert')) parts.push('not'); }
    else if (typeof v !== 'object') parts.push(`${k} ${v}`);
  }
  return parts.join(' ') || 'all';
}


/** The dump request for a listing (pure). */
export function ruleListRequest(family: AddressFamily = AF_UNSPEC): Request {
  const value: RuleInput = { family };
  return {
    type: RTM_GETRULE, headerSize: ruleMessage.headerSize, operation: 'rule show',
    body: (w) => ruleMessage.encodePayload(w, value, 'rule'),
  };
}

export class RuleApi {
  constructor(private readonly sock: Requester) {}

  /** All rules, in the kernel's order (by priority); one family with `family`. */
  list(filter: { family?: AddressFamily } = {}): Promise<Rule[]> {
    return listOf(this.sock, { req: ruleListRequest(filter.family) }, decodeRule);
  }

  /** Rules as they are read (memory stays flat). Same filter as list(). */
  stream(filter: { family?: AddressFamily } = {}): AsyncGenerator<Rule> {
    return streamOf(this.sock, { req: ruleListRequest(filter.family) }, decodeRule);
  }

  /** Adds a rule; EEXIST when an identical one exists. */
  async add(spec: RuleSpec): Promise<void> {
    await this.sock.request(ruleRequest('add', spec));
  }

  /**
   * Deletes rules like `ip rule flush`: every rule of the family (default:
   * both) that `where` accepts, except those at priority 0 (the local table's
   * rule, which the kernel does not let go) — the main and default rules go
   * too, as with ip. One dump, and the dumped rules sent back as deletes in one
   * batch; returns how many were deleted.
   */
  flush(filter: { family?: AddressFamily; where?: (r: Rule) => boolean } = {}): Promise<number> {
    const where = filter.where;
    return flushDumped(this.sock, ruleListRequest(filter.family), {
      deleteType: RTM_DELRULE, gone: ['ENOENT'],
      keep: (buf, start) => {
        const rule = decodeRule(buf, start, buf.readUInt32LE(start))!;
        return !!rule.priority && (!where || where(rule));
      },
    });
  }

  /** Deletes the first rule matching what is given; a NetlinkError ENOENT that says so when none does. */
  async delete(spec: RuleSpec): Promise<void> {
    const req = ruleRequest('delete', spec);
    await deleting('rule', () => this.sock.request(req));
  }
}
