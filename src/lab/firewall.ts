// A lab namespace's firewall and NAT (the description's `firewall`), as the
// nftables ruleset it becomes: an inet table `lab` with input and forward
// chains (established and related traffic always passes, then what `allow`
// lists, then the policy) and an ip table `lab-nat` masquerading what leaves
// through the listed interfaces; `nftables` adds rules of its own in nft's
// JSON form. The reach model (reach.ts) reads the same spec, so the
// connectivity matrix expects what the firewall lets through.
import type { NftValue } from '../nft/datatypes.js';
import type { NftDocument } from '../nft/document.js';

/** Traffic a chain lets through beyond replies: by the interface it comes in on and (forwarding) goes out of. */
export interface FirewallAllow {
  /** Interface the packet comes in on (the lab's name for it). */
  in?: string;
  /** Interface a forwarded packet goes out of. */
  out?: string;
}

/** One chain of a lab namespace's firewall: its policy and what it allows beyond replies. */
export interface FirewallChainSpec {
  /** What the chain does with what no rule accepts. */
  policy: 'accept' | 'drop';
  allow?: FirewallAllow[];
}

/** A lab namespace's firewall (input and forward chains) and NAT (masquerade), made with nftables. */
export interface FirewallSpec {
  /** Packets for this namespace. */
  input?: FirewallChainSpec;
  /** Packets this namespace routes. */
  forward?: FirewallChainSpec;
  /** Interfaces whose outgoing IPv4 traffic takes their address (masquerade). */
  masquerade?: string[];
  /** More, in nft's JSON form (`nft -j`); applied after the above, not read by the reach model. */
  nftables?: NftValue[];
}

export const FIREWALL_TABLE = 'lab';
export const NAT_TABLE = 'lab-nat';

function chain(name: string, hook: string, spec: FirewallChainSpec): NftValue[] {
  const rule = (expr: NftValue[]): NftValue => ({ rule: { family: 'inet', table: FIREWALL_TABLE, chain: name, expr } });
  const out: NftValue[] = [
    { chain: { family: 'inet', table: FIREWALL_TABLE, name, type: 'filter', hook, prio: 0, policy: spec.policy } },
    rule([{ match: { op: 'in', left: { ct: { key: 'state' } }, right: ['established', 'related'] } }, { accept: null }]),
  ];
  if (hook === 'input') out.push(rule([{ match: { op: '==', left: { meta: { key: 'iifname' } }, right: 'lo' } }, { accept: null }]));
  for (const a of spec.allow ?? []) {
    const m: NftValue[] = [];
    if (a.in !== undefined) m.push({ match: { op: '==', left: { meta: { key: 'iifname' } }, right: a.in } });
    if (a.out !== undefined) m.push({ match: { op: '==', left: { meta: { key: 'oifname' } }, right: a.out } });
    out.push(rule([...m, { accept: null }]));
  }
  return out;
}

/** The ruleset a namespace's firewall spec makes (apply() replaces the tables it names). */
export function firewallDocument(spec: FirewallSpec): NftDocument {
  const items: NftValue[] = [];
  if (spec.input || spec.forward) {
    items.push({ table: { family: 'inet', name: FIREWALL_TABLE } });
    if (spec.input) items.push(...chain('input', 'input', spec.input));
    if (spec.forward) items.push(...chain('forward', 'forward', spec.forward));
  }
  if (spec.masquerade?.length) {
    items.push({ table: { family: 'ip', name: NAT_TABLE } },
      { chain: { family: 'ip', table: NAT_TABLE, name: 'postrouting', type: 'nat', hook: 'postrouting', prio: 100, policy: 'accept' } },
      ...spec.masquerade.map((dev): NftValue => ({ rule: { family: 'ip', table: NAT_TABLE, chain: 'postrouting',
        expr: [{ match: { op: '==', left: { meta: { key: 'oifname' } }, right: dev } }, { masquerade: null }] } })));
  }
  items.push(...(spec.nftables ?? []));
  return { nftables: items };
}

/** Whether a chain lets a new packet through (replies always pass). */
export function chainAllows(spec: FirewallChainSpec | undefined, inIf: string | undefined, outIf?: string): boolean {
  if (!spec || spec.policy === 'accept') return true;
  if (inIf === 'lo') return true;
  return (spec.allow ?? []).some((a) => (a.in === undefined || a.in === inIf) && (a.out === undefined || a.out === outIf));
}
