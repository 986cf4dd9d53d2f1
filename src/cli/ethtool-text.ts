// What `ethtool` (6.1, its netlink code paths) prints for each query, from
// the typed replies of src/ethtool. Kept apart from the command so that the
// layout can be tested without a kernel (test/unit/ethtool-text.test.ts) and
// compared with the real ethtool where the kernel offers the query
// (test/kernel/ethtool.test.ts).
import {
  DUPLEX_FULL, DUPLEX_HALF, ETH_TP_MDI, ETH_TP_MDI_AUTO, ETH_TP_MDI_X, PORT_AUI, PORT_BNC, PORT_DA, PORT_FIBRE, PORT_MII, PORT_NONE,
  PORT_OTHER, PORT_TP, XCVR_EXTERNAL, XCVR_INTERNAL,
} from '../generated/linux/ethtool.js';
import type {
  EthtoolChannels, EthtoolCoalesce, EthtoolDebug, EthtoolEee, EthtoolFeature, EthtoolFeaturesResult, EthtoolLinkInfo, EthtoolLinkModes,
  EthtoolLinkState, EthtoolPause, EthtoolPrivFlag, EthtoolRings, EthtoolStat, EthtoolWol,
} from '../ethtool/client.js';
import type { EthtoolDriverInfo } from '../ethtool/ioctl.js';
import { LEGACY_FEATURES, legacyGroupOf } from '../ethtool/features.js';

/** `label<value>` or `label n/a`, as ethtool's show_u32 prints an attribute the driver did not send. */
const u32 = (label: string, v: number | undefined): string => `${label}${v === undefined ? 'n/a' : v}\n`;
const onOff = (v: number | boolean | undefined): string => (v === undefined ? 'n/a' : v ? 'on' : 'off');

// ---- ethtool DEV ----------------------------------------------------------

const PORTS = new Set(['TP', 'AUI', 'BNC', 'MII', 'FIBRE', 'Backplane']);
const FEC = new Set(['None', 'RS', 'BASER', 'LLRS']);
const NOT_SPEEDS = new Set(['Autoneg', 'Pause', 'Asym_Pause']);
const isSpeed = (m: string): boolean => !PORTS.has(m) && !FEC.has(m) && !NOT_SPEEDS.has(m);

/** A list of link modes as ethtool lays it out: Half and Full of one speed on a line, the others one per line under the first. */
function modeLines(label: string, modes: readonly string[], none: string): string {
  const speeds = modes.filter(isSpeed);
  if (!speeds.length) return `\t${label}${none}\n`;
  let out = `\t${label}`;
  let prev: string | undefined;
  for (const m of speeds) {
    if (prev === undefined) out += m;
    else if (prev.endsWith('/Half') && m === `${prev.slice(0, -5)}/Full`) out += ` ${m}`;
    else out += `\n\t${' '.repeat(label.length)}${m}`;
    prev = m;
  }
  return `${out}\n`;
}

function pauseUse(modes: readonly string[]): string {
  const pause = modes.includes('Pause');
  const asym = modes.includes('Asym_Pause');
  return pause ? (asym ? 'Symmetric Receive-only' : 'Symmetric') : asym ? 'Transmit-only' : 'No';
}

const fecList = (modes: readonly string[], none: string): string => {
  const f = modes.filter((m) => FEC.has(m));
  return f.length ? f.join('\t ') : none;
};

function enumText(names: Record<number, string>, v: number): string {
  return names[v] ?? `Unknown! (${v})`;
}

const PORT_NAMES: Record<number, string> = {
  [PORT_TP]: 'Twisted Pair', [PORT_AUI]: 'AUI', [PORT_BNC]: 'BNC', [PORT_MII]: 'MII', [PORT_FIBRE]: 'FIBRE',
  [PORT_DA]: 'Direct Attach Copper', [PORT_NONE]: 'None', [PORT_OTHER]: 'Other',
};
const DUPLEX_NAMES: Record<number, string> = { [DUPLEX_HALF]: 'Half', [DUPLEX_FULL]: 'Full' };
const XCVR_NAMES: Record<number, string> = { [XCVR_INTERNAL]: 'internal', [XCVR_EXTERNAL]: 'external' };

function mdix(value: number, ctrl: number): string {
  if (ctrl === ETH_TP_MDI) return 'off (forced)';
  if (ctrl === ETH_TP_MDI_X) return 'on (forced)';
  const v = value === ETH_TP_MDI ? 'off' : value === ETH_TP_MDI_X ? 'on' : 'Unknown';
  return ctrl === ETH_TP_MDI_AUTO ? `${v} (auto)` : v;
}

