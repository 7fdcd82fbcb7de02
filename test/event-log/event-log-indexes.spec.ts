import { DataSource } from 'typeorm';
import { DropEventLogTagsIndex1763701600000 } from '../../migrations/1763701600000-drop-event-log-tags-index';
import { EventLogService } from '../../src/event-log/event-log.service';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { openDataSource } from '../support/test-data-source';

// The indexes an append maintains; docs/benchmarks.md ("Indexes on event_log") says why each one stays.
const KEPT = [
  'event_log_commit_order',
  'event_log_event_id_key',
  'event_log_pkey',
  'event_log_stream_version_key',
  'event_log_type_commit_order',
];

describe('indexes on event_log', () => {
  let db: TestDatabase;
  let sql: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await openDataSource(db.url, 2);
  });
  afterAll(async () => {
    await sql.destroy();
    await db.drop();
  });

  const indexes = async () =>
    (await sql.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'event_log' ORDER BY 1`)).map(
      (row: { indexname: string }) => row.indexname,
    );

  it('are exactly the ones that earn their cost once migrated: no GIN index on tags', async () => {
    expect(await indexes()).toEqual(KEPT);
  });

  it('come back and go again with the migration down and up, and a tag is still found without the index', async () => {
    const log = new EventLogService(sql);
    await log.append(sql.manager, { type: 'Order', id: 'order-t1' }, 0, [
      { type: 'OrderCreated', payload: { orderId: 't1' }, tags: ['customer:tagged'] },
    ]);
    const migration = new DropEventLogTagsIndex1763701600000();
    const runner = sql.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await indexes()).toEqual([...KEPT, 'event_log_tags'].sort());
      await migration.up(runner);
      expect(await indexes()).toEqual(KEPT);
    } finally {
      await runner.release();
    }
    expect((await log.readByTag('customer:tagged')).map((event) => event.streamId)).toEqual(['order-t1']);
  });
});
