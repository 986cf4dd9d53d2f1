// The ethtool API (docs/ethtool.md): typed requests of the generic netlink
// family `ethtool` (its generated table, src/generated/ynl/ethtool.ts) on a
// Genl client, plus the two things ethtool(8) still reads by ioctl (driver
// information and the values of the driver's statistics, ioctl.ts).
// A device is its name or its ifindex; failures name the device and what was
// asked for (`ethtool rings v0: EOPNOTSUPP ...`).
import { Genl, type GenlOptions } from '../genl/client.js';
import type { GenlAttrs } from '../genl/types.js';
import type { YnlFamilies } from '../generated/ynl/index.js';
import { ETH_SS_FEATURES, ETH_SS_PRIV_FLAGS, ETH_SS_STATS } from '../generated/linux/ethtool.js';
import { IFNAMSIZ } from '../generated/linux/if.js';
import { describe } from '../netlink/describe.js';
import { EncodeError, NetlinkError } from '../netlink/errors.js';
import type { NetnsRef } from '../netns/ref.js';
import type { RequestOptions } from '../socket/request-options.js';
import { type Bits, changeBits, readBits } from './bitset.js';
import { resolveFeature } from './features.js';
import { type EthtoolDriverInfo, driverInfo, driverStatsValues } from './ioctl.js';


/** A network device: its name (`v0`) or its ifindex. */
export type EthtoolDevice = string | number;

/** A device's port, transceiver and MDI state (`ethtool DEV`'s link information). */
export type EthtoolLinkInfo = Omit<GenlAttrs<YnlFamilies['ethtool'], 'linkinfo'>, 'header' | 'unknown'>;
/** Whether a device's link is detected, and why not. */
export type EthtoolLinkState = Omit<GenlAttrs<YnlFamilies['ethtool'], 'linkstate'>, 'header' | 'unknown'>;
/** A device's ring sizes and their maximums (`ethtool -g`). */
export type EthtoolRings = Omit<GenlAttrs<YnlFamilies['ethtool'], 'rings'>, 'header' | 'unknown'>;
/** A device's channel counts and their maximums (`ethtool -l`). */
export type EthtoolChannels = Omit<GenlAttrs<YnlFamilies['ethtool'], 'channels'>, 'header' | 'unknown'>;
/** A device's interrupt coalescing settings (`ethtool -c`). */
export type EthtoolCoalesce = Omit<GenlAttrs<YnlFamilies['ethtool'], 'coalesce'>, 'header' | 'unknown'>;
/** A device's pause frame settings (`ethtool -a`). */
export type EthtoolPause = Omit<GenlAttrs<YnlFamilies['ethtool'], 'pause'>, 'header' | 'unknown'>;
/** What `setRings` and the other setters take: the fields to change, named as the kernel's spec names them. */
export type EthtoolRingsInput = Partial<EthtoolRings>;
/** Channel counts to set (`ethtool -L`). */
export type EthtoolChannelsInput = Partial<EthtoolChannels>;
/** Interrupt coalescing settings to set (`ethtool -C`). */
export type EthtoolCoalesceInput = Partial<EthtoolCoalesce>;
/** Pause frame settings to set (`ethtool -A`). */
export type EthtoolPauseInput = Partial<Pick<EthtoolPause, 'autoneg' | 'rx' | 'tx'>>;

/** Link modes and speed (ETHTOOL_MSG_LINKMODES_GET), with mode names from the kernel. */
export interface EthtoolLinkModes {
  autoneg?: number;
  /** Mb/s; SPEED_UNKNOWN (0xffffffff) when the driver does not know it. */
  speed?: number;
  /** DUPLEX_HALF 0, DUPLEX_FULL 1, DUPLEX_UNKNOWN 0xff. */
  duplex?: number;
  lanes?: number;
  masterSlaveCfg?: number;
  masterSlaveState?: number;
  rateMatching?: number;
  /** Mode names as the kernel spells them (`1000baseT/Full`, `Autoneg`, `TP`, `Pause`...). */
  supported: string[];
  advertised: string[];
  /** What the link partner advertises; absent when the driver does not know. */
  peer?: string[];
}

