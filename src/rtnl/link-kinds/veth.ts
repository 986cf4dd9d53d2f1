// veth: a pair of links; the peer is described by a whole link message
// (ifinfomsg + IFLA_* attributes) nested in VETH_INFO_PEER.
import { VETH_INFO_PEER } from '../../generated/linux/veth.js';
import { type Codec, lazy } from '../../netlink/codec.js';
import { attr, attrSet } from '../../netlink/schema.js';
import { type Link, type LinkInput, linkPayload } from '../link.js';
import type { KindWords, LinkKind } from './kind.js';

export interface VethData {
  /** The other end: its name, address, namespace... as a link. */
  peer?: Link;
}
export interface VethDataInput {
  peer?: LinkInput;
}

const peer: Codec<Link, LinkInput> = lazy('veth peer', () => linkPayload);

// `type veth peer [link words]`: the peer is a whole link description.
const vethWords: KindWords = async (w, ctx) => {
  if (w.peek() !== 'peer') w.fail('expected "peer [NAME and options]"');
  w.next();
  const peer = await ctx.parseLink(w);
  return { peer: peer.input };
};

export const veth: LinkKind<VethData, VethDataInput> = {
  kind: 'veth',
  data: attrSet('veth', { peer: attr(VETH_INFO_PEER, peer) }),
  words: vethWords,
  // iproute2 prints no options for a veth.
  json: null,
};

