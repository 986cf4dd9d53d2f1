// tun and tap devices, as one object of the public API (docs/tuntap.md):
//
//   import { tuntap } from 'netlink-ts';
//   tuntap.add({ name: 'tap0', mode: 'tap', owner: 1000 });     // persistent, like ip tuntap add
//   using dev = tuntap.open({ name: 'tun0', mode: 'tun' });     // lives as long as dev.fds
export { add, open, tunFlags, type TuntapHandle, type TuntapInput, type TuntapMode, type TuntapOpenInput } from './device.js';
export { list, remove, remove as delete, tuntapOf, type Tuntap, type TuntapWhere } from './list.js';
