import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { eventually } from '../../src/testing/eventually';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { httpClient } from '../support/http';
import { projectRoot } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`SKIPPED: the dashboard browser test needs Debian's chromium at ${CHROMIUM} (.ci/run installs it; apt-get install chromium)`);
}

describe('the dashboard in a real browser', () => {
  let db: TestDatabase;
  let app: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startBackstopApp({ databaseUrl: db.url, invariants: { 'credit-limit': { reactions: ['alert'] } }, runtime: { pollIntervalMs: 100 } });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  (hasChromium ? it : it.skip)('shows an open violation, with user data escaped, and a screenshot is saved', async () => {
    const http = httpClient(app.url);
    const name = '<img src=x onerror="document.title=\'pwned\'">';
    await http.post('/customers', { id: 'mallory', name, email: 'm@example.com', creditLimit: 100 });
    await http.post('/orders', { id: 'm1', customerId: 'mallory', total: 100 });
    await http.put('/customers/mallory/credit-limit', { creditLimit: 10 });
    const [violation] = await eventually(async () => {
      const open = (await http.get('/violations?status=open')).body;
      expect(open).toHaveLength(1);
      return open;
    });

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${app.url}/dashboard`);
      expect(await page.title()).toBe('Backstop');
      const violations = await page.locator('#violations').innerText();
      expect(violations).toContain(violation.id);
      expect(violations).toContain('mallory');
      expect(violations).toContain('open');
      expect(violations).toContain(`customerName: ${name}`);
      expect(await page.locator('#violations img').count()).toBe(0);
      expect(await page.locator('#invariants').innerText()).toMatch(/credit-limit\s+customerId\s+react\s+alert\s+0\s+1/);
      const shots = join(projectRoot(), 'test-results');
      await mkdir(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true });
      expect(existsSync(join(shots, 'dashboard.png'))).toBe(true);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
