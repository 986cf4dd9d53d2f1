// Attribute codecs specific to rtnetlink, shared by its families.
import { ALTIFNAMSIZ, IFALIASZ, IFNAMSIZ } from '../generated/linux/if.js';
import { type Codec, cstring } from '../netlink/codec.js';
import { describe } from '../netlink/describe.js';
import { EncodeError } from '../netlink/errors.js';
import { readCString } from '../netlink/reader.js';
import { stringBytes } from '../netlink/writer.js';

/**
 * Checks an interface name the way the kernel and iproute2 do: 1 to 15
 * bytes, not "." or "..", no "/", ":" or white space (dev_valid_name). "%"
 * is refused too: the kernel takes a name with it for a template and
 * expands it (br%d → br0), so the link made would not carry the name given,
 * and whoever looks for it by that name (a lab's down()) would not find it.
 * Throws EncodeError.
 */
export function checkIfname(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new EncodeError(path, `an interface name must be a string, got ${typeof v}`);
  const bytes = Buffer.byteLength(v);
  if (bytes === 0) throw new EncodeError(path, 'an interface name cannot be empty');
  if (bytes > IFNAMSIZ - 1) throw new EncodeError(path, `interface name "${v}" is ${bytes} bytes; the limit is ${IFNAMSIZ - 1}`);
  if (v === '.' || v === '..') throw new EncodeError(path, `"${v}" is not a valid interface name`);
  const bad = /[/:\s\0%]/.exec(v);
  if (bad?.[0] === '%') throw new EncodeError(path, `interface name "${v}" contains "%", which the kernel would expand into a number (br%d becomes br0); give the whole name`);
  if (bad) throw new EncodeError(path, `interface name "${v}" contains ${JSON.stringify(bad[0])}, which is not allowed`);
  return v;
}

/**
 * Checks an alternative name (`ip link property add ... altname NAME`) as
 * iproute2's check_altifname does, and its length as the kernel does: 1 to
 * ALTIFNAMSIZ - 1 bytes, no "/" or white space. Throws EncodeError.
 */
export function checkAltName(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new EncodeError(path, `an alternative name must be a string, got ${typeof v}`);
  const bytes = Buffer.byteLength(v);
  if (bytes === 0) throw new EncodeError(path, 'an alternative name cannot be empty');
  if (bytes > ALTIFNAMSIZ - 1) throw new EncodeError(path, `alternative name "${v}" is ${bytes} bytes; the limit is ${ALTIFNAMSIZ - 1}`);
  const bad = /[/\s\0]/.exec(v);
  if (bad) throw new EncodeError(path, `alternative name "${v}" contains ${JSON.stringify(bad[0])}, which is not allowed`);
  return v;
}

/**
 * A link named by a string: an interface name, or one of its alternative
 * names. A name longer than an interface name can only be an alternative
 * one (the kernel finds it by IFLA_ALT_IFNAME, as iproute2 asks).
 */
export function checkLinkName(v: unknown, path: string): string {
  return typeof v === 'string' && Buffer.byteLength(v) > IFNAMSIZ - 1 ? checkAltName(v, path) : checkIfname(v, path);
}

/** Whether a checked link name can only be an alternative name (longer than IFNAMSIZ - 1 bytes). */
export const isLongAltName = (name: string): boolean => Buffer.byteLength(name) > IFNAMSIZ - 1;

const base = cstring(IFNAMSIZ - 1);

/** An interface name attribute (IFLA_IFNAME and the like), validated before encoding. */
export const ifname: Codec<string> = {
  name: 'interface name',
  write(w, v, path) { base.write(w, checkIfname(v, path), path); },
  read: base.read,
};

/**
 * A u8 the kernel treats as on/off (bridge, vxlan and tun options): decoded
 * as a boolean; encodes a boolean (or 0/1) as 0 or 1.
 */
export const bool8: Codec<boolean, boolean | 0 | 1> = {
  name: 'boolean (u8)',
  write(w, v, path) {
    if (v !== true && v !== false && v !== 0 && v !== 1) throw new EncodeError(path, `expected true or false, got ${describe(v)}`);
    w.bytes(v === true || v === 1 ? ONE : ZERO);
  },
  read(buf, start, end, issues, path) {
    if (end - start < 1) {
      issues?.push({ path, problem: 'empty payload, expected a u8', offset: start });
      return undefined;
    }
    return buf[start] !== 0;
  },
};
const ONE = Buffer.from([1]);
const ZERO = Buffer.from([0]);

/**
 * An alignment attribute (IFLA_*_PAD) the kernel puts before 64-bit values:
 * it carries nothing, so it is dropped when read and never sent.
 */
export const padding: Codec<never, never> = {
  name: 'padding',
  write(_w, _v, path) { throw new EncodeError(path, 'a padding attribute is not sent'); },
  read() { return undefined; },
};

/**
 * An interface alias (IFLA_IFALIAS): sent without a NUL, as iproute2 sends
 * it (the kernel keeps the bytes as given), at most IFALIASZ - 1 bytes.
 */
export const ifalias: Codec<string> = {
  name: 'interface alias',
  write(w, v, path) { w.bytes(stringBytes(v, path, IFALIASZ - 1)); },
  read(buf, start, end) { return readCString(buf, start, end); },
};

/** A number whose `none` value is the kernel's "not set" (e.g. -1): it decodes as absent. */
export function unsetWhen(base: Codec<number, number | bigint>, none: number): Codec<number, number | bigint> {
  return {
    name: base.name,
    write: base.write,
    read(buf, start, end, issues, path) {
      const v = base.read(buf, start, end, issues, path);
      return v === none ? undefined : v;
    },
  };
}
