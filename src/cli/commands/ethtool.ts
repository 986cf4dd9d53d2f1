// `netlink-ts ethtool ...`: ethtool(8)'s everyday words over the ethtool
// generic netlink family (src/ethtool), printing what ethtool 6.1 prints
// (src/cli/ethtool-text.ts). Failures are told as ethtool tells them
// ("netlink error: ..." on stderr), with its exit statuses where they are
// distinct. `--json` is ethtool's for -k; for the other queries it prints the
// library's objects.
import { Ethtool, type EthtoolCoalesceInput } from '../../ethtool/client.js';
import { OsError } from '../../ffi/os-error.js';
import { EncodeError, NetlinkError } from '../../netlink/errors.js';
import { errnoMessage } from '../../netlink/errno.js';
import { type GlobalOptions, UsageError } from '../args.js';
import type { Output } from '../output.js';
import { genlJson } from './genl.js';
import {
  channelsText, coalesceText, driverInfoText, driverStatsText, eeeText, featureChangesText, featuresJson, featuresText, pauseText,
  pauseJson, privFlagsText, ringsText, settingsText, type EthtoolSettings,
} from '../ethtool-text.js';

export const ETHTOOL_USAGE = `usage: netlink-ts ethtool [ --json ] DEVNAME                 link settings (like ethtool DEVNAME)
       netlink-ts ethtool -i|--driver DEVNAME
       netlink-ts ethtool [ --json ] -k|--show-features DEVNAME
       netlink-ts ethtool -K|--features DEVNAME FEATURE on|off ...
       netlink-ts ethtool -g|--show-ring DEVNAME
       netlink-ts ethtool -G|--set-ring DEVNAME [ rx N ] [ rx-mini N ] [ rx-jumbo N ] [ tx N ]
       netlink-ts ethtool -l|--show-channels DEVNAME
       netlink-ts ethtool -L|--set-channels DEVNAME [ rx N ] [ tx N ] [ other N ] [ combined N ]
       netlink-ts ethtool -c|--show-coalesce DEVNAME
       netlink-ts ethtool -C|--coalesce DEVNAME [ adaptive-rx on|off ] [ rx-usecs N ] [ rx-frames N ] ...
       netlink-ts ethtool -a|--show-pause DEVNAME
       netlink-ts ethtool -A|--pause DEVNAME [ autoneg on|off ] [ rx on|off ] [ tx on|off ]
       netlink-ts ethtool --show-eee DEVNAME
       netlink-ts ethtool --set-eee DEVNAME [ eee on|off ] [ tx-lpi on|off ] [ tx-timer N ]
       netlink-ts ethtool -S|--statistics DEVNAME
       netlink-ts ethtool --show-priv-flags DEVNAME
       netlink-ts ethtool --set-priv-flags DEVNAME FLAG on|off ...
FEATURE is a kernel feature name (rx-gro) or one of ethtool's (tx-checksumming, tso, gro...).
--json prints ethtool's JSON for -k and the library's objects for the other queries.`;

type Verb = 'settings' | 'driver' | 'features' | 'set-features' | 'rings' | 'set-rings' | 'channels' | 'set-channels'
  | 'coalesce' | 'set-coalesce' | 'pause' | 'set-pause' | 'eee' | 'set-eee' | 'stats' | 'priv-flags' | 'set-priv-flags';

const VERBS: Record<string, Verb> = {
  '-i': 'driver', '--driver': 'driver',
  '-k': 'features', '--show-features': 'features', '--show-offload': 'features',
  '-K': 'set-features', '--features': 'set-features', '--offload': 'set-features',
  '-g': 'rings', '--show-ring': 'rings', '-G': 'set-rings', '--set-ring': 'set-rings',
  '-l': 'channels', '--show-channels': 'channels', '-L': 'set-channels', '--set-channels': 'set-channels',
  '-c': 'coalesce', '--show-coalesce': 'coalesce', '-C': 'set-coalesce', '--coalesce': 'set-coalesce',
  '-a': 'pause', '--show-pause': 'pause', '-A': 'set-pause', '--pause': 'set-pause',
  '--show-eee': 'eee', '--set-eee': 'set-eee',
  '-S': 'stats', '--statistics': 'stats',
  '--show-priv-flags': 'priv-flags', '--set-priv-flags': 'set-priv-flags',
};

