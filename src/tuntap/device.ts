// Making tun and tap devices: the kernel creates them only through ioctls on
// /dev/net/tun (TUNSETIFF and friends), never over rtnetlink. The file is
// opened inside the target namespace: the device is made in the namespace of
// the process that opened the file, whatever namespace the ioctls come from.
// Reading them back is rtnetlink (list.ts).
import { closeSync, openSync } from 'node:fs';
import { fromNodeError } from '../ffi/os-error.js';
import { ioctlInt, ioctlStruct } from '../ffi/libc.js';
import * as TUN from '../generated/linux/if_tun.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { inNetns } from '../netns/enter.js';
import { type NetnsRef, withNetnsFd } from '../netns/ref.js';
import { checkIfname } from '../rtnl/codecs.js';
import { IFREQ_SIZE, ifreqName, tunIfreq } from './ifreq.js';

/** A tun device (layer 3: IP packets) or a tap device (layer 2: Ethernet frames). */
export type TuntapMode = 'tun' | 'tap';

/** What a tun or tap device is made with: `ip tuntap add` options. */
export interface TuntapInput {
  /** The device name; absent: the kernel picks tunN or tapN. */
  name?: string;
  mode: TuntapMode;
  /** User allowed to attach to it (TUNSETOWNER). */
  owner?: number;
  /** Group allowed to attach to it (TUNSETGROUP). */
  group?: number;
  /** Prefix every packet with struct tun_pi (not IFF_NO_PI). Default false, as in `ip tuntap`. */
  pi?: boolean;
  /** Prefix every packet with a struct virtio_net_hdr (IFF_VNET_HDR). */
  vnetHdr?: boolean;
  /** One fd per queue (IFF_MULTI_QUEUE). */
  multiQueue?: boolean;
  /** IFF_ONE_QUEUE: accepted and ignored by kernels since 3.8; kept for `ip tuntap` parity. */
  oneQueue?: boolean;
  /** The network namespace to make it in; absent: this thread's. */
  netns?: NetnsRef;
}

export interface TuntapOpenInput extends TuntapInput {
  /**
   * Keep the device when the last fd closes (TUNSETPERSIST). Default false:
   * the device lives exactly as long as the fds this returns.
   */
  persist?: boolean;
  /** How many fds (queues) to open: more than one needs multiQueue. Default 1. */
  queues?: number;
}

/** An open tun or tap device: its fds read and write packets (fs.readSync/writeSync, or a stream). */
export interface TuntapHandle {
  /** The name the kernel gave it (the one asked for, or tunN/tapN). */
  readonly name: string;
  readonly mode: TuntapMode;
  /** One fd per queue. Closing them all removes a device that is not persistent. */
  readonly fds: readonly number[];
  /** Enables or disables one queue of a multi-queue device (TUNSETQUEUE). */
  setQueue(queue: number, enabled: boolean): void;
  /** Closes the device's file descriptors (a non-persistent device goes away with the last one). */
  close(): void;
  /** Closes the device: `using dev = tuntap.open(...)`. */
  [Symbol.dispose](): void;
}

const MAX_QUEUES = 256; // MAX_TAP_QUEUES in drivers/net/tun.c
const ID_MAX = 0xfffffffe; // (uid_t)-1 means "no owner"
const KEYS = new Set(['name', 'mode', 'owner', 'group', 'pi', 'vnetHdr', 'multiQueue', 'oneQueue', 'netns', 'persist', 'queues']);

function checkBool(v: unknown, path: string): boolean | undefined {
  if (v !== undefined && typeof v !== 'boolean') throw new EncodeError(path, `expected true or false, got ${describe(v)}`);
  return v;
}

function checkId(v: unknown, path: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > ID_MAX) throw new EncodeError(path, `expected a numeric id from 0 to ${ID_MAX}, got ${describe(v)}`);
  return v;
}

/** The TUNSETIFF flag word for an input, after checking every field of it. */
export function tunFlags(input: TuntapOpenInput, path = 'tuntap'): number {
  if (input === null || typeof input !== 'object') throw new EncodeError(path, `expected { mode: 'tun' | 'tap', ... }, got ${describe(input)}`);
  for (const k of Object.keys(input)) if (!KEYS.has(k)) throw new EncodeError(`${path}.${k}`, `unknown option (known: ${[...KEYS].join(', ')})`);
  if (input.mode !== 'tun' && input.mode !== 'tap') throw new EncodeError(`${path}.mode`, `expected 'tun' or 'tap', got ${describe(input.mode)}`);
  if (input.name !== undefined) checkIfname(input.name, `${path}.name`);
  checkId(input.owner, `${path}.owner`);
  checkId(input.group, `${path}.group`);
  const pi = checkBool(input.pi, `${path}.pi`);
  const vnet = checkBool(input.vnetHdr, `${path}.vnetHdr`);
  const mq = checkBool(input.multiQueue, `${path}.multiQueue`);
  const oneQueue = checkBool(input.oneQueue, `${path}.oneQueue`);
  checkBool(input.persist, `${path}.persist`);
  if (input.queues !== undefined) {
    const q = input.queues;
    if (typeof q !== 'number' || !Number.isInteger(q) || q < 1 || q > MAX_QUEUES) throw new EncodeError(`${path}.queues`, `expected a number of queues from 1 to ${MAX_QUEUES}, got ${describe(q)}`);
    if (q > 1 && !mq) throw new EncodeError(`${path}.queues`, `${q} queues need multiQueue: true`);
  }
  return (input.mode === 'tun' ? TUN.IFF_TUN : TUN.IFF_TAP)
    | (pi ? 0 : TUN.IFF_NO_PI)
    | (vnet ? TUN.IFF_VNET_HDR : 0)
    | (mq ? TUN.IFF_MULTI_QUEUE : 0)
    | (oneQueue ? TUN.IFF_ONE_QUEUE : 0);
}

