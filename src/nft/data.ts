// NFTA_DATA: what immediate, cmp, range and set elements carry, either a
// value (bytes, in the byte order of the register they go to) or a verdict.
import * as T from '../generated/linux/netfilter/nf_tables.js';
import { be32, binary } from '../netlink/codec.js';
import { type AttrsOut, attr, attrSet } from '../netlink/schema.js';
import { nest, nftName, sbe32Of } from './codecs.js';
import { verdictCodes } from './names.js';

export const verdictAttrs = attrSet('nft.verdict', {
  code: attr(T.NFTA_VERDICT_CODE, sbe32Of(verdictCodes)),
  chain: attr(T.NFTA_VERDICT_CHAIN, nftName),
  chainId: attr(T.NFTA_VERDICT_CHAIN_ID, be32),
});

export const dataAttrs = attrSet('nft.data', {
  value: attr(T.NFTA_DATA_VALUE, binary),
  verdict: attr(T.NFTA_DATA_VERDICT, nest(verdictAttrs)),
});

/** A decoded NFTA_DATA nest. */
export type NftData = AttrsOut<typeof dataAttrs.specs>;

export const data = nest(dataAttrs);
