import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabase } from './database-url';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function settings(): { adminUrl: string; template: string } {
  const adminUrl = process.env.BACKSTOP_TEST_ADMIN_URL;
  const template = process.env.BACKSTOP_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error('Run tests through jest so that test/support/global-setup.ts runs');
  return { adminUrl, template };
}

/** A fresh, migrated database of its own, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { adminUrl, template } = settings();
  const name = `${template}_t_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (error) {
        // Two clones of one template at the same instant can collide; try again.
        if (attempt >= 10 || (error as { code?: string }).code !== '55006') throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(adminUrl, name),
    name,
    drop: async () => {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