/** Wake-on-LAN modes (ETHTOOL_MSG_WOL_GET), by the kernel's names (`magic`, `phy`...). */
export interface EthtoolWol { supported: string[]; enabled: string[]; sopass?: Buffer }

/** The driver's message level (ETHTOOL_MSG_DEBUG_GET): the mask and the names of its classes that are on. */
export interface EthtoolDebug { msgmask: number; enabled: string[] }

/** Energy-efficient Ethernet (ETHTOOL_MSG_EEE_GET). */
export interface EthtoolEee {
  supported: string[];
  advertised: string[];
  peer: string[];
  active?: boolean;
  enabled?: boolean;
  txLpiEnabled?: boolean;
  txLpiTimer?: number;
}
/** Energy-efficient Ethernet settings to set (`ethtool --set-eee`). */
export interface EthtoolEeeInput { enabled?: boolean; txLpiEnabled?: boolean; txLpiTimer?: number; advertise?: Record<string, boolean> }

/** One feature, by the kernel's name (string set ETH_SS_FEATURES). */
export interface EthtoolFeature {
  name: string;
  index: number;
  /** In effect now. */
  active: boolean;
  /** What was asked for (differs from active while the kernel cannot honour it). */
  wanted: boolean;
  /** Cannot be changed on this device ("[fixed]" in ethtool -k). */
  fixed: boolean;
}

/** A feature the kernel reports on after a change (ethtool -K's "Actual changes"). */
export interface EthtoolFeatureChange {
  name: string;
  index: number;
  /** Its state now. */
  active: boolean;
  /** Set when it is not what was asked for: what was asked. */
  requested?: boolean;
  /** Whether the caller asked to change it (false: it changed along with one that was). */
  asked: boolean;
}
/** What setting features did: each feature's change, or that nothing changed. */
export interface EthtoolFeaturesResult {
  /** Empty when everything is as asked and nothing else changed. */
  changes: EthtoolFeatureChange[];
  /** No feature changed although some were asked to ("Could not change any device features"). */
  nothingChanged: boolean;
}

/** A driver's private flag and whether it is on. */
export interface EthtoolPrivFlag { name: string; on: boolean }
/** A driver statistic by name (`ethtool -S`). */
export interface EthtoolStat { name: string; value: bigint }

/** How to open an ethtool client. */
export interface EthtoolOptions extends GenlOptions {}

/**
 * ethtool over generic netlink: link modes and state, features, rings, channels, coalescing, pause, EEE, statistics (docs/ethtool.md).
 */
export class Ethtool {
  private readonly netns: NetnsRef | undefined;
  private readonly owned: boolean;

  /** Over an existing Genl client (not closed by this one), or use Ethtool.open. */
  constructor(readonly genl: Genl, opts: { netns?: NetnsRef; owned?: boolean } = {}) {
    this.netns = opts.netns;
    this.owned = opts.owned ?? false;
  }

  /** Opens a client on a generic netlink socket of its own (in the namespace the options name, else this process's). */
  static open(opts: EthtoolOptions = {}): Ethtool {
    if (opts === null || typeof opts !== 'object') throw new TypeError(`Ethtool.open: options must be an object, got ${describe(opts)}`);
    return new Ethtool(Genl.open(opts), { netns: opts.netns, owned: true });
  }

  /** Closes the socket (when this client opened it). */
  close(): void { if (this.owned) this.genl.close(); }
  /** Closes the client: `using c = Ethtool.open()`. */
  [Symbol.dispose](): void { this.close(); }

  /** Port, PHY address, transceiver, MDI-X (ETHTOOL_MSG_LINKINFO_GET). */
  async linkInfo(dev: EthtoolDevice, opts?: RequestOptions): Promise<EthtoolLinkInfo> {
    return body(await this.one('linkinfo', dev, () => this.genl.do('ethtool', 'linkinfo-get', { header: header(dev) }, opts)));
  }

