// The rule family (docs/architecture.md, "The family descriptor"): routing
// policy rules. A friendly spec (prefixes as 'addr/len', a table by name or
// number, the family from the addresses) becomes a RuleMessage of the rule
// schema; the request builders are pure, so a batch can send many:
// `nl.socket.batch(specs.map((s) => ruleRequest('add', s)))`. The client's and
// batches' verbs are derived from the descriptor (api/engine.ts).
import { AF_UNSPEC } from '../../generated/libc/socket.js';
import { NLM_F_CREATE, NLM_F_EXCL } from '../../generated/linux/netlink.js';
import * as R from '../../generated/linux/rtnetlink.js';
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';
import { checkInt } from '../../netlink/ints.js';
import { type IpFamily, parsePrefix } from '../../netlink/ip.js';
import type { Request } from '../../netlink/request.js';
import { type AddressFamily, routeTables } from '../../rtnl/names.js';
import { type Rule, type RuleInput as RuleMessage, decodeRule, ruleMessage } from '../../rtnl/rule.js';
import type { Engine, FamilyApi } from '../engine.js';
import { type FamilyDescriptor, byFamily } from '../family.js';
import { flushDumped } from '../flush.js';
import { agree, familyName, ipFamilyOfName } from '../ip-family.js';

/**
 * A rule to add or delete: the schema's fields, with prefixes as `from` and
 * `to` ('198.18.0.0/24'; a bare address is a host prefix) and the family
 * taken from them (IPv4 when there are none). Attributes are sent in the
 * order of the keys.
 */
export type RuleInput = Omit<RuleMessage, 'src' | 'dst' | 'srcLen' | 'dstLen' | 'headerTable' | 'family'> & {
  from?: string;
  to?: string;
  family?: 'inet' | 'inet6';
};

/** @deprecated The old name of RuleInput (docs/architecture.md, "Naming rule"); it goes in the next release. */
export type RuleSpec = RuleInput;

export type { RuleMessage };

/** The changes a rule takes. */
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
export function ruleInput(verb: RuleVerb, spec: RuleInput, path = 'rule'): RuleMessage {
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
  if (table !== undefined) tableId = Number(checkInt('u32', routeTables.encode(table, `${path}.table`), `${path}.table`));

  const out: RuleMessage = {
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
export function ruleRequest(verb: RuleVerb, spec: RuleInput, operation?: string): Request {
  if (verb !== 'add' && verb !== 'delete') throw new EncodeError('verb', `unknown rule verb ${describe(verb)} (one of: add, delete)`);
  return {
    type: verb === 'add' ? R.RTM_NEWRULE : R.RTM_DELRULE,
    flags: verb === 'add' ? NLM_F_CREATE | NLM_F_EXCL : 0,
    headerSize: ruleMessage.headerSize, expectReply: false,
    operation: operation ?? `rule ${verb === 'add' ? 'add' : 'del'} ${describeRule(spec)}`,
    // Checked when encoded, which is before anything is sent, so errors carry the operation.
    body: (w) => ruleMessage.encodePayload(w, ruleInput(verb, spec), 'rule'),
  };
}

/** The rule in words for error messages: `from 198.18.0.0/24 table 100 priority 1000`. */
function describeRule(spec: RuleInput): string {
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
  const value: RuleMessage = { family };
  return {
    type: R.RTM_GETRULE, headerSize: ruleMessage.headerSize, operation: 'rule show',
    body: (w) => ruleMessage.encodePayload(w, value, 'rule'),
  };
}

/** What each change verb of the rule family takes. */
export type RuleInputs = Record<RuleVerb, RuleInput>;

/** What `nl.rule.list()` keeps: one family. */
export interface RuleListFilter {
  /** One family (default: both). */
  family?: AddressFamily;
}

/** The rule family's descriptor (RTM_*RULE): `nl.rule`'s verbs, its events and batch verbs derive from it. */
export const ruleFamily: FamilyDescriptor<Rule, 'rule', 'list' | 'stream' | 'add' | 'delete' | 'flush', RuleInputs, RuleListFilter> = {
  kind: 'rule',
  schema: ruleMessage,
  getType: R.RTM_GETRULE,
  verbs: ['list', 'stream', 'add', 'delete', 'flush'],
  newType: R.RTM_NEWRULE,
  delType: R.RTM_DELRULE,
  groups: [R.RTNLGRP_IPV4_RULE, R.RTNLGRP_IPV6_RULE],
  groupOf: (r) => byFamily(r.family, R.RTNLGRP_IPV4_RULE, R.RTNLGRP_IPV6_RULE),
  decode: decodeRule,
  // Rules are never changed in place: a rule is all of its fields (but "unresolved", which the kernel flips
  // silently, and decode issues, whose offsets say where in a datagram the message happened to lie).
  key: (r) => JSON.stringify({ ...r, flags: r.flags.filter((f) => f !== 'unresolved'), issues: undefined }),
  dump: [ruleListRequest()],
  change: {
    build: { add: (spec) => ruleRequest('add', spec), delete: (spec) => ruleRequest('delete', spec) },
    absent: { delete: () => 'rule' },
  },
  // In the kernel's order (by priority).
  dumpFilter: async (filter = {}) => ({ req: ruleListRequest(filter.family) }),
};

/** The verbs only rules have. */
export function ruleVerbs(e: Engine<Rule, RuleInputs, RuleListFilter, never>) {
  return {
    /**
     * Deletes rules like `ip rule flush`: every rule of the family (default:
     * both) that `where` accepts, except those at priority 0 (the local table's
     * rule, which the kernel does not let go) — the main and default rules go
     * too, as with ip. One dump, and the dumped rules sent back as deletes in one
     * batch; returns how many were deleted.
     */
    flush(filter: RuleListFilter & { where?: (r: Rule) => boolean } = {}): Promise<number> {
      const where = filter.where;
      return flushDumped(e.deps.sock, ruleListRequest(filter.family), {
        deleteType: R.RTM_DELRULE, gone: ['ENOENT'],
        keep: (buf, start) => {
          const rule = decodeRule(buf, start, buf.readUInt32LE(start))!;
          return !!rule.priority && (!where || where(rule));
        },
      });
    },
  };
}

/** `nl.rule`: the verbs derived from the descriptor, and flush. */
export type RuleApi = FamilyApi<typeof ruleFamily, ReturnType<typeof ruleVerbs>>;
