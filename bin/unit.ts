/** What the supervisor of `guardyn up` (bin/supervisor.ts) keeps running: one process, a unit. */

export interface ExitReason {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One process the supervisor keeps running. */
export interface Unit {
  readonly name: string;
  /**
   * Starts the process and resolves once it is ready; `spawned` is called as soon as it has a pid.
   * An abort of `signal` (the supervisor stopping) ends a process that is still starting.
   */
  start(spawned: (pid: number) => void, signal: AbortSignal): Promise<RunningUnit>;
}

export interface RunningUnit {
  readonly pid: number;
  /** Settles when the process has exited, for any reason. */
  readonly exited: Promise<ExitReason>;
  /** Ends the process (gracefully first) and waits for it. Idempotent. */
  stop(): Promise<void>;
}