/** Wake-on letters (`pumbg`), in ethtool's order; `d` when none. */
const WOL_LETTERS: [string, string][] = [['phy', 'p'], ['ucast', 'u'], ['mcast', 'm'], ['bcast', 'b'], ['arp', 'a'], ['magic', 'g'], ['magicsecure', 's'], ['filter', 'f']];
const wolLetters = (modes: readonly string[]): string => WOL_LETTERS.filter(([n]) => modes.includes(n)).map(([, l]) => l).join('') || 'd';

/** What the plain `ethtool DEV` prints; each part is there when the kernel answered that query. */
export interface EthtoolSettings {
  linkModes?: EthtoolLinkModes;
  linkInfo?: EthtoolLinkInfo;
  wol?: EthtoolWol;
  debug?: EthtoolDebug;
  linkState?: EthtoolLinkState;
}

export function settingsText(dev: string, s: EthtoolSettings): string {
  let out = '';
  const m = s.linkModes;
  if (m) {
    // Lists with a separator word take it after a tab, as ethtool's dump_link_modes prints them.
    out += `\tSupported ports: [ ${m.supported.filter((x) => PORTS.has(x)).join('\t ')} ]\n`;
    out += modeLines('Supported link modes:   ', m.supported, 'Not reported');
    out += `\tSupported pause frame use: ${pauseUse(m.supported)}\n`;
    out += `\tSupports auto-negotiation: ${m.supported.includes('Autoneg') ? 'Yes' : 'No'}\n`;
    out += `\tSupported FEC modes: ${fecList(m.supported, 'Not reported')}\n`;
    out += modeLines('Advertised link modes:  ', m.advertised, 'Not reported');
    out += `\tAdvertised pause frame use: ${pauseUse(m.advertised)}\n`;
    out += `\tAdvertised auto-negotiation: ${m.advertised.includes('Autoneg') ? 'Yes' : 'No'}\n`;
    // ethtool shows the FEC modes of the mask here too.
    out += `\tAdvertised FEC modes: ${fecList(m.supported, 'Not reported')}\n`;
    if (m.peer) {
      out += modeLines('Link partner advertised link modes:  ', m.peer, 'Not reported');
      out += `\tLink partner advertised pause frame use: ${pauseUse(m.peer)}\n`;
      out += `\tLink partner advertised auto-negotiation: ${m.peer.includes('Autoneg') ? 'Yes' : 'No'}\n`;
      out += `\tLink partner advertised FEC modes: ${fecList(m.peer, 'No')}\n`;
    }
    if (m.speed !== undefined) out += `\tSpeed: ${m.speed === 0 || m.speed === 0xffff || m.speed === 0xffffffff ? 'Unknown!' : `${m.speed}Mb/s`}\n`;
    if (m.duplex !== undefined) out += `\tDuplex: ${enumText(DUPLEX_NAMES, m.duplex)}\n`;
    if (m.autoneg !== undefined) out += `\tAuto-negotiation: ${m.autoneg === 0 ? 'off' : 'on'}\n`;
  }
  const i = s.linkInfo;
  if (i) {
    if (i.port !== undefined) out += `\tPort: ${enumText(PORT_NAMES, i.port)}\n`;
    if (i.phyaddr !== undefined) out += `\tPHYAD: ${i.phyaddr}\n`;
    if (i.transceiver !== undefined) out += `\tTransceiver: ${enumText(XCVR_NAMES, i.transceiver)}\n`;
    if (i['tp-mdix'] !== undefined && i.port === PORT_TP) out += `\tMDI-X: ${mdix(i['tp-mdix'], i['tp-mdix-ctrl'] ?? 0)}\n`;
  }
  if (s.wol) {
    out += `\tSupports Wake-on: ${wolLetters(s.wol.supported)}\n\tWake-on: ${wolLetters(s.wol.enabled)}\n`;
    if (s.wol.enabled.includes('magicsecure') && s.wol.sopass) out += `\tSecureOn password: ${[...s.wol.sopass].map((b) => b.toString(16).padStart(2, '0')).join(':')}\n`;
  }
  if (s.debug) {
    const hex = s.debug.msgmask.toString(16).padStart(8, '0');
    out += `        Current message level: 0x${hex} (${s.debug.msgmask})\n${' '.repeat(30)}${s.debug.enabled.map((n) => ` ${n}`).join('')}\n`;
  }
  if (s.linkState?.link !== undefined) out += `\tLink detected: ${s.linkState.link ? 'yes' : 'no'}\n`;
  return out ? `Settings for ${dev}:\n${out}` : '';
}

// ---- -i, -k, -K, -S, --show-priv-flags -----------------------------------

