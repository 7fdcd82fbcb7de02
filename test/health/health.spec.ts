import { eventually } from '../../src/testing/eventually';
import { startTestApp, TestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

describe('GET /health', () => {
  let db: TestDatabase;
  let service: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    service = await startTestApp(db.url);
  });
  afterAll(async () => {
    await service.close();
    await db.drop();
  });

  it('answers 200 while the database answers, and 503 once it is gone', async () => {
    const up = await fetch(`${service.url}/health`);
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ status: 'ok', details: { database: { status: 'up' } } });

    await db.drop();
    await eventually(async () => {
      const down = await fetch(`${service.url}/health`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        status: 'error',
        error: { database: { status: 'down' } },
      });
    });
  });
});
