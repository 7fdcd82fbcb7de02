import { DataSource } from 'typeorm';
import { partitionCounts } from '../../src/sagas/partition-count';
import { PartitionLeases } from '../../src/sagas/partition-leases';
import type { RegisteredSaga } from '../../src/sagas/saga-registry';
import { sagaStore } from '../../src/sagas/saga-store';

/**
 * For a test that drives a saga's partitions itself (runtime off): the
 * partition count and rows as the runtime would make them, and `leases`
 * holding each of `partitions`.
 */
export async function holdPartitions(
  sql: DataSource,
  leases: PartitionLeases,
  saga: RegisteredSaga,
  partitions: readonly number[] = [0],
): Promise<void> {
  await partitionCounts.claim(sql.manager, saga.name, saga.partitions);
  await sagaStore.ensurePartitions(sql.manager, saga.name, saga.partitions);
  for (const partition of partitions) {
    if (!(await leases.tryAcquire(saga.name, partition, saga.partitions)))
      throw new Error(`could not take ${saga.name}/${partition}`);
  }
}
