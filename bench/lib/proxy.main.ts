import { TcpProxy } from '../../test/support/tcp-proxy';

/**
 * The latency proxy in a process of its own, so that the load generator's
 * busy event loop does not add to the delay. Arguments: host, port, delay in
 * ms each way. Prints its port, then runs until its stdin closes.
 */
async function main(): Promise<void> {
  const [host, port, delayMs] = process.argv.slice(2);
  const proxy = await new TcpProxy(host, Number(port), { delayMs: Number(delayMs) }).start();
  process.stdout.write(`${proxy.port}\n`);
  process.stdin.on('end', () => void proxy.stop().then(() => process.exit(0)));
  process.stdin.resume();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
