// xfrm: an IPsec virtual interface; traffic routed into it is matched to
// policies with the same if_id. Words and printer as iproute2's link_xfrm.c.
import * as L from '../../generated/linux/if_link.js';
import { flag, u32 } from '../../netlink/codec.js';
import { type AttrsOut, attr, attrSet } from '../../netlink/schema.js';
import { hex0x } from '../json-values.js';
import { type KindJson, type KindWords, linkKind } from './kind.js';
import { matches, num } from '../words.js';

export const xfrmData = attrSet('xfrm', {
  /** Index of the underlying device. */
  link: attr(L.IFLA_XFRM_LINK, u32),
  /** The policies' and states' if_id this interface carries (not 0). */
  ifId: attr(L.IFLA_XFRM_IF_ID, u32),
  /** `external`: the interface takes if_id from each packet's metadata. */
  collectMetadata: attr(L.IFLA_XFRM_COLLECT_METADATA, flag),
});

/** `type xfrm [dev DEV] if_id N | external`: if_id where its word is, link last. */
const xfrmWords: KindWords = async (w, ctx) => {
  const data: Record<string, unknown> = {};
  let link: number | undefined;
  let external = false;
  while (!w.done) {
    const x = w.next();
    if (matches(x, 'dev')) link = await ctx.index(w.value(x));
    else if (matches(x, 'if_id')) {
      const v = w.value(x);
      const id = num(v, 'if_id');
      if (!id) w.fail(`if_id value is invalid: "${v}"`);
      data.ifId = id;
    } else if (x === 'external') external = true;
    else w.fail(`unknown option "${x}"`);
  }
  if (external) {
    if (data.ifId !== undefined || link) w.fail('both "external" and if_id/dev cannot be specified');
    return { collectMetadata: true };
  }
  if (data.ifId === undefined) w.fail('missing "if_id"');
  if (link) data.link = link;
  return data;
};

/** iproute2 6.1's xfrm_print_opt. */
const xfrmJson: KindJson<AttrsOut<typeof xfrmData.specs>> = (d) => {
  if (d.collectMetadata) return { external: true };
  return d.ifId === undefined ? {} : { if_id: hex0x(d.ifId) };
};

export const xfrm = linkKind('xfrm', { data: xfrmData, words: xfrmWords, json: xfrmJson });
