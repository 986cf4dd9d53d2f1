// `type veth peer [link words]`: the peer is a whole link description.
import type { KindArgs } from './kind-args.js';

export const vethArgs: KindArgs = async (w, ctx) => {
  if (w.peek() !== 'peer') w.fail('expected "peer [NAME and options]"');
  w.next();
  const peer = await ctx.parseLink(w);
  return { peer: peer.input };
};
