/**
 * How far a partition's batches may grow while it is behind: each read that
 * comes back full doubles the next one, up to this many times the configured
 * size. A backlog then goes in fewer, larger batches, and each key's state is
 * loaded and written back once per batch instead of once per small one; the
 * first short read (caught up) or a failure starts again at the configured
 * size, so a live partition reads and commits as little as before.
 */
export const MAX_BATCH_GROWTH = 16;

/** The size of each partition's next batch, by partition id (`saga/partition`). */
export class BatchSizes {
  private readonly sizes = new Map<string, number>();

  /** The size to read with: the configured one, or what full reads have grown it to. */
  of(id: string, configured: number): number {
    return Math.min(this.sizes.get(id) ?? configured, configured * MAX_BATCH_GROWTH);
  }

  /** After a read of `size`: grow while reads come back full, back to the configured size once one does not. */
  read(id: string, size: number, full: boolean): void {
    if (full) this.sizes.set(id, size * 2);
    else this.sizes.delete(id);
  }

  reset(id: string): void {
    this.sizes.delete(id);
  }
}
