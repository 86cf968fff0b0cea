import { openWorkspace, type WorkspaceDatabase } from '../../node/index';
import { createServiceApp, startService } from '../../server/index';
import { type Command, UsageError, workspaceDir } from '../command';
import { flushCompileCache } from '../compile-cache';

/** `microcred serve`: the issuing service (VC API, OpenID4VCI, hosting) until SIGTERM or Ctrl-C. */
export const serve: Command = {
  summary:
    'run the issuing service: W3C VC API, OpenID4VCI offers for wallets, status lists, DID document and the verifier page',
  usage:
    'microcred serve -w <workspace> [--port 8080] [--host 127.0.0.1] [--public-url https://credentials.example.edu] [--no-web] [--offline] [--database postgres://user@host/db [--database-schema name] [--database-password-env VAR]]',
  examples: [
    'microcred serve -w ~/ut-office --public-url https://credentials.ut.ee',
    'microcred serve -w ~/ut-office --port 9000 --host 0.0.0.0 --public-url https://credentials.ut.ee',
    'MICROCRED_DB_PASSWORD=… microcred serve -w /srv/ut-office --database postgres://issuer@db.ut.ee/credentials --database-password-env MICROCRED_DB_PASSWORD',
  ],
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'public-url': { type: 'string' },
    'no-web': { type: 'boolean' },
    offline: { type: 'boolean' },
    database: { type: 'string' },
    'database-schema': { type: 'string' },
    'database-password-env': { type: 'string' },
  },
  async run({ values }, out) {
    const port = Number((values.port as string | undefined) ?? 8080);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port is a number from 0 to 65535');
    const publicUrl = values['public-url'] as string | undefined;
    if (publicUrl !== undefined && !/^https:\/\/[^/\s]+/.test(publicUrl))
      throw new UsageError('--public-url is the https address wallets and verifiers reach the service at');
    const database = databaseOption(values);
    const workspace = await openWorkspace(workspaceDir(values), database ? { database } : {});
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
    // Node writes its compile cache at exit, which a service stopped by SIGKILL never reaches: write it now.
    flushCompileCache();
    await done;
    out.error('Stopped; the register is closed.');
    return 0;
  },
};

/**
 * The register a server is started on, when it is given rather than read from the workspace file (a container whose
 * deployment names the database). The password never comes on the command line, where `ps` shows it to every user of
 * the machine: from the variable `--database-password-env` names, or the driver's own sources (PGPASSWORD, ~/.pgpass).
 * Opening still refuses a database that does not hold this workspace's register.
 */
function databaseOption(values: Record<string, unknown>): WorkspaceDatabase | undefined {
  const given = values.database as string | undefined;
  const schema = values['database-schema'] as string | undefined;
  const passwordEnv = values['database-password-env'] as string | undefined;
  if (given === undefined) {
    if (schema !== undefined || passwordEnv !== undefined)
      throw new UsageError('--database-schema and --database-password-env go with --database');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new UsageError('--database is a URL such as postgres://issuer@db.example.edu/credentials');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    throw new UsageError('--database is a postgres:// URL');
  if (url.password)
    throw new UsageError(
      'Put the database password in an environment variable and name it with --database-password-env: a password on the command line is visible to every user of the machine',
    );
  if (passwordEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(passwordEnv))
    throw new UsageError('--database-password-env is the name of an environment variable');
  return { url: url.toString(), ...(schema !== undefined ? { schema } : {}), ...(passwordEnv ? { passwordEnv } : {}) };
}
