// Removing a lab when the process ends. SIGINT, SIGTERM, an uncaught error
// and an event loop that runs dry all leave time for an asynchronous down();
// a direct process.exit() does not (its 'exit' handlers must be synchronous),
// so that case only says what was left behind and how to remove it.

/** The part of `process` the hooks use; tests pass their own. */
export interface ProcessHooks {
  /** Adds a process event listener. */
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  /** Removes a process event listener. */
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  /** Ends the process. */
  exit(code?: number): void;
}

export interface CleanupHandle {
  /** Stops watching (after down(), or when the lab is closed by hand). */
  remove(): void;
}

const SIGNAL_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Calls down() once when the process ends for any of the reasons above, then
 * ends the process the way it would have ended.
 */
export function onProcessEnd(label: string, down: () => Promise<unknown>, proc: ProcessHooks = process as unknown as ProcessHooks,
  log: (text: string) => void = (t) => process.stderr.write(`${t}\n`)): CleanupHandle {
  let running: Promise<void> | undefined;
  let done = false;
  const run = (code: number | undefined, reason: string): Promise<void> => {
    running ??= (async () => {
      try {
        await down();
      } catch (err) {
        log(`netlink-ts: removing ${label} after ${reason} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      done = true;
      remove();
      if (code !== undefined) proc.exit(code);
    })();
    return running;
  };
  const handlers: Record<string, (...args: unknown[]) => void> = {
    SIGINT: () => void run(SIGNAL_CODES.SIGINT, 'SIGINT'),
    SIGTERM: () => void run(SIGNAL_CODES.SIGTERM, 'SIGTERM'),
    uncaughtException: (err) => {
      log(`${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      void run(1, 'an uncaught exception');
    },
    unhandledRejection: (err) => {
      log(`unhandled rejection: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      void run(1, 'an unhandled rejection');
    },
    beforeExit: () => void run(undefined, 'the end of the program'),
    exit: () => {
      if (!done) log(`netlink-ts: ${label} was left in place (process.exit() leaves no time to remove it); remove it with its down()`);
    },
  };
  for (const [event, fn] of Object.entries(handlers)) proc.on(event, fn);
  const remove = () => {
    for (const [event, fn] of Object.entries(handlers)) proc.off(event, fn);
  };
  return { remove };
}