  /** Link modes: speed, duplex, autonegotiation, supported and advertised modes (`ethtool DEV`). */
  async linkModes(dev: EthtoolDevice, opts?: RequestOptions): Promise<EthtoolLinkModes> {
    const a = await this.one('link modes', dev, () => this.genl.do('ethtool', 'linkmodes-get', { header: header(dev) }, opts));
    const ours = readBits(a.ours);
    const peer = readBits(a.peer);
    return {
      ...(a.autoneg !== undefined ? { autoneg: a.autoneg } : {}),
      ...(a.speed !== undefined ? { speed: a.speed } : {}),
      ...(a.duplex !== undefined ? { duplex: a.duplex } : {}),
      ...(a.lanes !== undefined ? { lanes: a.lanes } : {}),
      ...(a['master-slave-cfg'] !== undefined ? { masterSlaveCfg: a['master-slave-cfg'] } : {}),
      ...(a['master-slave-state'] !== undefined ? { masterSlaveState: a['master-slave-state'] } : {}),
      ...(a['rate-matching'] !== undefined ? { rateMatching: a['rate-matching'] } : {}),
      supported: named(ours, ours.inMask), advertised: named(ours, ours.on),
      ...(a.peer !== undefined ? { peer: named(peer, peer.on) } : {}),
    };
  }

  /** Wake-on-LAN modes supported and enabled. */
  async wol(dev: EthtoolDevice, opts?: RequestOptions): Promise<EthtoolWol> {
    const a = await this.one('wake-on-lan', dev, () => this.genl.do('ethtool', 'wol-get', { header: header(dev) }, opts));
    const modes = readBits(a.modes);
    return { supported: named(modes, modes.inMask), enabled: named(modes, modes.on), ...(a.sopass ? { sopass: a.sopass } : {}) };
  }

  /** The driver's message level (`ethtool -s DEV msglvl`). */
  async debug(dev: EthtoolDevice, opts?: RequestOptions): Promise<EthtoolDebug> {
    const a = await this.one('message level', dev, () => this.genl.do('ethtool', 'debug-get', { header: header(dev) }, opts));
    const bits = readBits(a.msgmask);
    let msgmask = 0;
    for (let i = 0; i < Math.min(32, bits.size); i++) if (bits.on(i)) msgmask = (msgmask | (1 << i)) >>> 0;
    return { msgmask, enabled: named(bits, bits.on) };
  }

  /** Link detected, and the reasons a driver gives when it is not (ETHTOOL_MSG_LINKSTATE_GET). */
  async linkState(dev: EthtoolDevice, opts?: RequestOptions): Promise<EthtoolLinkState> {
    return body(await this.one('link state', dev, () => this.genl.do('ethtool', 'linkstate-get', { header: header(dev) }, opts)));
  }

  /** The strings of one string set of the device (ETH_SS_FEATURES, ETH_SS_STATS, ETH_SS_PRIV_FLAGS...), by index. */
  async strings(dev: EthtoolDevice, set: number, opts?: RequestOptions): Promise<string[]> {
    if (!Number.isInteger(set) || set < 0 || set > 0xffffffff) throw new EncodeError('set', `expected a string set id (ETH_SS_*), got ${describe(set)}`);
    const a = await this.one('strings', dev, () => this.genl.do('ethtool', 'strset-get', { header: header(dev), stringsets: { stringset: [{ id: set }] } }, opts));
    const out: string[] = [];
    for (const ss of a.stringsets?.stringset ?? []) {
      if (ss.id !== set) continue;
      for (const strs of ss.strings ?? []) for (const s of strs.string ?? []) if (s.index !== undefined) out[s.index] = s.value ?? '';
    }
    return Array.from(out, (s) => s ?? '');
  }

  /** Every feature the kernel names, in index order: active, wanted, fixed. */
  async features(dev: EthtoolDevice, opts?: RequestOptions): Promise<EthtoolFeature[]> {
    const names = await this.strings(dev, ETH_SS_FEATURES, opts);
    const a = await this.one('features', dev, () => this.genl.do('ethtool', 'features-get', { header: header(dev, true) }, opts));
    const hw = readBits(a.hw);
    const wanted = readBits(a.wanted);
    const active = readBits(a.active);
    const nochange = readBits(a.nochange);
    return names.flatMap((name, index) => (name === '' ? [] : [{
      name, index, active: active.on(index), wanted: wanted.on(index), fixed: !hw.on(index) || nochange.on(index),
    }]));
  }

