import { openWorkspace } from '../../node/index';
import { createServiceApp, startService } from '../../server/index';
import { type Command, UsageError, workspaceDir } from '../command';

/** `microcred serve`: the issuing service (VC API, OpenID4VCI, hosting) until SIGTERM or Ctrl-C. */
export const serve: Command = {
  summary:
    'run the issuing service: W3C VC API, OpenID4VCI offers for wallets, status lists, DID document and the verifier page',
  usage:
    'microcred serve -w <workspace> [--port 8080] [--host 127.0.0.1] [--public-url https://credentials.example.edu] [--no-web] [--offline]',
  examples: [
    'microcred serve -w ~/ut-office --public-url https://credentials.ut.ee',
    'microcred serve -w ~/ut-office --port 9000 --host 0.0.0.0 --public-url https://credentials.ut.ee',
  ],
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'public-url': { type: 'string' },
    'no-web': { type: 'boolean' },
    offline: { type: 'boolean' },
  },
  async run({ values }, out) {
    const port = Number((values.port as string | undefined) ?? 8080);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port is a number from 0 to 65535');
    const publicUrl = values['public-url'] as string | undefined;
    if (publicUrl !== undefined && !/^https:\/\/[^/\s]+/.test(publicUrl))
      throw new UsageError('--public-url is the https address wallets and verifiers reach the service at');
    const workspace = await openWorkspace(workspaceDir(values));
    const app = createServiceApp({
      workspace,
      ...(publicUrl ? { publicUrl } : {}),
      ...(values['no-web'] ? { webDir: false as const } : {}),
      ...(values.offline ? { offline: true } : {}),
      log: (line) => out.error(`${new Date().toISOString()} ${line}`),
    });
    let closed!: () => void;
    const done = new Promise<void>((resolve) => (closed = resolve));
    const running = await startService(app, workspace, {
      port,
      host: (values.host as string | undefined) ?? '127.0.0.1',
      handleSignals: true,
      onClosed: () => closed(),
    });
    out.error(
      `Serving ${workspace.config.issuer.name ?? workspace.config.did} on http://${running.host}:${running.port} (public URL ${publicUrl ?? 'https://localhost'}); Ctrl-C or SIGTERM stops it after the requests in flight.`,
    );
    await done;
    out.error('Stopped; the register is closed.');
    return 0;
  },
};
