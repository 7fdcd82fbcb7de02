import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, Page } from 'playwright-core';
import { eventually } from '../../src/testing/eventually';
import { RunningApp, startBackstopApp } from '../support/backstop-app';
import { httpClient } from '../support/http';
import { projectRoot } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const CHROMIUM = '/usr/bin/chromium';
// Under CI (.ci/run installs chromium) a missing browser fails the test instead of skipping it.
const hasChromium = existsSync(CHROMIUM) || process.env.CI === 'true';
if (!hasChromium) {
  console.warn(
    `SKIPPED: the dashboard browser test needs Debian's chromium at ` +
      `${CHROMIUM} (.ci/run installs it; apt-get install chromium)`,
  );
}

describe('the dashboard in a real browser', () => {
  let db: TestDatabase;
  let app: RunningApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startBackstopApp({
      databaseUrl: db.url,
      invariants: { 'credit-limit': { reactions: ['alert'] } },
      runtime: { pollIntervalMs: 100 },
    });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  (hasChromium ? it : it.skip)(
    'shows an open violation, with user data escaped, and a screenshot is saved',
    async () => {
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
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        const blocked = await recordPolicyViolations(page);
        const answer = await page.goto(`${app.url}/dashboard`);
        expect(answer!.headers()['x-content-type-options']).toBe('nosniff');
        expect(answer!.headers()['content-security-policy']).toContain("default-src 'none'");
        expect(await page.title()).toBe('Backstop');
        // The style block is allowed by the policy, so the page is styled.
        expect(
          await page
            .locator('#violations th')
            .first()
            .evaluate((th) => getComputedStyle(th).backgroundColor),
        ).toBe('rgb(243, 243, 243)');
        const violations = await page.locator('#violations').innerText();
        expect(violations).toContain(violation.id);
        expect(violations).toContain('mallory');
        expect(violations).toContain('open');
        expect(violations).toContain(`customerName: ${name}`);
        expect(await page.locator('#violations img').count()).toBe(0);
        expect(await page.locator('#invariants').innerText()).toMatch(
          /credit-limit\s+customerId\s+react\s+alert\s+0\s+1/,
        );
        const shots = join(projectRoot(), 'test-results');
        await mkdir(shots, { recursive: true });
        await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: true });
        expect(existsSync(join(shots, 'dashboard.png'))).toBe(true);

        // The page refreshes itself (meta refresh) under its policy.
        await page.waitForRequest((request) => request.url() === `${app.url}/dashboard`, { timeout: 20_000 });
        await page.waitForLoadState('load');
        expect(await page.locator('#violations').innerText()).toContain(violation.id);
        expect(blocked).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );

  (hasChromium ? it : it.skip)(
    'loads the API docs (Swagger UI) under their own policy',
    async () => {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      });
      try {
        const page = await browser.newPage();
        const blocked = await recordPolicyViolations(page);
        const answer = await page.goto(`${app.url}/docs`);
        expect(answer!.headers()['content-security-policy']).toContain("script-src 'self'");
        await expect(page.locator('.swagger-ui .info .title').innerText()).resolves.toContain('Backstop');
        await page.locator('.opblock').first().waitFor();
        expect(await page.locator('.opblock').count()).toBeGreaterThan(10);
        expect(blocked).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});

/** Collects what the page's Content Security Policy blocked, from the page's events and the console. */
async function recordPolicyViolations(page: Page): Promise<string[]> {
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) blocked.push(`console: ${message.text()}`);
  });
  await page.exposeFunction('reportPolicyViolation', (text: string) => blocked.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      (window as unknown as { reportPolicyViolation(text: string): void }).reportPolicyViolation(
        `${event.violatedDirective} blocked ${event.blockedURI}`,
      ),
    );
  });
  return blocked;
}
