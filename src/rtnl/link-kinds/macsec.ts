// macsec: IEEE 802.1AE on top of a parent link (the link's IFLA_LINK). This
// module is the link's own options (the secure channel's identifier, the
// cipher, the switches); keys and associations are generic netlink
// (`ip macsec`), not modelled here. Words and printer as iproute2's
// ipmacsec.c (macsec_parse_opt, macsec_print_opt).
import * as L from '../../generated/linux/if_link.js';
import * as M from '../../generated/linux/if_macsec.js';
import { type Codec, be16, enumMap, mapped, u32, u8 } from '../../netlink/codec.js';
import { describe } from '../../netlink/describe.js';
import { EncodeError } from '../../netlink/errors.js';
import { type AttrsOut, attr, attrSet } from '../../netlink/schema.js';
import { bool8, padding } from '../codecs.js';
import { type Json, type KindJson, type KindWords, linkKind } from './kind.js';
import { type Words, num, onOff, parseUnsigned } from '../words.js';

/** The Secure Channel Identifier: 8 bytes (a MAC address and a port), as 16 hex digits. */
const sci: Codec<string> = {
  name: 'macsec sci',
  write(w, v, path) {
    if (typeof v !== 'string' || !/^(0x)?[0-9a-f]{1,16}$/i.test(v)) throw new EncodeError(path, `expected up to 16 hex digits, got ${describe(v)}`);
    w.bytes(Buffer.from(v.replace(/^0x/i, '').padStart(16, '0'), 'hex'));
  },
  read(buf, start, end, issues, path) {
    if (end - start < 8) {
      issues?.push({ path, problem: `payload of ${end - start} bytes, expected 8`, offset: start });
      return undefined;
    }
    return buf.toString('hex', start, start + 8);
  },
};

const CIPHERS = {
  'GCM-AES-128': M.MACSEC_CIPHER_ID_GCM_AES_128,
  'GCM-AES-256': M.MACSEC_CIPHER_ID_GCM_AES_256,
  'GCM-AES-XPN-128': M.MACSEC_CIPHER_ID_GCM_AES_XPN_128,
  'GCM-AES-XPN-256': M.MACSEC_CIPHER_ID_GCM_AES_XPN_256,
} as const;
type CipherName = keyof typeof CIPHERS;
const isCipher = (v: unknown): v is CipherName => typeof v === 'string' && Object.hasOwn(CIPHERS, v);

/**
 * The cipher suite, a u64 id: a name, or the id (a bigint) when it is none
 * of these. `default` is the kernel's other id for GCM-AES-128, as iproute2
 * sends for `cipher default`.
 */
const cipherSuite: Codec<CipherName | 'default' | bigint, CipherName | 'default' | bigint> = {
  name: 'macsec cipher suite',
  write(w, v, path) {
    const id = v === 'default' ? M.MACSEC_DEFAULT_CIPHER_ID : isCipher(v) ? CIPHERS[v] : v;
    if (typeof id !== 'bigint' || id < 0n || id >= 1n << 64n) throw new EncodeError(path, `expected ${Object.keys(CIPHERS).join(', ')}, default or a u64 id, got ${describe(v)}`);
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(id);
    w.bytes(b);
  },
  read(buf, start, end, issues, path) {
    if (end - start < 8) {
      issues?.push({ path, problem: `payload of ${end - start} bytes, expected 8`, offset: start });
      return undefined;
    }
    const id = buf.readBigUInt64LE(start);
    if (id === M.MACSEC_DEFAULT_CIPHER_ID) return 'default';
    return (Object.keys(CIPHERS).find((k): k is CipherName => isCipher(k) && CIPHERS[k] === id)) ?? id;
  },
};

export const macsecValidation = enumMap('macsec validation', {
  disabled: L.MACSEC_VALIDATE_DISABLED, check: L.MACSEC_VALIDATE_CHECK, strict: L.MACSEC_VALIDATE_STRICT,
});
export const macsecOffload = enumMap('macsec offload', { off: L.MACSEC_OFFLOAD_OFF, phy: L.MACSEC_OFFLOAD_PHY, mac: L.MACSEC_OFFLOAD_MAC });

