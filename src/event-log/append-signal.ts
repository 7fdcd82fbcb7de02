import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import { AppendNotifier } from './append-notifier';

/**
 * Wake-ups for the readers of the log, all sent once a commit has returned,
 * none from inside a transaction. After a commit that appended, the
 * listeners in this process (the saga runtime) are called at once, and the
 * notifier tells the other instances with a coalesced NOTIFY. An append
 * outside a transaction counts as committed when it returns. Commits that
 * appended nothing wake nobody: the saga runtime's own commands and batches
 * would keep every idle partition reading.
 */
export class AppendSignal {
  /** Sent as the NOTIFY payload: an instance's listener skips its own, it was woken in-process already. */
  readonly origin = randomUUID();
  private readonly listeners = new Set<(types: ReadonlySet<string>) => void>();
  /** The event types each open transaction appended so far. */
  private readonly appending = new WeakMap<QueryRunner, Set<string>>();
  private readonly watcher: EntitySubscriberInterface = {
    afterTransactionCommit: ({ queryRunner }) => this.ended(queryRunner, true),
    afterTransactionRollback: ({ queryRunner }) => this.ended(queryRunner, false),
  };

  private readonly notifier?: AppendNotifier;

  /** Without `notifyUrl`, other instances are not told (they poll). */
  constructor(
    private readonly dataSource: DataSource,
    notifyUrl?: string,
  ) {
    if (notifyUrl) this.notifier = new AppendNotifier(notifyUrl, this.origin);
    // Subscribers are read at each broadcast; TypeORM has no other hook after COMMIT.
    dataSource.subscribers.push(this.watcher);
  }

  /** Called by the log after its INSERT of events of `types`, inside `manager`'s transaction if it has one. */
  appended(manager: EntityManager, types: Iterable<string>): void {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) return this.committed(new Set(types));
    const pending = this.appending.get(runner) ?? new Set<string>();
    for (const type of types) pending.add(type);
    this.appending.set(runner, pending);
  }

  /**
   * `listener` is called after every commit of this process that appended, with the types it appended;
   * returns the unsubscribe.
   */
  subscribe(listener: (types: ReadonlySet<string>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    const index = this.dataSource.subscribers.indexOf(this.watcher);
    if (index >= 0) this.dataSource.subscribers.splice(index, 1);
    await this.notifier?.stop();
  }

  private ended(runner: QueryRunner | undefined, committed: boolean): void {
    // A savepoint released or rolled back: the transaction goes on.
    if (!runner || runner.isTransactionActive) return;
    const types = this.appending.get(runner);
    this.appending.delete(runner);
    if (types && committed) this.committed(types);
  }

  private committed(types: ReadonlySet<string>): void {
    // The commit has happened: a failing listener must not make it look failed.
    for (const listener of this.listeners) {
      try {
        listener(types);
      } catch {
        // a wake-up lost costs latency only: the readers poll
      }
    }
    this.notifier?.request(types);
  }
}
