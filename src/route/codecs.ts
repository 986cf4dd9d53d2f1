// Attribute codecs specific to rtnetlink, shared by its families.
import { IFNAMSIZ } from '../generated/linux/if.js';
import { type Codec, cstring } from '../netlink/codec.js';
import { EncodeError } from '../netlink/errors.js';

/**
 * Checks an interface name the way the kernel and iproute2 do: 1 to 15
 * bytes, not "." or "..", no "/", ":" or white space. Throws EncodeError.
 */
export function checkIfname(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new EncodeError(path, `an interface name must be a string, got ${typeof v}`);
  const bytes = Buffer.byteLength(v);
  if (bytes === 0) throw new EncodeError(path, 'an interface name cannot be empty');
  if (bytes > IFNAMSIZ - 1) throw new EncodeError(path, `interface name "${v}" is ${bytes} bytes; the limit is ${IFNAMSIZ - 1}`);
  if (v === '.' || v === '..') throw new EncodeError(path, `"${v}" is not a valid interface name`);
  const bad = /[/:\s\0]/.exec(v);
  if (bad) throw new EncodeError(path, `interface name "${v}" contains ${JSON.stringify(bad[0])}, which is not allowed`);
  return v;
}

const base = cstring(IFNAMSIZ - 1);

/** An interface name attribute (IFLA_IFNAME and the like), validated before encoding. */
export const ifname: Codec<string> = {
  name: 'interface name',
  write(w, v, path) { base.write(w, checkIfname(v, path), path); },
  read: base.read,
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
