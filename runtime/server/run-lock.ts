/** Admits one materialization at a time (per process, or per server with cluster workers). */
export interface RunLock {
  /** True when the caller now holds the lock; false while another run holds it. */
  tryAcquire(): Promise<boolean>;
  release(): void;
}

/** The lock for a single-process server. */
export function localRunLock(): RunLock {
  let held = false;
  return {
    async tryAcquire() {
      if (held) return false;
      held = true;
      return true;
    },
    release() {
      held = false;
    },
  };
}
