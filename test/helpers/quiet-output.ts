// A CLI Output that prints nothing: for tests that look at errors or requests, not at what is printed.
import type { Output } from '../../src/cli/output.js';

export const quietOutput: Output = { line: () => undefined, json: () => undefined, rows: () => ({ add: () => undefined, end: () => undefined }) };
