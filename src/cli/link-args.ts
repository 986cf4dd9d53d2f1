// `link add|set|del` arguments in iproute2's syntax, turned into the
// LinkInput iproute2 would send for them: the same attributes in the same
// order, with the defaults its kind parsers add (vxlan's learning...), so
// that our request bytes equal iproute2's for the same command line. This
// follows iplink_parse() and iplink_modify() of iproute2 6.1.
import { IFF_ALLMULTI, IFF_DYNAMIC, IFF_MULTICAST, IFF_NOARP, IFF_NOTRAILERS, IFF_PROMISC, IFF_UP } from '../generated/linux/if.js';
import { parseHw } from '../netlink/ip.js';
import { checkAltName, checkIfname } from '../rtnl/codecs.js';
import type { LinkInput } from '../rtnl/link.js';
import { addrGenModes } from '../rtnl/link-af-spec.js';
import { linkModes, operStates } from '../rtnl/link-names.js';
import { UsageError, matches } from './args.js';
import { linkKindOf } from '../rtnl/link-kinds/registry.js';
import type { LinkWordsContext } from '../rtnl/link-kinds/kind.js';
import { Words, num, onOff } from '../rtnl/words.js';
import { parseVfWords } from './link-vf-args.js';

/** What the link words need from outside (the CLI asks the kernel). */
export type LinkArgsContext = LinkWordsContext;

/** What one `link` command line asks for. */
export type LinkCommand =
  | { verb: 'add'; input: LinkInput }
  | { verb: 'set'; index: number; input: LinkInput }
  | { verb: 'del'; index: number }
  | { verb: 'del'; group: number }
  | { verb: 'property'; action: 'add' | 'del'; index: number; names: string[] };

/**
 * `link property add|del [dev] NAME altname NAME...` (iproute2's
 * iplink_prop_mod): the device by index, the names in the order given.
 */
export async function parseLinkPropertyCommand(words: readonly string[], ctx: LinkArgsContext): Promise<LinkCommand> {
  const [op, ...rest] = words;
  const action = matches(op, 'add') ? 'add' : matches(op, 'del') ? 'del' : undefined;
  if (!action) throw new UsageError(`link property: expected "add" or "del"${op === undefined ? '' : `, got "${op}"`}`);
  const w = new Words(rest, `link property ${action}`);
  const names: string[] = [];
  let dev: string | undefined;
  while (!w.done) {
    const x = w.next();
    if (matches(x, 'altname')) names.push(altName(w.value(x), 'altname'));
    else {
      const name = x === 'dev' ? w.value(x) : x;
      if (dev !== undefined) w.fail(`duplicate "dev": "${name}" is the second device`);
      dev = altName(name, '"dev"');
    }
  }
  if (dev === undefined) throw new UsageError(`link property ${action}: "dev" is required`);
  if (!names.length) throw new UsageError(`link property ${action}: nothing to do (give "altname NAME")`);
  const index = await ctx.index(dev);
  if (!index) throw new UsageError(`link property ${action}: cannot find device "${dev}"`);
  return { verb: 'property', action, index, names };
}

function altName(v: string, what: string): string {
  try {
    return checkAltName(v, what);
  } catch (err) {
    throw new UsageError(`${what}: not a valid altname "${v}" (${err instanceof Error ? err.message : String(err)})`);
  }
}

export async function parseLinkCommand(verb: 'add' | 'set' | 'del', words: readonly string[], ctx: LinkArgsContext): Promise<LinkCommand> {
  const w = new Words(words, `link ${verb}`);
  const p = await parseLinkWords(w, verb === 'add', ctx);
  if (p.group !== undefined) {
    if (verb === 'del') return { verb, group: p.group };
    throw new UsageError(`link ${verb}: "group" without "dev" is not supported`);
  }
  if (verb === 'del') {
    const extra = Object.keys(p.input).filter((k) => k !== 'index');
    if (extra.length) throw new UsageError(`link del: only "dev NAME" or "group N" (got ${extra.join(', ')})`);
    return { verb, index: p.index! };
  }
  if (verb === 'set') {
    const { index: _, ...input } = p.input;
    return { verb, index: p.index!, input };
  }
  return { verb, input: p.input };
}

interface Parsed {
  input: LinkInput;
  /** ifi_index: the link changed (set, del) or the index asked for (add). */
  index?: number;
  /** `group N` without a device: the command applies to the group (and nothing else is set). */
  group?: number;
}

