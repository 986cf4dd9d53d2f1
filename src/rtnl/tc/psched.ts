// The packet scheduler's clock as tc sees it (tc_core.c): times are sent in
// "ticks" whose length the kernel announces in /proc/net/psched, and tc's
// conversions truncate at each step. Matching tc's bytes means doing the same
// double arithmetic and the same truncations here.
import { readFileSync } from 'node:fs';
import { EncodeError } from '../../netlink/errors.js';

export const TIME_UNITS_PER_SEC = 1000000;

export interface PschedClock {
  /** Ticks per microsecond (15.625 on every kernel since 2.6.x with high-resolution timers). */
  readonly tickInUsec: number;
  /** Kernel clock resolution over microseconds (1 with those kernels). */
  readonly clockFactor: number;
  /** What tc's get_hz() returns (10^9 with those kernels): the divisor of htb's default burst. */
  readonly hz: number;
}

/** Parses the four hex words of /proc/net/psched the way tc_core_init() and get_hz() do. */
export function pschedFromText(text: string): PschedClock {
  const words = text.trim().split(/\s+/).map((w) => parseInt(w, 16));
  let [t2us, us2t, clockRes, hzWord] = words;
  if (t2us === undefined || us2t === undefined || clockRes === undefined || hzWord === undefined) return DEFAULT_CLOCK;
  if (words.some((n) => !Number.isFinite(n)) || us2t === 0 || clockRes === 0) return DEFAULT_CLOCK;
  // tc's compatibility rule: a nanosecond kernel advertises a tick multiplier of 1000 that really is 1.
  if (clockRes === 1000000000) t2us = us2t;
  const clockFactor = clockRes / TIME_UNITS_PER_SEC;
  return { tickInUsec: (t2us / us2t) * clockFactor, clockFactor, hz: clockRes === 1000000 ? hzWord : 100 };
}

/** "000003e8 00000040 000f4240 3b9aca00": what every current kernel prints. */
export const DEFAULT_CLOCK: PschedClock = pschedFromTextUnchecked(1000, 64, 1000000, 1000000000);

function pschedFromTextUnchecked(t2us: number, us2t: number, clockRes: number, hz: number): PschedClock {
  const clockFactor = clockRes / TIME_UNITS_PER_SEC;
  return { tickInUsec: (t2us / us2t) * clockFactor, clockFactor, hz };
}

let current: PschedClock | undefined;

/** The running kernel's clock (read once), or the default when /proc/net/psched cannot be read. */
export function pschedClock(): PschedClock {
  if (!current) {
    try {
      current = pschedFromText(readFileSync('/proc/net/psched', 'utf8'));
    } catch {
      current = DEFAULT_CLOCK;
    }
  }
  return current;
}

/** For tests: pin the clock (undefined: read the kernel's again). */
export function setPschedClock(clock: PschedClock | undefined): void {
  current = clock;
}

/**
 * C's double → unsigned int conversion as gcc does it on x86-64 (truncate to
 * a 64-bit integer, keep the low 32 bits), for the rare value tc lets wrap.
 */
export function toU32(x: number): number {
  const t = Math.trunc(x);
  if (t >= 0 && t < 4294967296) return t;
  if (!(Math.abs(t) < 2 ** 63)) return 0;
  return Number(BigInt.asUintN(32, BigInt(t)));
}

export function time2tick(time: number, clock = pschedClock()): number {
  return toU32(time * clock.tickInUsec);
}

export function tick2time(tick: number, clock = pschedClock()): number {
  return toU32(tick / clock.tickInUsec);
}

/** Kernel "ktime" units from microseconds (netem's 32-bit delay fields hold ticks instead). */
export function time2ktime(time: number, clock = pschedClock()): number {
  return toU32(time * clock.clockFactor);
}

/**
 * Ticks to send `size` bytes at `rate` bytes/s (tc_calc_xmittime). Throws
 * when the result does not fit the kernel's 32-bit field, where tc would
 * silently wrap it (unless `wrap`: rate-table cells the kernel ignores).
 */
export function xmitTime(rate: number, size: number, path = 'burst', clock = pschedClock(), wrap = false): number {
  const usec = toU32(TIME_UNITS_PER_SEC * (size / rate));
  const ticks = usec * clock.tickInUsec;
  if (!wrap && (TIME_UNITS_PER_SEC * (size / rate) >= 4294967296 || ticks >= 4294967296)) {
    throw new EncodeError(path, `${size} bytes at ${rate} bytes/s take too long to express in the kernel's 32-bit tick field`);
  }
  return toU32(ticks);
}

/** Bytes sent in `ticks` at `rate` bytes/s (tc_calc_xmitsize), as tc prints bursts back. */
export function xmitSize(rate: number, ticks: number, clock = pschedClock()): number {
  return toU32((rate * tick2time(ticks, clock)) / TIME_UNITS_PER_SEC);
}