  /**
   * Turns features on or off by name: the kernel's (`rx-gro`) or ethtool's
   * legacy words (`tx-checksumming`, `tso`, which change every feature they
   * stand for). An unknown name is an EncodeError listing close names, before
   * anything is sent. Returns what the kernel reports: the features whose
   * state differs from what was asked, and those that changed with them.
   */
  async setFeatures(dev: EthtoolDevice, changes: Record<string, boolean>, opts?: RequestOptions): Promise<EthtoolFeaturesResult> {
    if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) throw new EncodeError('features', `expected an object of feature names and booleans, got ${describe(changes)}`);
    const entries = Object.entries(changes);
    if (!entries.length) throw new EncodeError('features', 'no feature to change');
    for (const [k, v] of entries) if (typeof v !== 'boolean') throw new EncodeError(`features.${k}`, `expected true or false, got ${describe(v)}`);
    header(dev);
    const names = await this.strings(dev, ETH_SS_FEATURES, opts);
    const bits = new Map<number, boolean>();
    for (const [word, on] of entries) for (const i of resolveFeature(word, names, devLabel(dev))) bits.set(i, on);
    const replies = await this.restated('features set', dev, () => this.genl.do('ethtool', 'features-set', { header: header(dev, true), wanted: changeBits(bits) }, opts));
    // The reply's `wanted` masks the features that ended up other than asked
    // (its value: what was asked), `active` masks those that changed (its value: their state now).
    // No reply at all reads as nothing changed.
    const a = replies[0]?.attrs ?? {};
    const wanted = readBits(a.wanted);
    const active = readBits(a.active);
    const result: EthtoolFeatureChange[] = [];
    names.forEach((name, index) => {
      const missed = wanted.inMask(index) && a.wanted?.mask !== undefined;
      const moved = active.inMask(index) && a.active?.mask !== undefined;
      if (name === '' || (!missed && !moved)) return;
      const asked = bits.has(index);
      result.push({
        name, index, asked,
        active: missed ? !wanted.on(index) : active.on(index),
        ...(missed ? { requested: wanted.on(index) } : {}),
      });
    });
    const changed = a.active?.mask !== undefined && names.some((_, i) => active.inMask(i));
    return { changes: result, nothingChanged: !changed && result.length > 0 };
  }

  /** Ring sizes (`ethtool -g`). */
  async rings(dev: EthtoolDevice, opts?: RequestOptions): Promise<EthtoolRings> {
    return body(await this.one('rings', dev, () => this.genl.do('ethtool', 'rings-get', { header: header(dev) }, opts)));
  }
  /** Sets ring sizes (`ethtool -G`). */
  async setRings(dev: EthtoolDevice, values: EthtoolRingsInput, opts?: RequestOptions): Promise<void> {
    await this.change('rings set', dev, () => this.genl.do('ethtool', 'rings-set', { header: header(dev), ...input(values) }, opts));
  }

  /** Channel counts (`ethtool -l`). */
  async channels(dev: EthtoolDevice, opts?: RequestOptions): Promise<EthtoolChannels> {
    return body(await this.one('channels', dev, () => this.genl.do('ethtool', 'channels-get', { header: header(dev) }, opts)));
  }
  /** Sets channel counts (`ethtool -L`). */
  async setChannels(dev: EthtoolDevice, values: EthtoolChannelsInput, opts?: RequestOptions): Promise<void> {
    await this.change('channels set', dev, () => this.genl.do('ethtool', 'channels-set', { header: header(dev), ...input(values) }, opts));
  }

  /** Interrupt coalescing (`ethtool -c`). */
  async coalesce(dev: EthtoolDevice, opts?: RequestOptions): Promise<EthtoolCoalesce> {
    return body(await this.one('coalesce', dev, () => this.genl.do('ethtool', 'coalesce-get', { header: header(dev) }, opts)));
  }
  /** Sets interrupt coalescing (`ethtool -C`). */
  async setCoalesce(dev: EthtoolDevice, values: EthtoolCoalesceInput, opts?: RequestOptions): Promise<void> {
    await this.change('coalesce set', dev, () => this.genl.do('ethtool', 'coalesce-set', { header: header(dev), ...input(values) }, opts));
  }

  /** Pause frame settings (`ethtool -a`). */
  async pause(dev: EthtoolDevice, opts?: RequestOptions): Promise<EthtoolPause> {
    return body(await this.one('pause', dev, () => this.genl.do('ethtool', 'pause-get', { header: header(dev) }, opts)));
  }
  /** Sets pause frame settings (`ethtool -A`). */
  async setPause(dev: EthtoolDevice, values: EthtoolPauseInput, opts?: RequestOptions): Promise<void> {
    await this.change('pause set', dev, () => this.genl.do('ethtool', 'pause-set', { header: header(dev), ...input(values) }, opts));
  }

  /** Energy-efficient Ethernet settings (`ethtool --show-eee`). */
  async eee(dev: EthtoolDevice, opts?: RequestOptions): Promise<EthtoolEee> {
    const a = await this.one('eee', dev, () => this.genl.do('ethtool', 'eee-get', { header: header(dev) }, opts));
    const ours = readBits(a['modes-ours']);
    const peer = readBits(a['modes-peer']);
    return {
      supported: named(ours, ours.inMask), advertised: named(ours, ours.on), peer: named(peer, peer.on),
      ...(a.active !== undefined ? { active: a.active !== 0 } : {}),
      ...(a.enabled !== undefined ? { enabled: a.enabled !== 0 } : {}),
      ...(a['tx-lpi-enabled'] !== undefined ? { txLpiEnabled: a['tx-lpi-enabled'] !== 0 } : {}),
      ...(a['tx-lpi-timer'] !== undefined ? { txLpiTimer: a['tx-lpi-timer'] } : {}),
    };
  }
  /** Sets energy-efficient Ethernet (`ethtool --set-eee`). */
  async setEee(dev: EthtoolDevice, values: EthtoolEeeInput, opts?: RequestOptions): Promise<void> {
    const req = eeeRequest(dev, values);
    await this.change('eee set', dev, () => this.genl.do('ethtool', 'eee-set', req, opts));
  }

  /** The driver's private flags and whether each is on (`ethtool --show-priv-flags`). */
  async privFlags(dev: EthtoolDevice, opts?: RequestOptions): Promise<EthtoolPrivFlag[]> {
    const a = await this.one('private flags', dev, () => this.genl.do('ethtool', 'privflags-get', { header: header(dev) }, opts));
    const bits = readBits(a.flags);
    const names = bits.names.size ? [] : await this.strings(dev, ETH_SS_PRIV_FLAGS, opts);
    const out: EthtoolPrivFlag[] = [];
    for (let i = 0; i < bits.size; i++) out.push({ name: bits.names.get(i) ?? names[i] ?? `${i}`, on: bits.on(i) });
    return out;
  }
  /** Turns private flags of the driver on or off (`ethtool --set-priv-flags`). */
  async setPrivFlags(dev: EthtoolDevice, changes: Record<string, boolean>, opts?: RequestOptions): Promise<void> {
    const known = await this.privFlags(dev, opts);
    const bits = new Map<number, boolean>();
    for (const [name, on] of Object.entries(input(changes))) {
      const i = known.findIndex((f) => f.name === name);
      if (i < 0) throw new EncodeError('privflags', `${devLabel(dev)} has no private flag "${name}" (it has: ${known.map((f) => f.name).join(', ') || 'none'})`);
      bits.set(i, flag(name, on));
    }
    await this.change('private flags set', dev, () => this.genl.do('ethtool', 'privflags-set', { header: header(dev), flags: changeBits(bits) }, opts));
  }

  /** Driver, version, firmware and bus (`ethtool -i`), by ioctl: the ethtool family has no such request. */
  driverInfo(dev: string): EthtoolDriverInfo {
    return driverInfo(checkName(dev), this.netns);
  }

  /** The driver's own statistics (`ethtool -S`): names over netlink (ETH_SS_STATS), values by ioctl. */
  async driverStats(dev: string, opts?: RequestOptions): Promise<EthtoolStat[]> {
    const names = await this.strings(checkName(dev), ETH_SS_STATS, opts);
    if (!names.length) return [];
    const values = driverStatsValues(dev, names.length, this.netns);
    return values.map((value, i) => ({ name: names[i] ?? '', value }));
  }

  /** One request; its reply's attributes. Failures are restated with the device and what was asked. */
  private async one<T>(what: string, dev: EthtoolDevice, send: () => Promise<{ attrs: T }[]>): Promise<T> {
    const m = (await this.restated(what, dev, send))[0];
    if (!m) throw new Error(`ethtool ${what} ${devLabel(dev)}: the kernel sent no reply`);
    return m.attrs;
  }

  /** A change: the kernel may answer with its ACK alone. */
  private async change(what: string, dev: EthtoolDevice, send: () => Promise<unknown>): Promise<void> {
    await this.restated(what, dev, send);
  }

  /** Failures are restated with the device and what was asked. */
  private async restated<R>(what: string, dev: EthtoolDevice, send: () => Promise<R>): Promise<R> {
    try {
      return await send();
    } catch (err) {
      if (err instanceof NetlinkError) {
        throw new NetlinkError({ errno: err.errno, operation: `ethtool ${what} ${devLabel(dev)}`, seq: err.seq, extack: err.extack });
      }
      throw err;
    }
  }
}