export function driverInfoText(d: EthtoolDriverInfo): string {
  const yes = (n: number): string => (n ? 'yes' : 'no');
  return `driver: ${d.driver}\nversion: ${d.version}\nfirmware-version: ${d.firmwareVersion}\nexpansion-rom-version: ${d.expansionRomVersion}\n`
    + `bus-info: ${d.busInfo}\nsupports-statistics: ${yes(d.nStats)}\nsupports-test: ${yes(d.testinfoLen)}\n`
    + `supports-eeprom-access: ${yes(d.eedumpLen)}\nsupports-register-dump: ${yes(d.regdumpLen)}\nsupports-priv-flags: ${yes(d.nPrivFlags)}\n`;
}

interface FeatureLine { name: string; indent: boolean; feature?: EthtoolFeature; groupOn?: boolean }

/**
 * The lines of `ethtool -k`: each legacy group (tx-checksumming...) with
 * its features under it, or under the group's name when it is one feature;
 * then every other feature by its kernel name.
 */
function featureLines(features: readonly EthtoolFeature[]): FeatureLine[] {
  const lines: FeatureLine[] = [];
  const grouped = new Map<number, EthtoolFeature[]>();
  const rest: EthtoolFeature[] = [];
  for (const f of features) {
    const g = legacyGroupOf(f.name);
    if (g === undefined) rest.push(f);
    else grouped.set(g, [...(grouped.get(g) ?? []), f]);
  }
  LEGACY_FEATURES.forEach((d, g) => {
    if (d.short === 'ufo') return; // no kernel with the netlink interface has it
    const members = grouped.get(g) ?? [];
    if (members.length === 1) { lines.push({ name: d.long, indent: false, feature: members[0] }); return; }
    lines.push({ name: d.long, indent: false, groupOn: members.some((f) => f.active) });
    for (const f of members) lines.push({ name: f.name, indent: true, feature: f });
  });
  for (const f of rest) lines.push({ name: f.name, indent: false, feature: f });
  return lines;
}

export function featuresText(dev: string, features: readonly EthtoolFeature[]): string {
  let out = `Features for ${dev}:\n`;
  for (const l of featureLines(features)) {
    if (!l.feature) { out += `${l.name}: ${onOff(l.groupOn)}\n`; continue; }
    const f = l.feature;
    const suffix = f.fixed ? ' [fixed]' : f.active !== f.wanted ? ` [requested ${onOff(f.wanted)}]` : '';
    out += `${l.indent ? '\t' : ''}${l.name}: ${onOff(f.active)}${suffix}\n`;
  }
  return out;
}

/** `ethtool --json -k`: one object per device, each line's name with active/fixed/requested (null for a group line). */
export function featuresJson(dev: string, features: readonly EthtoolFeature[]): Record<string, unknown> {
  const o: Record<string, unknown> = { ifname: dev };
  for (const l of featureLines(features)) {
    o[l.name] = l.feature
      ? { active: l.feature.active, fixed: l.feature.fixed, requested: l.feature.wanted }
      : { active: l.groupOn ?? false, fixed: null, requested: null };
  }
  return o;
}

/** `ethtool -K`'s report when the kernel did not do exactly what was asked (stdout part). */
export function featureChangesText(r: EthtoolFeaturesResult): string {
  // Silent when every change was asked for and made.
  if (!r.changes.some((c) => c.requested !== undefined || !c.asked)) return '';
  let out = 'Actual changes:\n';
  for (const c of r.changes) {
    out += `${c.name}: ${onOff(c.active)}`;
    if (c.requested !== undefined) out += ` [requested ${onOff(c.requested)}]`;
    else if (!c.asked) out += ' [not requested]';
    out += '\n';
  }
  return out;
}

export function driverStatsText(stats: readonly EthtoolStat[]): string {
  return `NIC statistics:\n${stats.map((s) => `     ${s.name}: ${s.value}\n`).join('')}`;
}

export function privFlagsText(dev: string, flags: readonly EthtoolPrivFlag[]): string {
  if (!flags.length) return `No private flags defined\n`;
  const width = Math.max(...flags.map((f) => f.name.length));
  return `Private flags for ${dev}:\n${flags.map((f) => `${f.name.padEnd(width)}: ${onOff(f.on)}\n`).join('')}`;
}

// ---- -g, -l, -c, -a, --show-eee --------------------------------------------

