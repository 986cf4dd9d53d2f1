// What exec.ts and its helper process (exec-helper.ts) tell each other over
// the control fd. Kept apart so that importing it never starts the helper.

export interface ExecPlan {
  argv: string[];
  /** KEY=VALUE strings for the program. */
  env: string[];
  cwd?: string;
  uid?: number;
  gid?: number;
  groups?: number[];
  /** The namespace's name, when it has one: /etc/netns/NAME and the sysfs source. */
  name?: string;
  /** fd numbers, in this process, of the namespace and of stdio entries to pass on. */
  netnsFd: number;
  passFds: number[];
}

export interface ExecFailure {
  /** What was being done, e.g. 'mount sysfs on /sys', 'execute "foo"'. */
  step: string;
  syscall: string;
  errno: number;
}

/** Exit statuses when the program never ran: like a shell's 127 (not found) and 126 (not executable). */
export const EXIT_SETUP_FAILED = 125;
export const EXIT_NOT_EXECUTABLE = 126;
export const EXIT_NOT_FOUND = 127;