function devLabel(dev: EthtoolDevice): string {
  return typeof dev === 'number' ? `ifindex ${dev}` : dev;
}

function checkName(dev: unknown): string {
  if (typeof dev !== 'string' || dev === '' || Buffer.byteLength(dev) >= IFNAMSIZ || /[\s/]/.test(dev) || dev.includes('\0')) {
    throw new EncodeError('dev', `expected a device name (1 to ${IFNAMSIZ - 1} bytes, no spaces or "/"), got ${describe(dev)}`);
  }
  return dev;
}

/** The request header naming the device; `compact` asks for bit sets as words (features). */
function header(dev: EthtoolDevice, compact = false): GenlAttrs<YnlFamilies['ethtool'], 'header'> {
  const flags: ('compact-bitsets')[] = compact ? ['compact-bitsets'] : [];
  if (typeof dev === 'number') {
    if (!Number.isInteger(dev) || dev < 1 || dev > 0x7fffffff) throw new EncodeError('dev', `expected a device name or an ifindex (a positive integer), got ${describe(dev)}`);
    return { 'dev-index': dev, ...(compact ? { flags } : {}) };
  }
  return { 'dev-name': checkName(dev), ...(compact ? { flags } : {}) };
}

/**
 * The attributes of an EEE change. enabled and tx-lpi-enabled are u8 in the
 * kernel's spec: a boolean is sent as 1 or 0 (the encoder takes no booleans).
 */
