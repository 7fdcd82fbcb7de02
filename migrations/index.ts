import { EventLog1763700000000 } from './1763700000000-event-log';
import { Aggregates1763700100000 } from './1763700100000-aggregates';
import { SagaRuntime1763700200000 } from './1763700200000-saga-runtime';
import { SagaInstances1763700300000 } from './1763700300000-saga-instances';
import { PartitionLeases1763700400000 } from './1763700400000-partition-leases';
import { ParkedKeys1763700500000 } from './1763700500000-parked-keys';
import { SagaPartitionCounts1763700600000 } from './1763700600000-saga-partition-counts';
import { RetentionIndexes1763700800000 } from './1763700800000-retention-indexes';
import { EventLogNotifyOff1763701300000 } from './1763701300000-event-log-notify-off';
import { DropEventLogTagsIndex1763701600000 } from './1763701600000-drop-event-log-tags-index';
import { SagaStateEntries1763701700000 } from './1763701700000-saga-state-entries';

/**
 * Every migration, in order. Listed explicitly rather than globbed so the same
 * list works compiled, under jest and for the TypeORM CLI. A migration made by
 * `npm run migration:generate` is added here.
 */
export const migrations = [
  EventLog1763700000000,
  Aggregates1763700100000,
  SagaRuntime1763700200000,
  SagaInstances1763700300000,
  PartitionLeases1763700400000,
  ParkedKeys1763700500000,
  SagaPartitionCounts1763700600000,
  RetentionIndexes1763700800000,
  EventLogNotifyOff1763701300000,
  DropEventLogTagsIndex1763701600000,
  SagaStateEntries1763701700000,
];