export function ringsText(dev: string, r: EthtoolRings): string {
  return `Ring parameters for ${dev}:\nPre-set maximums:\n`
    + u32('RX:\t\t', r['rx-max']) + u32('RX Mini:\t', r['rx-mini-max']) + u32('RX Jumbo:\t', r['rx-jumbo-max']) + u32('TX:\t\t', r['tx-max'])
    + 'Current hardware settings:\n'
    + u32('RX:\t\t', r.rx) + u32('RX Mini:\t', r['rx-mini']) + u32('RX Jumbo:\t', r['rx-jumbo']) + u32('TX:\t\t', r.tx)
    + (r['rx-buf-len'] !== undefined ? u32('RX Buf Len:\t\t', r['rx-buf-len']) : '')
    + (r['cqe-size'] !== undefined ? u32('CQE Size:\t\t', r['cqe-size']) : '')
    + (r['tx-push'] !== undefined ? `TX Push:\t${onOff(r['tx-push'])}\n` : '');
}

export function channelsText(dev: string, c: EthtoolChannels): string {
  return `Channel parameters for ${dev}:\nPre-set maximums:\n`
    + u32('RX:\t\t', c['rx-max']) + u32('TX:\t\t', c['tx-max']) + u32('Other:\t\t', c['other-max']) + u32('Combined:\t', c['combined-max'])
    + 'Current hardware settings:\n'
    + u32('RX:\t\t', c['rx-count']) + u32('TX:\t\t', c['tx-count']) + u32('Other:\t\t', c['other-count']) + u32('Combined:\t', c['combined-count']);
}

export function coalesceText(dev: string, c: EthtoolCoalesce): string {
  return `Coalesce parameters for ${dev}:\n`
    + `Adaptive RX: ${onOff(c['use-adaptive-rx'])}  TX: ${onOff(c['use-adaptive-tx'])}\n`
    + u32('stats-block-usecs: ', c['stats-block-usecs']) + u32('sample-interval: ', c['rate-sample-interval'])
    + u32('pkt-rate-low: ', c['pkt-rate-low']) + u32('pkt-rate-high: ', c['pkt-rate-high']) + '\n'
    + u32('rx-usecs: ', c['rx-usecs']) + u32('rx-frames: ', c['rx-max-frames'])
    + u32('rx-usecs-irq: ', c['rx-usecs-irq']) + u32('rx-frames-irq: ', c['rx-max-frames-irq']) + '\n'
    + u32('tx-usecs: ', c['tx-usecs']) + u32('tx-frames: ', c['tx-max-frames'])
    + u32('tx-usecs-irq: ', c['tx-usecs-irq']) + u32('tx-frames-irq: ', c['tx-max-frames-irq']) + '\n'
    + u32('rx-usecs-low: ', c['rx-usecs-low']) + u32('rx-frame-low: ', c['rx-max-frames-low'])
    + u32('tx-usecs-low: ', c['tx-usecs-low']) + u32('tx-frame-low: ', c['tx-max-frames-low']) + '\n'
    + u32('rx-usecs-high: ', c['rx-usecs-high']) + u32('rx-frame-high: ', c['rx-max-frames-high'])
    + u32('tx-usecs-high: ', c['tx-usecs-high']) + u32('tx-frame-high: ', c['tx-max-frames-high']) + '\n'
    + `CQE mode RX: ${onOff(c['use-cqe-mode-rx'])}  TX: ${onOff(c['use-cqe-mode-tx'])}\n\n`;
}

export function pauseText(dev: string, p: EthtoolPause): string {
  return `Pause parameters for ${dev}:\nAutonegotiate:\t${onOff(p.autoneg)}\nRX:\t\t${onOff(p.rx)}\nTX:\t\t${onOff(p.tx)}\n`;
}

/** `ethtool --json -a`: the flags the driver reported, as booleans. */
export function pauseJson(dev: string, p: EthtoolPause): Record<string, unknown> {
  const o: Record<string, unknown> = { ifname: dev };
  if (p.autoneg !== undefined) o.autonegotiate = p.autoneg !== 0;
  if (p.rx !== undefined) o.rx = p.rx !== 0;
  if (p.tx !== undefined) o.tx = p.tx !== 0;
  return o;
}

export function eeeText(dev: string, e: EthtoolEee): string {
  const status = !e.enabled ? 'disabled' : e.active ? 'enabled - active' : 'enabled - inactive';
  let out = `EEE settings for ${dev}:\n\tEEE status: ${status}\n`;
  out += `\tTx LPI: ${e.txLpiEnabled ? `${e.txLpiTimer ?? 0} (us)` : 'disabled'}\n`;
  out += modeLines('Supported EEE link modes:  ', e.supported, 'Not reported');
  out += modeLines('Advertised EEE link modes:  ', e.advertised, 'Not reported');
  out += modeLines('Link partner advertised EEE link modes:  ', e.peer, 'Not reported');
  return out;
}