/** The queries ethtool 6.1 itself prints as JSON. */
const ETHTOOL_JSON = new Set<Verb>(['features', 'pause']);

/** The option ethtool names in its messages (`-K`, `--set-eee`). */
const SHORT: Partial<Record<Verb, string>> = {
  'set-features': '-K', 'set-rings': '-G', 'set-channels': '-L', 'set-coalesce': '-C', 'set-pause': '-A', 'set-eee': '--set-eee', 'set-priv-flags': '--set-priv-flags',
};

export interface EthtoolWords { verb: Verb; dev: string; args: string[]; json: boolean }

export function parseEthtoolWords(words: readonly string[], json: boolean): EthtoolWords {
  const rest = [...words];
  let j = json;
  while (rest[0] === '--json' || rest[0] === '-j') { j = true; rest.shift(); }
  const first = rest[0];
  if (first === undefined) throw new UsageError(`ethtool: bad command line argument(s)\n${ETHTOOL_USAGE}`, 1);
  const verb: Verb | undefined = first.startsWith('-') ? VERBS[first] : 'settings';
  if (verb === undefined) throw new UsageError(`ethtool: unknown option "${first}"\n${ETHTOOL_USAGE}`, 1);
  if (verb !== 'settings') rest.shift();
  const dev = rest.shift();
  if (dev === undefined) throw new UsageError(`ethtool: ${first} needs a device name\n${ETHTOOL_USAGE}`, 1);
  if (!verb.startsWith('set-') && rest.length) throw new UsageError(`ethtool: unexpected "${rest[0]}"\n${ETHTOOL_USAGE}`, 1);
  return { verb, dev, args: rest, json: j };
}

/** `NAME VALUE` pairs of a set command, each name one of `known`. */
function pairs(cmd: string, args: readonly string[], known: readonly string[]): [string, string][] {
  if (args.length === 0) throw new UsageError(`ethtool (${cmd}): no parameters given`, 1);
  const out: [string, string][] = [];
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i]!;
    if (!known.includes(name)) throw new UsageError(`ethtool (${cmd}): unknown parameter '${name}'`, 1);
    const v = args[i + 1];
    if (v === undefined) throw new UsageError(`ethtool (${cmd}): parameter '${name}' needs a value`, 1);
    out.push([name, v]);
  }
  return out;
}

function u32Arg(cmd: string, name: string, v: string): number {
  const n = /^(0x[0-9a-f]+|\d+)$/i.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n > 0xffffffff) throw new UsageError(`ethtool (${cmd}): invalid value '${v}' for parameter '${name}'`, 1);
  return n;
}

function boolArg(cmd: string, name: string, v: string): boolean {
  if (v === 'on') return true;
  if (v === 'off') return false;
  throw new UsageError(`ethtool (${cmd}): invalid value '${v}' for parameter '${name}'`, 1);
}

