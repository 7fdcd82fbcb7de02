/** Lets waiting loops sleep until woken or until a timeout, whichever comes first. */
export class WakeSignal {
  private waiters = new Set<() => void>();
  private woken = 0;

  /** Wake-ups so far. A loop that reads it before its work and passes it to wait() misses none that came meanwhile. */
  get wakes(): number {
    return this.woken;
  }

  wait(timeoutMs: number, since?: number): Promise<void> {
    if (since !== undefined && since !== this.woken) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  wake(): void {
    this.woken++;
    for (const waiter of [...this.waiters]) waiter();
  }
}
