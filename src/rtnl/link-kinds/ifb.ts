// ifb: the intermediate functional block, a link traffic is redirected into
// for shaping. It has no options of its own.
import { linkKind } from './kind.js';

export const ifb = linkKind('ifb', { words: null, json: null });
