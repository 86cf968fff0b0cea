/**
 * The service in its own process on 127.0.0.1, for the real-socket test:
 *   node --import tsx test/helpers/serve-child.ts <workspace dir>
 * Prints "listening <port>" once it accepts connections and "closed" after a graceful stop (SIGTERM). Beside the
 * service's own routes it answers GET /test/slow after 600 ms, so the test can have a request in flight at SIGTERM;
 * it prints "slow started" once that request has arrived, so the test knows it is in flight (not merely sent).
 */
import { Hono } from 'hono';
import { openWorkspace } from '../../src/node/index';
import { createServiceApp, startService } from '../../src/server/index';

const workspace = await openWorkspace(process.argv[2]!);
const outer = new Hono();
outer.get('/test/slow', async (c) => {
  console.log('slow started');
  await new Promise((r) => setTimeout(r, 600));
  return c.text('finished');
});
outer.route('/', createServiceApp({ workspace, publicUrl: 'https://uni.example.edu', webDir: false }));
const running = await startService(outer, workspace, {
  port: 0,
  host: '127.0.0.1',
  handleSignals: true,
  onClosed: () => console.log('closed'),
});
console.log(`listening ${running.port}`);
