// team: the teaming driver's master link. The link takes no options over
// rtnetlink (iproute2 has no words for it); ports, modes and options are the
// generic netlink family "team" (teamd), not modelled here.
import { linkKind } from './kind.js';

export const team = linkKind('team', { words: null, json: null });
