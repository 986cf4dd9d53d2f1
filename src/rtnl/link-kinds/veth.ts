// veth (and vxcan, its CAN twin): a pair of links; the peer is described by a
// whole link message (ifinfomsg + IFLA_* attributes) nested in
// VETH_INFO_PEER / VXCAN_INFO_PEER.
import { VXCAN_INFO_PEER } from '../../generated/linux/can/vxcan.js';
import { VETH_INFO_PEER } from '../../generated/linux/veth.js';
import { type Codec, lazy } from '../../netlink/codec.js';
import { attr, attrSet } from '../../netlink/schema.js';
import { type Link, type LinkInput, linkPayload } from '../link.js';
import type { KindWords, LinkKind } from './kind.js';

/** A veth's kind data as decoded. */
export interface VethData {
  /** The other end: its name, address, namespace... as a link. */
  peer?: Link;
}
/** A veth's kind data as given: its peer's name and options. */
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

/** A kind made as a pair, its peer nested whole under `peerAttr`. iproute2 prints no options for either. */
function pairKind(kind: string, peerAttr: number): LinkKind<VethData, VethDataInput> {
  return {
    kind,
    data: attrSet(kind, { peer: attr(peerAttr, peer) }),
    words: vethWords,
    json: null,
  };
}

export const veth = pairKind('veth', VETH_INFO_PEER);
/** vxcan: a pair of virtual CAN links (iproute2's iplink_vxcan.c, the same words as veth). */
export const vxcan = pairKind('vxcan', VXCAN_INFO_PEER);
