// What a lab reports when it cannot do what it was asked.
import { type Problem, problemText } from './shape.js';

/** The description is not usable; every problem is listed, nothing was created. */
export class LabValidationError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[], what = 'the lab description') {
    const n = problems.length;
    super(`${what} has ${n} problem${n === 1 ? '' : 's'}:\n${problems.map((p) => `  ${problemText(p)}`).join('\n')}`);
    this.name = 'LabValidationError';
    this.problems = problems;
  }
}

/** Something on the system stopped the lab (before, during or after up). */
export class LabError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LabError';
  }
}

/**
 * up() refused before making anything: the system lacks a kind the lab
 * needs (`lacking`), or a name the lab would take is taken. Each problem is
 * one line of `problems`.
 */
export class LabRefusedError extends LabError {
  constructor(
    message: string,
    readonly problems: string[],
    readonly lacking: { linkKinds: string[]; qdiscKinds: string[] },
  ) {
    super(message);
    this.name = 'LabRefusedError';
  }
}

/**
 * up() failed at one step. Everything it had created was removed again
 * (rollbackErrors lists what could not be, which should be empty).
 */
export class LabUpError extends LabError {
  constructor(
    message: string,
    cause: unknown,
    /** 1-based number of the step that failed, and how many there were. */
    readonly step: number,
    readonly steps: number,
    readonly rollbackErrors: unknown[],
  ) {
    super(message, { cause });
    this.name = 'LabUpError';
  }
}

/**
 * The lab's record cannot be trusted (it does not parse, lists names outside
 * the lab's prefix, is a symbolic link, belongs to another description of a
 * lab with the same name), or cannot be read, written or removed. Nothing was
 * changed on the system because of it; the message says what to do.
 */
export class LabRecordError extends LabError {
  constructor(
    message: string,
    /** 'unusable': it cannot be read or trusted; 'foreign': it is another description's; 'io': it cannot be written or removed. */
    readonly kind: 'unusable' | 'foreign' | 'io',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LabRecordError';
  }
}

/** Another operation on the same lab (in this process or another) holds its lock. */
export class LabBusyError extends LabError {
  constructor(message: string, readonly pid?: number) {
    super(message);
    this.name = 'LabBusyError';
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
