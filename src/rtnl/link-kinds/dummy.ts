// dummy: a link that drops what it is given. It has no options of its own.
import { linkKind } from './kind.js';

export const dummy = linkKind('dummy', { words: null, json: null });