/** FEATURE on|off ... as ethtool -K and --set-priv-flags take them. */
function onOffList(cmd: string, args: readonly string[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (let i = 0; i < args.length; i += 2) {
    const v = args[i + 1];
    if (v !== 'on' && v !== 'off') throw new UsageError(`ethtool (${cmd}): flag '${v ?? '(null)'}' for parameter '${args[i]}' is not followed by 'on' or 'off'`, 1);
    out[args[i]!] = v === 'on';
  }
  if (!Object.keys(out).length) throw new UsageError(`ethtool (${cmd}): no parameters given`, 1);
  return out;
}

const COALESCE_WORDS: Record<string, keyof EthtoolCoalesceInput> = {
  'adaptive-rx': 'use-adaptive-rx', 'adaptive-tx': 'use-adaptive-tx', 'sample-interval': 'rate-sample-interval',
  'stats-block-usecs': 'stats-block-usecs', 'pkt-rate-low': 'pkt-rate-low', 'pkt-rate-high': 'pkt-rate-high',
  'rx-usecs': 'rx-usecs', 'rx-frames': 'rx-max-frames', 'rx-usecs-irq': 'rx-usecs-irq', 'rx-frames-irq': 'rx-max-frames-irq',
  'tx-usecs': 'tx-usecs', 'tx-frames': 'tx-max-frames', 'tx-usecs-irq': 'tx-usecs-irq', 'tx-frames-irq': 'tx-max-frames-irq',
  'rx-usecs-low': 'rx-usecs-low', 'rx-frames-low': 'rx-max-frames-low', 'tx-usecs-low': 'tx-usecs-low', 'tx-frames-low': 'tx-max-frames-low',
  'rx-usecs-high': 'rx-usecs-high', 'rx-frames-high': 'rx-max-frames-high', 'tx-usecs-high': 'tx-usecs-high', 'tx-frames-high': 'tx-max-frames-high',
  'cqe-mode-rx': 'use-cqe-mode-rx', 'cqe-mode-tx': 'use-cqe-mode-tx',
};
const COALESCE_BOOLS = new Set(['adaptive-rx', 'adaptive-tx', 'cqe-mode-rx', 'cqe-mode-tx']);

/** glibc's strerror text for the errnos ethtool commonly reports (Node's table words a few differently). */
function strerror(errno: number, code: string): string {
  const glibc: Record<string, string> = {
    EOPNOTSUPP: 'Operation not supported', ERANGE: 'Numerical result out of range', EBUSY: 'Device or resource busy',
  };
  const m = glibc[code] ?? errnoMessage(errno);
  return m.charAt(0).toUpperCase() + m.slice(1);
}

/** What ethtool writes to stderr for a netlink error. */
function netlinkErrorText(err: NetlinkError): string {
  let out = '';
  if (err.extack?.message) out += `netlink error: ${err.extack.message}${err.extack.offset !== undefined ? ` (offset ${err.extack.offset})` : ''}\n`;
  return `${out}netlink error: ${strerror(err.errno, err.code)}\n`;
}

export async function ethtoolCommand(words: string[], opts: GlobalOptions, out: Output): Promise<number> {
  if (!words.length || words[0] === 'help' || words[0] === '--help' || words[0] === '-h') {
    out.line(ETHTOOL_USAGE);
    return words.length ? 0 : 1;
  }
  let w: EthtoolWords;
  try { w = parseEthtoolWords(words, opts.json); } catch (x) {
    // ethtool's own words for a command line it cannot use, without our prefix.
    if (x instanceof UsageError) { process.stderr.write(`${x.message}\n`); return x.status; }
    throw x;
  }
  const cmd = SHORT[w.verb] ?? '';
  const raw = (text: string): void => { if (text) process.stdout.write(text); };
  const err = (text: string): void => { process.stderr.write(text); };
  const asJson = (v: unknown): void => out.line(JSON.stringify(v, genlJson, opts.pretty ? 4 : undefined));
  using e = Ethtool.open(opts.netns !== undefined ? { netns: opts.netns } : {});
  const dev = w.dev;
  try {
    switch (w.verb) {
      case 'settings': return await settings(e, dev, w.json, raw, err, asJson);
      case 'driver': {
        let info;
        try { info = e.driverInfo(dev); } catch (x) {
          if (x instanceof OsError) { err(`Cannot get driver information: ${strerror(x.errno, x.code)}\n`); return 71; }
          throw x;
        }
        if (w.json) asJson(info); else raw(driverInfoText(info));
        return 0;
      }
      case 'features': {
        const f = await e.features(dev);
        if (w.json) out.line(JSON.stringify([featuresJson(dev, f)], null, 4));
        else raw(featuresText(dev, f));
        return 0;
      }
      case 'set-features': {
        const r = await e.setFeatures(dev, onOffList(cmd, w.args));
        if (r.nothingChanged) err('Could not change any device features\n');
        raw(featureChangesText(r));
        return r.nothingChanged ? 1 : 0;
      }
      case 'rings': { const r = await e.rings(dev); if (w.json) asJson(r); else raw(ringsText(dev, r)); return 0; }
      case 'set-rings': {
        const v: Record<string, number> = {};
        for (const [k, s] of pairs(cmd, w.args, ['rx', 'rx-mini', 'rx-jumbo', 'tx', 'rx-buf-len', 'cqe-size'])) v[k] = u32Arg(cmd, k, s);
        await e.setRings(dev, v);
        return 0;
      }
      case 'channels': { const c = await e.channels(dev); if (w.json) asJson(c); else raw(channelsText(dev, c)); return 0; }
      case 'set-channels': {
        const v: Record<string, number> = {};
        for (const [k, s] of pairs(cmd, w.args, ['rx', 'tx', 'other', 'combined'])) v[`${k}-count`] = u32Arg(cmd, k, s);
        await e.setChannels(dev, v);
        return 0;
      }
      case 'coalesce': { const c = await e.coalesce(dev); if (w.json) asJson(c); else raw(coalesceText(dev, c)); return 0; }
      case 'set-coalesce': {
        const v: Record<string, number> = {};
        for (const [k, s] of pairs(cmd, w.args, Object.keys(COALESCE_WORDS))) v[COALESCE_WORDS[k]!] = COALESCE_BOOLS.has(k) ? Number(boolArg(cmd, k, s)) : u32Arg(cmd, k, s);
        await e.setCoalesce(dev, v);
        return 0;
      }
      case 'pause': {
        const p = await e.pause(dev);
        if (w.json) out.line(JSON.stringify([pauseJson(dev, p)], null, 4)); else raw(pauseText(dev, p));
        return 0;
      }
      case 'set-pause': {
        const v: Record<string, number> = {};
        for (const [k, s] of pairs(cmd, w.args, ['autoneg', 'rx', 'tx'])) v[k] = Number(boolArg(cmd, k, s));
        await e.setPause(dev, v);
        return 0;
      }
      case 'eee': { const x = await e.eee(dev); if (w.json) asJson(x); else raw(eeeText(dev, x)); return 0; }
      case 'set-eee': {
        const v: { enabled?: boolean; txLpiEnabled?: boolean; txLpiTimer?: number } = {};
        for (const [k, s] of pairs(cmd, w.args, ['eee', 'tx-lpi', 'tx-timer'])) {
          if (k === 'eee') v.enabled = boolArg(cmd, k, s);
          else if (k === 'tx-lpi') v.txLpiEnabled = boolArg(cmd, k, s);
          else v.txLpiTimer = u32Arg(cmd, k, s);
        }
        await e.setEee(dev, v);
        return 0;
      }
      case 'stats': {
        let stats;
        try { stats = await e.driverStats(dev); } catch (x) {
          const code = x instanceof NetlinkError || x instanceof OsError ? x : undefined;
          if (code) { err(`Cannot get stats strings information: ${strerror(code.errno, code.code)}\n`); return 96; }
          throw x;
        }
        if (!stats.length) { err('no stats available\n'); return 94; }
        if (w.json) asJson(stats); else raw(driverStatsText(stats));
        return 0;
      }
      case 'priv-flags': { const f = await e.privFlags(dev); if (w.json) asJson(f); else raw(privFlagsText(dev, f)); return 0; }
      case 'set-priv-flags': await e.setPrivFlags(dev, onOffList(cmd, w.args)); return 0;
    }
  } catch (x) {
    if (x instanceof UsageError) { err(`${x.message}\n`); return x.status; }
    if (x instanceof NetlinkError) {
      err(netlinkErrorText(x));
      // ethtool's JSON queries still print their (empty) array.
      if (w.json && ETHTOOL_JSON.has(w.verb)) raw('[ ]\n');
      return 1;
    }
    if (x instanceof EncodeError) { err(`ethtool: ${x.message.replace(/^[\w.]+: /, '')}\n`); return 1; }
    throw x;
  }
}

/**
 * `ethtool DEV`: link modes, link info, wake-on, message level and link
 * state, each printed when the device answers it (lo answers only the last).
 */
async function settings(e: Ethtool, dev: string, json: boolean, raw: (t: string) => void, err: (t: string) => void, asJson: (v: unknown) => void): Promise<number> {
  const s: EthtoolSettings = {};
  let failed: NetlinkError | undefined;
  const part = async <T>(get: () => Promise<T>): Promise<T | undefined> => {
    try { return await get(); } catch (x) {
      if (!(x instanceof NetlinkError)) throw x;
      // Not offered by this driver: nothing to print for that part, as ethtool.
      if (x.code !== 'EOPNOTSUPP') { failed = x; err(netlinkErrorText(x)); }
      return undefined;
    }
  };
  const lm = await part(() => e.linkModes(dev)); if (lm) s.linkModes = lm;
  const li = await part(() => e.linkInfo(dev)); if (li) s.linkInfo = li;
  const wol = await part(() => e.wol(dev)); if (wol) s.wol = wol;
  const dbg = await part(() => e.debug(dev)); if (dbg) s.debug = dbg;
  const ls = await part(() => e.linkState(dev)); if (ls) s.linkState = ls;
  if (json) { asJson({ ifname: dev, ...s }); return 0; }
  const text = settingsText(dev, s);
  if (!text) { raw('No data available\n'); return 75; }
  raw(text);
  return failed ? 1 : 0;
}
