// Network namespaces, as one object of the public API:
//
//   import { netns, Rtnl } from 'netlink-ts';
//   netns.add('blue');
//   await using nl = await Rtnl.open({ netns: 'blue' });
//   await netns.exec('blue', ['ping', '-c1', '198.18.0.1']);
export { add, attach, exists, identify, isLeftover, list, pids, remove, removeAll, remove as delete, removeAll as deleteAll } from './named.js';
export { exec, spawn, type ExecOptions, type ExecResult, type NetnsChild, type SpawnOptions } from './exec.js';
export { readSysctl, writeSysctl, sysctlPath, type SysctlValue } from './sysctl.js';
export { type EtcWriteOptions, readNetnsEtcFile as readEtcFile, writeNetnsEtcFile as writeEtcFile, removeNetnsEtcFiles as removeEtcFiles } from './etc-files.js';
export { type NetnsRef, type OpenNetns, openNetnsRef as open, withNetnsFd } from './ref.js';
export { inNetns, inNewNetns } from './enter.js';
export { NetnsError } from './errors.js';
export { NETNS_RUN_DIR, NETNS_ETC_DIR, NetnsNameError, checkNetnsName } from './names.js';
