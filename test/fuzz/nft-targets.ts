// nf_tables targets: one per message kind (its new/get/del types), decoding
// whole messages with decodeNftMessage, the round trip held to the kind's
// attribute set after nfgenmsg; and the nft -j printers over what decodes
// (a rule's expressions, a set's elements), which must never throw.
// Seeds: the nft captures under test/fixtures/nft/.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NFNL_SUBSYS_NFTABLES } from '../../src/generated/linux/netfilter/nfnetlink.js';
import type { DecodeIssue } from '../../src/netlink/errors.js';
import type { AttrSet, SpecMap } from '../../src/netlink/schema.js';
import { ATTRS_OF_KIND, KIND_OF_MSG, type NftKind, decodeNftMessage } from '../../src/nft/messages.js';
import { elementsView, ruleJson } from '../../src/nft/rule-json.js';
import { elementsJson } from '../../src/nft/elements-json.js';
import type { Target } from './targets.js';

const typesOf = (kind: NftKind): number[] => Object.entries(KIND_OF_MSG)
  .filter(([, k]) => k.kind === kind).map(([msg]) => (NFNL_SUBSYS_NFTABLES << 8) | Number(msg));

function target(kind: NftKind): Target {
  const set = ATTRS_OF_KIND[kind] as AttrSet<SpecMap>;
  return {
    name: `nft.${kind}`,
    input: 'message',
    types: typesOf(kind),
    decode(buf, start, end) {
      const m = decodeNftMessage(buf, start, end - start);
      // The printers run on what decodes: they must not throw on any of it.
      if (m?.kind === 'rule') ruleJson(m.attrs.expressions ?? [], { family: m.family, sets: new Map() });
      if (m?.kind === 'set') elementsJson([], elementsView(m.attrs));
      if (m?.kind === 'elements') elementsJson(m.attrs.elements ?? [], { types: [], lens: [], fallback: elementsView({}).fallback, interval: true });
      return { value: m, issues: m?.issues ?? [] };
    },
    schema: {
      decode(buf, start, end, issues: DecodeIssue[]) {
        return { head: Buffer.from(buf.subarray(start, Math.min(end, start + 4))), attrs: end >= start + 4 ? set.decode(buf, start + 4, end, issues) : undefined };
      },
      encode(w, v) {
        const { head, attrs } = v as { head: Buffer; attrs?: Record<string, unknown> };
        w.bytes(head);
        if (attrs) set.encode(w, attrs);
      },
    },
  };
}

export const NFT_TARGETS: readonly Target[] = (Object.keys(ATTRS_OF_KIND) as NftKind[]).map(target);

const fixtures = new URL('../../../test/fixtures/nft/', import.meta.url).pathname;

/** Every nf_tables message of the nft captures. */
export function nftSeeds(): { bytes: Buffer; origin: string }[] {
  const out: { bytes: Buffer; origin: string }[] = [];
  for (const f of readdirSync(fixtures).filter((x) => x.endsWith('.json')).sort()) {
    const fx = JSON.parse(readFileSync(join(fixtures, f), 'utf8')) as { messages: { hex: string }[] };
    fx.messages.forEach((m, i) => {
      const b = Buffer.from(m.hex, 'hex');
      if (b.readUInt16LE(4) >> 8 !== NFNL_SUBSYS_NFTABLES) return;
      b.writeUInt32LE(0, 8);
      b.writeUInt32LE(0, 12);
      out.push({ bytes: b, origin: `nft fixture ${f}#${i}` });
    });
  }
  return out;
}
