// nftables in one namespace: list the ruleset (typed, or as nft -j prints
// it), apply a typed description in one transaction, and show the plan
// (docs/netfilter.md). Interface names for `meta iif` come from rtnetlink in
// the same namespace.
import { Rtnl } from '../client.js';
import { Nfnetlink, type NfnetlinkOptions } from '../nfnetlink/client.js';
import type { NftValue } from './datatypes.js';
import type { NftFamily } from './names.js';
import { type Ruleset, listRuleset } from './ruleset.js';
import { rulesetJson } from './ruleset-json.js';
import { type NftDocument, documentRequests } from './document.js';
import { type PlanChange, documentTables, planChanges } from './plan.js';
import { NFNL_SUBSYS_NFTABLES } from '../generated/linux/netfilter/nfnetlink.js';
import type { Request } from '../netlink/request.js';

/** What `nft.list()` lists: a family, a table. */
export interface NftListOptions {
  /** Only this family's tables. */
  family?: NftFamily;
  /** Only this table (with family, the one of that family). */
  table?: string;
}

/**
 * nftables: the ruleset listed as `nft -j` prints it, JSON documents loaded and applied atomically, plans (docs/netfilter.md).
 */
export class Nft {
  private constructor(readonly nf: Nfnetlink, private readonly opts: NfnetlinkOptions) {}

  /** Opens a client on a NETLINK_NETFILTER socket of its own (in the namespace the options name, else this process's). */
  static open(opts: NfnetlinkOptions = {}): Nft {
    return new Nft(Nfnetlink.open(opts), opts);
  }

  /** Closes the socket. */
  close(): void { this.nf.close(); }
  /** Closes the client: `using c = Nft.open()`. */
  [Symbol.dispose](): void { this.close(); }

  /** Every table, chain, rule, set (with elements), object and flowtable, decoded. */
  list(opts: NftListOptions = {}): Promise<Ruleset> {
    return listRuleset(this.nf, opts);
  }

  /** The ruleset as `nft -j list ruleset` prints it. */
  async listJson(opts: NftListOptions = {}): Promise<{ nftables: NftValue[] }> {
    const r = await this.list(opts);
    return rulesetJson(r, { ifname: await this.ifnames() });
  }

  /**
   * Adds what an nft JSON document describes, as `nft -j -f FILE` does, in
   * one transaction: all of it or nothing. Throws an EncodeError for what is
   * not modelled (nothing sent), a NetlinkError naming the failing object.
   */
  async load(doc: NftDocument): Promise<void> {
    await this.commit(documentRequests(doc, { ifindex: await this.ifindexes() }));
  }

  /**
   * Makes each table the document names hold exactly what the document
   * describes: the table is emptied and filled in one transaction, so
   * packets see the old ruleset or the new one, never a mix.
   */
  async apply(doc: NftDocument): Promise<void> {
    await this.commit(documentRequests(doc, { replaceTables: true, ifindex: await this.ifindexes() }));
  }

  /** What apply() would change: per table, the objects and rules added and removed (counters ignored). */
  async plan(doc: NftDocument): Promise<PlanChange[]> {
    const tables = documentTables(doc);
    const current = await this.listJson();
    return planChanges(doc, current, tables, await this.linkNames());
  }

  private async commit(reqs: Request[]): Promise<void> {
    if (reqs.length === 0) return;
    const r = await this.nf.transaction(NFNL_SUBSYS_NFTABLES, reqs, () => undefined);
    if (!r.ok) throw r.errors[0]!;
  }

  private async ifindexes(): Promise<(name: string) => number | undefined> {
    const names = await this.linkNames();
    const byName = new Map([...names].map(([i, n]) => [n, i]));
    return (n) => byName.get(n);
  }

  private async linkNames(): Promise<Map<number, string>> {
    const rt = Rtnl.openSync(this.opts.netns === undefined ? {} : { netns: this.opts.netns });
    try {
      return new Map((await rt.link.list()).map((l) => [l.index, l.name ?? String(l.index)]));
    } finally {
      rt.close();
    }
  }

  /** Interface names by index, read once per call (nft resolves `meta iif` values the same way). */
  private async ifnames(): Promise<(index: number) => string | undefined> {
    const names = await this.linkNames();
    return (i) => names.get(i);
  }
}
