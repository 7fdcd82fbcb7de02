import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { freePort, projectRoot, spawnService, waitForListening } from '../test/support/service-process';

/**
 * `npm run demo`: minimize-and-react, told step by step. Starts the service
 * (embedded PostgreSQL, .eml mail) under .backstop/demo, races a burst of
 * orders past a customer's credit limit, shows what the saga did, then
 * runs the same burst under `prevent`.
 */
const root = projectRoot();
const home = resolve(process.env.BACKSTOP_HOME ?? join(root, '.backstop', 'demo'));
const say = (text = '') => console.log(text);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function startService(strategy: 'react' | 'prevent', pgPort: number) {
  // ADMIN_RATE_LIMIT=0: the demo polls /violations ten times a second while it waits.
  const service = spawnService(
    {
      BACKSTOP_HOME: home,
      EMBEDDED_PG_PORT: String(pgPort),
      PORT: '0',
      CREDIT_LIMIT_STRATEGY: strategy,
      ADMIN_RATE_LIMIT: '0',
    },
    root,
  );
  const url = await waitForListening(service, 120_000);
  const call = async (method: string, path: string, body?: object) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  return {
    url,
    call,
    stop: async () => {
      service.child.kill('SIGTERM');
      await service.exited;
    },
  };
}

type Service = Awaited<ReturnType<typeof startService>>;

async function burst(service: Service, customerId: string, orders: number) {
  await service.call('POST', '/customers', {
    id: customerId,
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    creditLimit: 1000,
  });
  const answers = await Promise.all(
    Array.from({ length: orders }, (_, i) =>
      service.call('POST', '/orders', { id: `${customerId}-o${i + 1}`, customerId, total: 100 }),
    ),
  );
  return answers.filter((a) => a.status === 201).map((a) => a.body.id as string);
}

async function waitForResolution(service: Service, customerId: string) {
  for (let i = 0; i < 100; i++) {
    const [violation] = (await service.call('GET', `/violations?key=${customerId}`)).body;
    if (
      violation?.status === 'resolved' &&
      violation.reactions.mails.every((m: { status: string }) => m.status === 'sent')
    )
      return violation;
    await sleep(100);
  }
  return (await service.call('GET', `/violations?key=${customerId}`)).body[0];
}

async function main(): Promise<void> {
  await rm(home, { recursive: true, force: true });
  await mkdir(home, { recursive: true });
  await chmod(home, 0o755);
  const pgPort = await freePort();
  say('Backstop demo: business rules that span aggregates, kept by minimize-and-react.');
  say(`Starting the service (embedded PostgreSQL and .eml mail under ${relative(root, home) || home}) ...`);
  let service = await startService('react', pgPort);
  say(`Service up at ${service.url}. Strategy for credit-limit: react.`);
  say();

  let customerId = '';
  let accepted: string[] = [];
  for (let attempt = 1; attempt <= 5 && accepted.length <= 10; attempt++) {
    customerId = `ada-${attempt}`;
    say(`1. Customer ${customerId} gets a credit limit of 1000 cents. 40 orders of 100 arrive at the same moment.`);
    accepted = await burst(service, customerId, 40);
    say(`   Accepted: ${accepted.length} of 40. Each checked the limit at the last moment, without a lock,`);
    say(
      `   so ${Math.max(0, accepted.length - 10)} slipped past while the ` +
        `others were committing (exposure ${accepted.length * 100} > 1000).`,
    );
    if (accepted.length <= 10) say('   No race this time; trying again with a new customer.');
  }
  say();
  const violation = await waitForResolution(service, customerId);
  if (!violation) throw new Error('the saga did not open a violation');
  const detectedMs = new Date(violation.detectedAt).getTime();
  say(`2. The credit-limit saga, subscribed to OrderCreated, re-checked the rule after the fact and`);
  say(`   opened violation ${violation.id} at ${violation.detectedAt}.`);
  const held = violation.reactions.commands.map((c: { orderId: string }) => c.orderId);
  say(`3. It held the newest orders until the exposure fitted again: held orders ${held.join(', ')}.`);
  const customer = (await service.call('GET', `/customers/${customerId}`)).body;
  say(
    `   Exposure now: ${customer.exposure} of ${customer.creditLimit}. Episode ${violation.status}` +
      (violation.resolvedAt ? ` ${new Date(violation.resolvedAt).getTime() - detectedMs} ms after it opened.` : '.'),
  );
  const mailDir = join(home, 'mail');
  const files = existsSync(mailDir) ? (await readdir(mailDir)).filter((f) => f.startsWith(violation.id)) : [];
  say('4. Alert mails (no SMTP_URL, so written as .eml files):');
  for (const file of files.sort()) {
    const subject = /^Subject: (.*(?:\r?\n .*)*)/m
      .exec(await readFile(join(mailDir, file), 'utf8'))?.[1]
      .replace(/\r?\n /g, ' ');
    say(`   ${relative(root, join(mailDir, file))}`);
    say(`      ${subject}`);
  }
  say();
  say('5. The same burst under CREDIT_LIMIT_STRATEGY=prevent (commands queue on the customer):');
  await service.stop();
  service = await startService('prevent', pgPort);
  const prevented = await burst(service, 'bob', 40);
  await sleep(1000);
  const episodes = (await service.call('GET', '/violations?key=bob')).body;
  say(`   Accepted: ${prevented.length} of 40, exactly up to the limit; violations: ${episodes.length}; no mail.`);
  say('   The price: every command on a hot customer waits its turn. See docs/benchmarks.md.');
  say();
  say(
    `Dashboard: ${service.url}/dashboard (run \`npm start\` and open http://localhost:3000/dashboard to keep one up).`,
  );
  await service.stop();
  say('Service stopped. Demo done.');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
