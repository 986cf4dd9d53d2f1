// The address family of a request, from the family asked for and the
// addresses given: they must agree, and a request without either is IPv4
// (as iproute2 defaults). Shared by the families whose messages carry one.
import { AF_INET, AF_INET6 } from '../generated/libc/socket.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import type { IpFamily } from '../netlink/ip.js';

export type InetFamily = 'inet' | 'inet6';

export function ipFamilyOfName(family: unknown, path: string): IpFamily | undefined {
  if (family === undefined) return undefined;
  if (family === 'inet' || family === AF_INET || family === 4) return 4;
  if (family === 'inet6' || family === AF_INET6 || family === 6) return 6;
  throw new EncodeError(path, `expected 'inet' or 'inet6', got ${describe(family)}`);
}

/** Checks that an address family found in field `path` agrees with the one chosen so far. */
export function agree(chosen: IpFamily | undefined, found: IpFamily, path: string): IpFamily {
  if (chosen !== undefined && chosen !== found) {
    throw new EncodeError(path, `an IPv${found} value in an IPv${chosen} request`);
  }
  return found;
}

export const familyName = (f: IpFamily): InetFamily => (f === 4 ? 'inet' : 'inet6');