export const macsecData = attrSet('macsec', {
  sci: attr(L.IFLA_MACSEC_SCI, sci),
  /** The port part of the SCI (the address part is the link's own). */
  port: attr(L.IFLA_MACSEC_PORT, be16),
  icvLen: attr(L.IFLA_MACSEC_ICV_LEN, u8),
  cipherSuite: attr(L.IFLA_MACSEC_CIPHER_SUITE, cipherSuite),
  window: attr(L.IFLA_MACSEC_WINDOW, u32),
  /** The association number (0-3) used to send. */
  encodingSa: attr(L.IFLA_MACSEC_ENCODING_SA, u8),
  encrypt: attr(L.IFLA_MACSEC_ENCRYPT, bool8),
  protect: attr(L.IFLA_MACSEC_PROTECT, bool8),
  incSci: attr(L.IFLA_MACSEC_INC_SCI, bool8),
  es: attr(L.IFLA_MACSEC_ES, bool8),
  scb: attr(L.IFLA_MACSEC_SCB, bool8),
  replayProtect: attr(L.IFLA_MACSEC_REPLAY_PROTECT, bool8),
  validation: attr(L.IFLA_MACSEC_VALIDATION, mapped(u8, macsecValidation)),
  pad: attr(L.IFLA_MACSEC_PAD, padding),
  offload: attr(L.IFLA_MACSEC_OFFLOAD, mapped(u8, macsecOffload)),
});

const CIPHER_WORDS: Readonly<Record<string, CipherName | 'default'>> = {
  default: 'default', 'gcm-aes-128': 'GCM-AES-128', 'GCM-AES-128': 'GCM-AES-128', 'gcm-aes-256': 'GCM-AES-256', 'GCM-AES-256': 'GCM-AES-256',
  'gcm-aes-xpn-128': 'GCM-AES-XPN-128', 'GCM-AES-XPN-128': 'GCM-AES-XPN-128', 'gcm-aes-xpn-256': 'GCM-AES-XPN-256', 'GCM-AES-XPN-256': 'GCM-AES-XPN-256',
};
const SWITCHES: Readonly<Record<string, 'encrypt' | 'incSci' | 'es' | 'scb' | 'protect'>> = {
  encrypt: 'encrypt', send_sci: 'incSci', end_station: 'es', scb: 'scb', protect: 'protect',
};

/**
 * `type macsec [port N | sci HEX | address MAC port N] [cipher C] [icvlen N]
 * [encrypt|send_sci|end_station|scb|protect on|off] [replay on|off window N]
 * [validate V] [encodingsa N] [offload O]`: the SCI or port first, switches,
 * validate and offload where their words are; cipher, icvlen, window with
 * replay, and encodingsa after.
 */
