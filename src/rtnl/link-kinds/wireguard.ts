// wireguard: a WireGuard interface. The link itself takes no options
// (`ip link add wg0 type wireguard`); keys and peers are configured over
// the generic netlink family "wireguard", not modelled here. Neither test
// kernel has WireGuard: the link's bytes are checked against ip's alone
// (docs/links.md).
import { linkKind } from './kind.js';

export const wireguard = linkKind('wireguard', { words: null, json: null });
