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

export interface NftListOptions {
  /** Only this family's tables. */
  family?: NftFamily;
  /** Only this table (with family, the one of that family). */
  table?: string;
}

export class Nft {
  private constructor(readonly nf: Nfnetlink, private readonly opts: NfnetlinkOptions) {}

  static open(opts: NfnetlinkOptions = {}): Nft {
    return new Nft(Nfnetlink.open(opts), opts);
  }

  close(): void { this.nf.close(); }
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

  /** Interface names by index, read once per call (nft resolves `meta iif` values the same way). */
  private async ifnames(): Promise<(index: number) => string | undefined> {
    const rt = Rtnl.openSync(this.opts.netns === undefined ? {} : { netns: this.opts.netns });
    try {
      const names = new Map((await rt.link.list()).map((l) => [l.index, l.name]));
      return (i) => names.get(i);
    } finally {
      rt.close();
    }
  }
}
