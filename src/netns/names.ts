// Namespace names and where iproute2 keeps them. A name is one file name
// under /run/netns, so it is checked the way `ip netns` checks it (non-empty,
// at most NAME_MAX bytes, no "/", not "." or "..") and, since it goes to C
// as a string, without NUL.
import { EncodeError } from '../netlink/errors.js';
import { describe } from '../netlink/describe.js';

/** Where iproute2 puts named namespaces (its NETNS_RUN_DIR, /var/run/netns, is a link to it). */
export const NETNS_RUN_DIR = '/run/netns';
/** Per-namespace configuration: /etc/netns/NAME/FILE is bind-mounted over /etc/FILE by exec. */
export const NETNS_ETC_DIR = '/etc/netns';
/** The longest file name (NAME_MAX in linux/limits.h), in bytes. */
export const NAME_MAX = 255;

/**
 * A namespace name that cannot be a file under /run/netns. A kind of
 * EncodeError (bad input, nothing was done), but its own class: a name is
 * checked by file-system rules, not by a netlink encoder.
 */
export class NetnsNameError extends EncodeError {
  constructor(path: string, problem: string) {
    super(path, problem);
    this.name = 'NetnsNameError';
  }
}

/** Checks a namespace name; throws NetnsNameError naming the problem. */
export function checkNetnsName(name: unknown, path = 'netns'): string {
  if (typeof name !== 'string') throw new NetnsNameError(path, `a namespace name must be a string, got ${describe(name)}`);
  if (name === '') throw new NetnsNameError(path, 'a namespace name must not be empty');
  if (name === '.' || name === '..') throw new NetnsNameError(path, `"${name}" is not a usable namespace name`);
  if (name.includes('/')) throw new NetnsNameError(path, `namespace name ${describe(name)} contains "/"`);
  if (name.includes('\0')) throw new NetnsNameError(path, `namespace name ${describe(name)} contains a NUL character`);
  const bytes = Buffer.byteLength(name);
  if (bytes > NAME_MAX) throw new NetnsNameError(path, `namespace name is ${bytes} bytes long, longer than a file name may be (${NAME_MAX})`);
  return name;
}

/** /run/netns/NAME, after checking NAME. */
export function netnsPath(name: string): string {
  return `${NETNS_RUN_DIR}/${checkNetnsName(name)}`;
}

/** /etc/netns/NAME, after checking NAME. */
export function netnsEtcDir(name: string): string {
  return `${NETNS_ETC_DIR}/${checkNetnsName(name)}`;
}