/** Opens /dev/net/tun in the namespace (or here); the caller owns the fd. */
function openTunFile(netns: NetnsRef | undefined): number {
  const open = (): number => {
    try {
      return openSync('/dev/net/tun', 'r+');
    } catch (err) {
      throw fromNodeError('open /dev/net/tun', err);
    }
  };
  return netns === undefined ? open() : withNetnsFd(netns, (fd) => inNetns(fd, open), 'tuntap');
}

/** TUNSETIFF on a fresh fd; returns the fd and the device's name. Closes the fd when the ioctl fails. */
function attach(netns: NetnsRef | undefined, name: string, flags: number): { fd: number; name: string } {
  const fd = openTunFile(netns);
  try {
    const req = tunIfreq(name, flags);
    ioctlStruct(fd, TUN.TUNSETIFF, req, IFREQ_SIZE, `TUNSETIFF ${name || '(any name)'}`);
    return { fd, name: ifreqName(req) };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * Opens a tun or tap device, making it when it does not exist, and hands
 * over its fds: without persist, the device is gone when they are closed.
 *   using tap = tuntap.open({ name: 'tap0', mode: 'tap' });
 *   fs.readSync(tap.fds[0], frame);
 */
export function open(input: TuntapOpenInput): TuntapHandle {
  return openDevice(input, 0);
}

/** extra: IFF_TUN_EXCL for add, which must make a new device and never attach to one that exists. */
function openDevice(input: TuntapOpenInput, extra: number): TuntapHandle {
  const flags = tunFlags(input) | extra;
  const queues = input.queues ?? 1;
  const fds: number[] = [];
  const closeAll = (): void => { while (fds.length > 0) closeSync(fds.pop()!); };
  let name = input.name ?? '';
  try {
    for (let i = 0; i < queues; i++) {
      const q = attach(input.netns, name, flags);
      fds.push(q.fd);
      name = q.name;
    }
    configure(fds[0]!, input, name);
  } catch (err) {
    closeAll();
    throw err;
  }
  const handle: TuntapHandle = {
    name,
    mode: input.mode,
    fds,
    setQueue(queue, enabled) {
      if (!Number.isInteger(queue) || queue < 0 || queue >= fds.length) throw new EncodeError('queue', `expected a queue from 0 to ${fds.length - 1}, got ${describe(queue)}`);
      checkBool(enabled, 'enabled');
      ioctlStruct(fds[queue]!, TUN.TUNSETQUEUE, tunIfreq('', enabled ? TUN.IFF_ATTACH_QUEUE : TUN.IFF_DETACH_QUEUE), IFREQ_SIZE, `TUNSETQUEUE ${name} queue ${queue}`);
    },
    close: closeAll,
    [Symbol.dispose]: closeAll,
  };
  return handle;
}

/** Owner, group and persistence, in the order `ip tuntap add` sets them. */
function configure(fd: number, input: TuntapOpenInput, name: string): void {
  if (input.owner !== undefined) ioctlInt(fd, TUN.TUNSETOWNER, input.owner, `TUNSETOWNER ${name}`);
  if (input.group !== undefined) ioctlInt(fd, TUN.TUNSETGROUP, input.group, `TUNSETGROUP ${name}`);
  if (input.persist) ioctlInt(fd, TUN.TUNSETPERSIST, 1, `TUNSETPERSIST ${name}`);
}

/**
 * Makes a persistent tun or tap device, like `ip tuntap add`, and returns
 * its name. It stays until deleted (tuntap.delete, or `ip link del`).
 */
export function add(input: TuntapInput): string {
  if (input !== null && typeof input === 'object' && ('persist' in input || 'queues' in input)) {
    throw new EncodeError(`tuntap.${'persist' in input ? 'persist' : 'queues'}`, 'add makes a persistent device; use tuntap.open for fds, queues or a device that ends with them');
  }
  using dev = openDevice({ ...input, persist: true }, TUN.IFF_TUN_EXCL);
  return dev.name;
}

/**
 * Ends the persistence of a device, as `ip tuntap del` does: TUNSETIFF with
 * the device's own mode and multi-queue flag, then TUNSETPERSIST 0. The
 * device goes when its last fd closes (at once when nobody has it open).
 */
export function unpersist(name: string, mode: TuntapMode, multiQueue: boolean, netns?: NetnsRef): void {
  const flags = tunFlags({ name, mode, multiQueue, netns }, 'tuntap.delete');
  const q = attach(netns, name, flags);
  try {
    ioctlInt(q.fd, TUN.TUNSETPERSIST, 0, `TUNSETPERSIST ${name}`);
  } finally {
    closeSync(q.fd);
  }
}
