import { Client } from 'pg';
import { TcpProxy } from './tcp-proxy';
import { createTestDatabase, TestDatabase } from './test-database';

describe('TcpProxy with a delay (the bench database "1 ms away")', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = await new TcpProxy(target.hostname, Number(target.port || 5432), { delayMs: 0.5 }).start();
    client = new Client({ connectionString: proxy.url(db.url) });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await proxy.stop();
    await db.drop();
  });

  it('passes every byte through, in order, each way delayed at least the delay (a round trip >= 1 ms)', async () => {
    const trips: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      const { rows } = await client.query('SELECT $1::int AS i, repeat($2, 20000) AS big', [i, 'x']);
      trips.push(performance.now() - started);
      expect({ i: rows[0].i, length: rows[0].big.length }).toEqual({ i, length: 20000 });
    }
    expect(Math.min(...trips)).toBeGreaterThanOrEqual(1);
  });
});