const macsecWords: KindWords = async (w) => {
  const data: Record<string, unknown> = {};
  sciWords(w, data);
  let cipher: CipherName | 'default' | undefined;
  let icvLen: number | undefined;
  let replay: boolean | undefined;
  let window: number | undefined;
  let encodingSa: number | undefined;
  while (!w.done) {
    const x = w.next();
    if (x === 'cipher') {
      const v = w.value(x);
      if (cipher !== undefined) w.fail(`duplicate "cipher": "${v}"`);
      cipher = CIPHER_WORDS[v] ?? w.fail('cipher: expected default, gcm-aes-128, gcm-aes-256, gcm-aes-xpn-128 or gcm-aes-xpn-256');
    } else if (x === 'icvlen') {
      const v = w.value(x);
      if (icvLen !== undefined) w.fail(`duplicate "icvlen": "${v}"`);
      const n = /^\d+$/.test(v) ? Number(v) : NaN;
      if (!(n >= M.MACSEC_MIN_ICV_LEN && n <= M.MACSEC_STD_ICV_LEN)) w.fail(`ICV length must be in the range {${M.MACSEC_MIN_ICV_LEN}..${M.MACSEC_STD_ICV_LEN}}: "${v}"`);
      icvLen = n;
    } else if (Object.hasOwn(SWITCHES, x)) data[SWITCHES[x]!] = onOff(w.value(x), x);
    else if (x === 'replay') replay = onOff(w.value(x), x);
    else if (x === 'window') window = num(w.value(x), 'replay window size');
    else if (x === 'validate') {
      const v = w.value(x);
      if (v !== 'strict' && v !== 'check' && v !== 'disabled') w.fail(`validate: expected strict, check or disabled, got "${v}"`);
      data.validation = v;
    } else if (x === 'encodingsa') {
      const v = w.value(x);
      if (encodingSa !== undefined) w.fail('duplicate "encodingsa"');
      const n = parseUnsigned(v);
      if (n === undefined || n > 3) w.fail(`expected an { 0..3 }: "${v}"`);
      encodingSa = n;
    } else if (x === 'offload') {
      const v = w.value(x);
      if (v !== 'mac' && v !== 'phy' && v !== 'off') w.fail(`offload: expected mac, phy or off, got "${v}"`);
      data.offload = v;
    } else w.fail(`unknown option "${x}"`);
  }
  if ((data.incSci === true && (data.es === true || data.scb === true)) || (data.es === true && data.scb === true)) w.fail('invalid combination of send_sci/end_station/scb');
  if (window !== undefined && replay === undefined) w.fail(`replay window set, but replay protection not enabled (did you mean "replay on window ${window}"?)`);
  if (window === undefined && replay === true) w.fail('replay protection enabled, but no window set (did you mean "replay on window VALUE"?)');
  if (cipher !== undefined) data.cipherSuite = cipher;
  if (icvLen !== undefined) data.icvLen = icvLen;
  if (replay !== undefined) { data.window = window ?? 0xffffffff; data.replayProtect = replay; }
  if (encodingSa !== undefined) data.encodingSa = encodingSa;
  return data;
};

/** get_sci_portaddr(port_only): `sci HEX`, `port N`, or `address MAC port N` (an SCI made of both), first. */
function sciWords(w: Words, data: Record<string, unknown>): void {
  let port: number | undefined;
  let address: string | undefined;
  for (;;) {
    const x = w.peek();
    if (x === 'sci') {
      w.next();
      const v = w.value(x);
      if (!/^(0x)?[0-9a-f]{1,16}$/i.test(v)) w.fail(`expected sci: "${v}"`);
      data.sci = v.replace(/^0x/i, '').padStart(16, '0').toLowerCase();
      return;
    }
    if (x === 'port') {
      w.next();
      const v = w.value(x);
      port = num(v, 'port', 'u16');
      if (port === 0) w.fail('expected port != 0');
      break;
    }
    if (x === 'address' && address === undefined) {
      w.next();
      address = w.value(x);
      if (!/^([0-9a-f]{1,2}:){5}[0-9a-f]{1,2}$/i.test(address)) w.fail(`expected lladdr: "${address}"`);
      continue;
    }
    if (address !== undefined) w.fail('expected port');
    return;
  }
  if (address === undefined) { data.port = port; return; }
  const mac = address.split(':').map((h) => h.padStart(2, '0')).join('');
  data.sci = `${mac}${port.toString(16).padStart(4, '0')}`.toLowerCase();
}

/** iproute2 6.1's macsec_print_opt. */
const macsecJson: KindJson<AttrsOut<typeof macsecData.specs>> = (d) => {
  const o: Record<string, Json | undefined> = {};
  if (d.sci !== undefined) o.sci = d.sci;
  o.protect = d.protect;
  if (d.cipherSuite !== undefined) o.cipher_suite = d.cipherSuite === 'default' ? 'GCM-AES-128' : typeof d.cipherSuite === 'bigint' ? '(unknown)' : d.cipherSuite;
  o.icv_len = d.icvLen;
  o.encoding_sa = d.encodingSa;
  if (d.validation !== undefined) o.validation = typeof d.validation === 'string' ? d.validation : '(unknown)';
  if (d.offload !== undefined) o.offload = typeof d.offload === 'string' ? d.offload : '(unknown)';
  o.encrypt = d.encrypt;
  o.inc_sci = d.incSci;
  o.es = d.es;
  o.scb = d.scb;
  o.replay_protect = d.replayProtect;
  if (d.window !== undefined) o.window = d.window | 0;
  return o;
};

export const macsec = linkKind('macsec', { data: macsecData, words: macsecWords, json: macsecJson });