const FLAG_WORDS: Record<string, [bit: number, inverted: boolean]> = {
  multicast: [IFF_MULTICAST, false], allmulticast: [IFF_ALLMULTI, false], promisc: [IFF_PROMISC, false],
  trailers: [IFF_NOTRAILERS, true], arp: [IFF_NOARP, true],
};

const UNSUPPORTED = ['xdp', 'xdpgeneric', 'xdpdrv', 'xdpoffload', 'vrf', 'protodown_reason', 'link-netns'];

/**
 * iplink_parse(): the words up to `type`, then the kind's own words. create
 * is NLM_F_CREATE (add); a veth peer is parsed by this same function (peer).
 */
export async function parseLinkWords(w: Words, create: boolean, ctx: LinkArgsContext, peer = false): Promise<Parsed> {
  const a: Record<string, unknown> = {};
  let flags = 0;
  let change = 0;
  let name: string | undefined;
  let dev: string | undefined;
  let link: string | undefined;
  let index = 0;
  let group: number | undefined;
  let type: string | undefined;
  const once = (key: string, what: string): void => {
    if (a[key] !== undefined) w.fail(`"${what}" given twice`);
  };
  while (!w.done) {
    const x = w.next();
    if (x === 'up') { change |= IFF_UP; flags |= IFF_UP; }
    else if (x === 'down') { change |= IFF_UP; flags &= ~IFF_UP; }
    else if (x === 'name') {
      const v = w.value(x);
      if (name !== undefined) w.fail('"name" given twice');
      name = ifname(v, 'name');
      dev ??= name;
    } else if (x === 'index') {
      index = num(w.value(x), '"index" value', 's32');
      if (index <= 0) w.fail(`invalid "index" value ${index}`);
    } else if (matches(x, 'link')) link = w.value(x);
    else if (matches(x, 'address')) a.address = hw(w.value(x), 'address');
    else if (matches(x, 'broadcast') || x === 'brd') a.broadcast = hw(w.value(x), 'broadcast');
    else if (matches(x, 'txqueuelen') || x === 'qlen' || matches(x, 'txqlen')) { once('txqlen', 'txqueuelen'); a.txqlen = num(w.value(x), '"txqueuelen" value', 's32'); }
    else if (x === 'mtu') { once('mtu', 'mtu'); a.mtu = num(w.value(x), '"mtu" value', 's32'); }
    else if (x === 'netns') {
      const v = w.value(x);
      if (a.netnsFd !== undefined || a.netnsPid !== undefined) w.fail('"netns" given twice');
      const fd = ctx.netnsFd(v);
      if (fd !== undefined) a.netnsFd = fd;
      else if (/^\d+$/.test(v)) a.netnsPid = num(v, '"netns" value', 's32');
      else w.fail(`no namespace named "${v}" (and not a process id)`);
    } else if (Object.hasOwn(FLAG_WORDS, x)) {
      const [bit, inverted] = FLAG_WORDS[x]!;
      change |= bit;
      if (onOff(w.value(x), x) !== inverted) flags |= bit;
      else flags &= ~bit;
    } else if (x === 'carrier') a.carrier = onOff(w.value(x), 'carrier') ? 1 : 0;
    else if (matches(x, 'master')) a.master = await existing(ctx, w.value(x), 'master');
    else if (matches(x, 'nomaster')) a.master = 0;
    else if (matches(x, 'dynamic')) {
      change |= IFF_DYNAMIC;
      if (onOff(w.value(x), 'dynamic')) flags |= IFF_DYNAMIC;
      else flags &= ~IFF_DYNAMIC;
    } else if (matches(x, 'type')) {
      if (peer) w.fail('a veth peer cannot have a "type"');
      type = w.value(x);
      break;
    } else if (matches(x, 'alias')) a.alias = w.value(x);
    else if (x === 'group') {
      if (group !== undefined) w.fail('"group" given twice');
      group = num(w.value(x), '"group" value', 's32');
      a.group = group;
    } else if (x === 'mode') a.linkmode = named(linkModes, w.value(x), 'link mode');
    else if (x === 'state') a.operstate = named(operStates, w.value(x).toLowerCase(), 'operstate');
    else if (matches(x, 'numtxqueues')) { once('numTxQueues', 'numtxqueues'); a.numTxQueues = num(w.value(x), '"numtxqueues" value', 's32'); }
    else if (matches(x, 'numrxqueues')) { once('numRxQueues', 'numrxqueues'); a.numRxQueues = num(w.value(x), '"numrxqueues" value', 's32'); }
    else if (matches(x, 'link-netnsid')) { once('linkNetnsid', 'link-netnsid'); a.linkNetnsid = num(w.value(x), '"link-netnsid" value', 's32'); }
    else if (x === 'protodown') a.protoDown = onOff(w.value(x), 'protodown') ? 1 : 0;
    else if (x === 'gso_max_size') a.gsoMaxSize = num(w.value(x), '"gso_max_size" value');
    else if (x === 'gso_max_segs') a.gsoMaxSegs = num(w.value(x), '"gso_max_segs" value');
    else if (x === 'gro_max_size') a.groMaxSize = num(w.value(x), '"gro_max_size" value');
    else if (x === 'parentdev') a.parentDevName = w.value(x);
    else if (matches(x, 'addrgenmode')) a.afSpec = { inet6: { addrGenMode: named(addrGenModes, w.value(x), 'address generation mode') } };
    else if (x === 'vf') a.vfinfoList = parseVfWords(w);
    else if (UNSUPPORTED.includes(x)) w.fail(`"${x}" is not supported by this version`);
    else {
      if (matches(x, 'help')) w.fail('see `ip link help` for the syntax this command follows');
      const v = x === 'dev' ? w.value(x) : x;
      if (dev !== name) w.fail(`"dev" given twice ("${dev}", "${v}")`);
      dev = ifname(v, 'dev');
    }
  }

  if (name === undefined) name = dev;
  else dev ??= name;

  if (group !== undefined && dev === undefined) {
    if (!w.done) w.fail(`unexpected "${w.peek()}"`);
    if (create) w.fail('"group" cannot be used when creating links');
    return { input: a as LinkInput, group };
  }
  const input: Record<string, unknown> = {};
  let ifindex: number | undefined;
  if (!create) {
    if (dev === undefined) w.fail('"dev" is required');
    ifindex = await existing(ctx, dev, 'dev');
    input.index = ifindex;
    if (name === dev) name = undefined;
    if (index) a.newIfindex = index;
  } else {
    if (name !== dev) w.fail('"name" and "dev" cannot both be used when creating links');
    if (link !== undefined) a.link = await existing(ctx, link, 'link');
    if (index) input.index = ifindex = index;
  }
  if (change) { input.flags = flags >>> 0; input.change = change >>> 0; }
  Object.assign(input, a);
  if (name !== undefined) input.name = name;
  if (type !== undefined) input.linkinfo = await kindWords(type, w, create, ctx);
  else if (create && !peer) w.fail('a new link needs "type KIND"');
  return { input: input as LinkInput, index: ifindex };
}

