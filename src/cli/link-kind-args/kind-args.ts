// What a kind's argument parser gets and gives: the words after `type KIND`,
// and back the kind's options (IFLA_INFO_DATA, or IFLA_INFO_SLAVE_DATA for
// `type bridge_slave`) with keys in the order iproute2 adds the attributes.
import type { LinkArgsContext } from '../link-args.js';
import type { Words } from '../../rtnl/words.js';
import type { LinkInput } from '../../rtnl/link.js';

export interface KindArgsContext extends LinkArgsContext {
  /** NLM_F_CREATE: `link add` (some kinds add defaults only then). */
  create: boolean;
  /** Parses a whole link's words (a veth peer). */
  parseLink(words: Words): Promise<{ input: LinkInput }>;
}

export type KindArgs = (w: Words, ctx: KindArgsContext) => Promise<Record<string, unknown>>;

/**
 * A kind whose words each set one attribute: [word, key, read, exact?].
 * `exact` words must be spelled out; the others may be abbreviated, as
 * iproute2's matches() allows.
 */
export type WordTable = readonly (readonly [word: string, key: string, read: (v: string, w: Words) => unknown, exact?: boolean])[];
