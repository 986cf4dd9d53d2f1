// Argument checks for the FFI boundary. ffi-rs aborts the whole process on a
// wrong JS type, silently wraps out-of-range integers and cuts strings at NUL
// (docs/architecture.md), so nothing reaches it unchecked.
import { describe } from '../netlink/describe.js';

export function checkInt32(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
    throw new TypeError(`${name} must be a 32-bit integer, got ${describe(v)}`);
  }
  return v;
}

/** An unsigned 32-bit flag word, passed to C as a signed int with the same bits. */
export function checkFlags32(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new TypeError(`${name} must be an unsigned 32-bit integer, got ${describe(v)}`);
  }
  return v | 0;
}

export function checkFd(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
    throw new TypeError(`${name} must be a file descriptor (a non-negative integer), got ${describe(v)}`);
  }
  return v;
}

export function checkBuffer(name: string, v: unknown, minLength = 0): Buffer {
  if (!Buffer.isBuffer(v)) throw new TypeError(`${name} must be a Buffer, got ${describe(v)}`);
  if (v.length < minLength) throw new RangeError(`${name} must hold at least ${minLength} bytes, got ${v.length}`);
  return v;
}

/** A string that C will read up to its first NUL: one inside it would cut it short. */
export function checkCString(name: string, v: unknown, maxBytes = 4096): string {
  if (typeof v !== 'string') throw new TypeError(`${name} must be a string, got ${describe(v)}`);
  if (v.includes('\0')) throw new TypeError(`${name} must not contain a NUL character`);
  if (Buffer.byteLength(v) > maxBytes) throw new RangeError(`${name} is longer than ${maxBytes} bytes`);
  return v;
}

