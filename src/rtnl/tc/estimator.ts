// Rate estimators (TCA_RATE): tc's "estimator INTERVAL TIME_CONSTANT", turned
// into struct tc_estimator's two logarithms as tc_setup_estimator does.
import { EncodeError } from '../../netlink/errors.js';
import { TIME_UNITS_PER_SEC } from './psched.js';
import { type Time, parseTime } from './units.js';

/** A rate estimator as given (`tc ... estimator INTERVAL TIME_CONSTANT`). */
export interface EstimatorInput {
  /** How often the rate is sampled ('1s', or microseconds). */
  interval: Time;
  /** Averaging time constant ('8s', or microseconds). */
  timeConstant: Time;
}

export function estimator(v: EstimatorInput, path: string): { interval: number; ewma_log: number } {
  if (v === null || typeof v !== 'object') throw new EncodeError(path, 'expected { interval, timeConstant }');
  const a = parseTime(v.interval, `${path}.interval`);
  const tc = parseTime(v.timeConstant, `${path}.timeConstant`);
  let interval = 0;
  for (; interval <= 5; interval++) if (a <= (1 << interval) * (TIME_UNITS_PER_SEC / 4)) break;
  if (interval > 5) throw new EncodeError(`${path}.interval`, 'the estimator interval is out of range (at most 8s)');
  let ewma = 1;
  for (; ewma < 32; ewma++) {
    const w = 1.0 - 1.0 / 2 ** ewma;
    if (a / -Math.log(w) > tc) break;
  }
  ewma--;
  if (ewma === 0 || ewma >= 31) throw new EncodeError(`${path}.timeConstant`, 'the estimator time constant is out of range for this interval');
  return { interval: interval - 2, ewma_log: ewma };
}
