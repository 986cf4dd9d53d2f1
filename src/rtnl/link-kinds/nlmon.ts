// nlmon: a link that sees every netlink message of its namespace (for
// packet capture). It has no options of its own; `ip link add NAME type nlmon`.
import { linkKind } from './kind.js';

export const nlmon = linkKind('nlmon', { words: null, json: null });
