// Names for kernel numbers shared by several rtnetlink families. Every number
// comes from src/generated; only the names (as iproute2 spells them, lower
// case) are written here.
import { AF_BRIDGE, AF_INET, AF_INET6, AF_MPLS, AF_PACKET, AF_UNSPEC } from '../generated/libc/socket.js';
import { enumMap } from '../netlink/codec.js';

export const addressFamilies = enumMap('address family', {
  unspec: AF_UNSPEC, inet: AF_INET, inet6: AF_INET6, bridge: AF_BRIDGE, packet: AF_PACKET, mpls: AF_MPLS,
});
export type AddressFamily = 'unspec' | 'inet' | 'inet6' | 'bridge' | 'packet' | 'mpls' | number;