/** iplink_modify()'s IFLA_LINKINFO: the kind, and its options parsed by the kind's own words. */
async function kindWords(type: string, w: Words, create: boolean, ctx: LinkArgsContext): Promise<Record<string, unknown>> {
  const info: Record<string, unknown> = { kind: type };
  const rest = w.rest();
  if (!rest.length) return info;
  // `type bridge_slave`: the port words of the bridge kind.
  const port = type.endsWith('_slave');
  const kind = linkKindOf(port ? type.slice(0, -'_slave'.length) : type);
  const parser = port ? kind?.portWords : kind?.words;
  if (!parser) throw new UsageError(`link: unexpected "${rest[0]}" ("${type}" takes no options here)`);
  const data = await parser(new Words(rest, type), { ...ctx, create, parseLink: (words) => parseLinkWords(words, create, ctx, true) });
  info[type.endsWith('_slave') ? 'slaveData' : 'data'] = data;
  return info;
}

function ifname(v: string, what: string): string {
  try {
    return checkIfname(v, what);
  } catch (err) {
    throw new UsageError(`"${what}" is not a valid interface name: ${(err as Error).message}`);
  }
}

function hw(v: string, what: string): string {
  try {
    parseHw(v, what);
    return v;
  } catch {
    throw new UsageError(`invalid ${what} "${v}"`);
  }
}

async function existing(ctx: LinkArgsContext, name: string, what: string): Promise<number> {
  const i = await ctx.index(name);
  if (!i) throw new UsageError(`${what}: cannot find device "${name}"`);
  return i;
}

function named(map: { encode(v: never, path: string): number }, v: string, what: string): string {
  try {
    map.encode(v as never, what);
    return v;
  } catch {
    throw new UsageError(`invalid ${what} "${v}"`);
  }
}
