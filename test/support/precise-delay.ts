import { Worker } from 'node:worker_threads';

/** A thread woken from a sleep starts 0.1-0.3 ms late here: the last stretch is watched on the clock instead. */
const SPIN_MS = 0.1;

// Atomics.wait sleeps for fractions of a millisecond; it blocks, so it runs in a worker of its own.
// Plain JS evaluated in place: the same code serves ts-jest and the compiled bench.
const SLEEPER = `
const { parentPort } = require('node:worker_threads');
const cell = new Int32Array(new SharedArrayBuffer(4));
const now = () => performance.timeOrigin + performance.now();
parentPort.on('message', (due) => {
  const sleep = due - now() - ${SPIN_MS};
  if (sleep > 0) Atomics.wait(cell, 0, 0, sleep);
  while (now() < due);
  parentPort.postMessage(0);
});`;

/**
 * Runs callbacks in arrival order, each at least `delayMs` after it was
 * queued. setTimeout counts whole milliseconds (a 0.5 ms timer fires after
 * 1 ms or more), so a worker sleeps until the oldest callback is due and
 * wakes this thread then; everything due by that moment runs together.
 * The worker spins at most SPIN_MS a wake; an idle queue costs no CPU.
 */
export class PreciseDelay {
  private readonly queue: { due: number; run: () => void }[] = [];
  private head = 0;
  private sleeping = false;
  private sleeper?: Worker;

  constructor(readonly delayMs: number) {}

  push(run: () => void): void {
    this.queue.push({ due: performance.now() + this.delayMs, run });
    if (!this.sleeping) this.sleepUntilHead();
  }

  async stop(): Promise<void> {
    this.queue.length = this.head = 0;
    await this.sleeper?.terminate();
    this.sleeper = undefined;
  }

  private sleepUntilHead(): void {
    const next = this.queue[this.head];
    if (!next) return;
    this.sleeping = true;
    this.sleeper ??= this.startSleeper();
    this.sleeper.postMessage(performance.timeOrigin + next.due);
  }

  private startSleeper(): Worker {
    const worker = new Worker(SLEEPER, { eval: true });
    worker.unref(); // the sockets whose bytes wait keep the process alive, not the timer
    worker.on('message', () => this.wake());
    return worker;
  }

  private wake(): void {
    this.sleeping = false;
    const now = performance.now();
    while (this.head < this.queue.length && this.queue[this.head].due <= now) this.queue[this.head++].run();
    if (this.head === this.queue.length || this.head > 1024) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.sleepUntilHead();
  }
}