export function eeeRequest(dev: EthtoolDevice, values: EthtoolEeeInput): GenlAttrs<YnlFamilies['ethtool'], 'eee'> {
  const v = input(values);
  const req: GenlAttrs<YnlFamilies['ethtool'], 'eee'> = { header: header(dev) };
  if (v.enabled !== undefined) req.enabled = flag('enabled', v.enabled) ? 1 : 0;
  if (v.txLpiEnabled !== undefined) req['tx-lpi-enabled'] = flag('txLpiEnabled', v.txLpiEnabled) ? 1 : 0;
  if (v.txLpiTimer !== undefined) req['tx-lpi-timer'] = v.txLpiTimer;
  if (v.advertise !== undefined) {
    req['modes-ours'] = { bits: { bit: Object.entries(input(v.advertise)).map(([name, on]) => (flag(`advertise.${name}`, on) ? { name, value: true } : { name })) } };
  }
  return req;
}

function body<T extends { header?: unknown }>(a: T): Omit<T, 'header'> {
  const { header: _h, ...rest } = a;
  return rest;
}

function input<T>(values: T): T {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) throw new EncodeError('values', `expected an object of settings, got ${describe(values)}`);
  if ('header' in values) throw new EncodeError('values.header', 'the device is the first argument, not a header');
  return values;
}

function flag(path: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new EncodeError(path, `expected true or false, got ${describe(v)}`);
  return v;
}

function named(bits: Bits, pick: (i: number) => boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < bits.size; i++) if (pick(i)) out.push(bits.names.get(i) ?? `${i}`);
  return out;
}
