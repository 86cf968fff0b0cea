import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Workspace } from '../node/index';

/** A running service: its address, and `close()` that stops taking requests, lets in-flight ones finish, then closes the register. */
export interface RunningService {
  port: number;
  host: string;
  close(): Promise<void>;
}

/**
 * Serves the app on Node (`@hono/node-server`). With `handleSignals`, SIGTERM and SIGINT stop it gracefully: no new
 * connections, in-flight requests finish (up to `drainMs`, default 10 s), then the workspace's register is closed.
 */
export async function startService(
  app: Hono,
  workspace: Workspace,
  options: { port?: number; host?: string; handleSignals?: boolean; drainMs?: number; onClosed?: () => void } = {},
): Promise<RunningService> {
  const host = options.host ?? '127.0.0.1';
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 8080, hostname: host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8080);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          resolve();
        }, options.drainMs ?? 10_000);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        // Idle keep-alive connections would hold close() open until they time out.
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      });
      await workspace.close();
      options.onClosed?.();
    })();
    return closing;
  };
  if (options.handleSignals) {
    const onSignal = (): void => {
      void close();
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { port, host, close };
}
