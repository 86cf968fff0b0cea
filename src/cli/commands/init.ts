import path from 'node:path';
import { DEFAULT_PG_SCHEMA, guardAgainstGit, type InitOptions, initWorkspace } from '../../node/index';
import { readDataFile } from '../data-file';
import { type Command, nextCommand, UsageError } from '../command';

/** `microcred init`: a new issuer workspace. */
export const init: Command = {
  summary: 'create an issuer workspace (profile, Ed25519 key, DID, register, status list)',
  usage:
    'microcred init [dir] --name <issuer name> --country <ISO alpha-2> --status-url <https prefix/> [--did-web did:web:…] [--region …] [--url …] [--email …] [--status-purpose revocation|suspension] [--salt-per-credential] [--profile issuer.yaml] [--database postgres://user@host/db [--database-schema name] [--database-password-env VAR]]',
  examples: [
    'microcred init ~/ut-office --name "University of Tartu" --country EE --status-url https://www.ut.ee/status/',
    'microcred init ~/ut-office --name "University of Tartu" --country EE --did-web did:web:www.ut.ee',
    'microcred init ~/ut-office --profile examples/rei-programme.yaml --status-url https://www.ut.ee/status/   # the issuer section of a definition: name, country, address, identifiers',
    'microcred init office --gitignore ...   # inside a git repository: adds /office/ to its .gitignore',
    'MICROCRED_DB_PASSWORD=… microcred init ~/ut-office --name "University of Tartu" --country EE --status-url https://www.ut.ee/status/ --database postgres://registrar@db.ut.ee/credentials --database-password-env MICROCRED_DB_PASSWORD',
  ],
  options: {
    name: { type: 'string' },
    country: { type: 'string' },
    region: { type: 'string' },
    url: { type: 'string' },
    email: { type: 'string' },
    'did-web': { type: 'string' },
    'status-url': { type: 'string' },
    'status-purpose': { type: 'string' },
    gitignore: { type: 'boolean' },
    'salt-per-credential': { type: 'boolean' },
    profile: { type: 'string' },
    database: { type: 'string' },
    'database-schema': { type: 'string' },
    'database-password-env': { type: 'string' },
  },
  async run({ values, positionals }, out) {
    const workspaceGiven = positionals[0] ?? (values.workspace as string | undefined);
    const dir = workspaceGiven ?? '.';
    const profile = values.profile ? profileFrom(values.profile as string) : {};
    for (const flag of ['name', 'country', 'region', 'url', 'email'] as const) {
      const fromFile = profile[flag];
      if (values[flag] !== undefined && typeof fromFile === 'string' && fromFile !== values[flag]) {
        throw new UsageError(
          `--${flag} ${JSON.stringify(values[flag])} differs from the profile's ${flag} ${JSON.stringify(fromFile)}; give one`,
        );
      }
      if (values[flag] === undefined && typeof fromFile === 'string') values[flag] = fromFile;
    }
    if (!values.name || !values.country)
      throw new UsageError('init needs --name and --country (or a --profile that gives them)');
    const purpose = (values['status-purpose'] as string | undefined) ?? 'revocation';
    if (purpose !== 'revocation' && purpose !== 'suspension')
      throw new UsageError('--status-purpose is revocation or suspension');
    // Before anything is written: a workspace inside a git work tree must be ignored there.
    const gitignore = guardAgainstGit(dir, { writeIgnore: values.gitignore === true });
    if (gitignore) out.error(`Added the workspace to ${gitignore}`);
    const { workspace, didDocument, didDocumentUrl } = await initWorkspace(dir, {
      name: values.name as string,
      country: values.country as string,
      ...(values.region ? { region: values.region as string } : {}),
      ...(values.url ? { url: values.url as string } : {}),
      ...(values.email ? { email: values.email as string } : {}),
      ...(Object.keys(profile).length ? { details: detailsOf(profile) } : {}),
      ...(values['did-web'] ? { didWeb: values['did-web'] as string } : {}),
      ...(values['status-url'] ? { statusBaseUrl: values['status-url'] as string } : {}),
      statusPurpose: purpose,
      // Default: one salt per learner, so a learner's stack links without their email (docs/privacy.md).
      ...(values['salt-per-credential'] ? { learnerSalts: 'per-credential' as const } : {}),
      // The register on a PostgreSQL server, for several issuing servers (docs/register.md, "PostgreSQL").
      ...(values.database ? { database: values.database as string } : {}),
      ...(values['database-schema'] ? { databaseSchema: values['database-schema'] as string } : {}),
      ...(values['database-password-env'] ? { databasePasswordEnv: values['database-password-env'] as string } : {}),
    });
    const database = workspace.config.registerDatabase;
    const result = {
      dir: path.resolve(dir),
      issuer: workspace.config.did,
      statusList: workspace.config.statusList,
      register: database
        ? { database: database.url, schema: database.schema ?? DEFAULT_PG_SCHEMA }
        : { file: path.resolve(dir, workspace.config.registerFile!) },
      ...(didDocumentUrl ? { hostDidDocumentAt: didDocumentUrl } : {}),
    };
    await workspace.close();
    if (out.json) out.data(result);
    else {
      out.print(`Workspace created in ${result.dir}`);
      out.print(`Issuer: ${result.issuer}`);
      if (database)
        out.print(
          `Register: PostgreSQL ${database.url} (schema ${database.schema ?? DEFAULT_PG_SCHEMA}); every server of this issuer uses a copy of this folder`,
        );
      if (didDocument) out.print(`Host ${path.join(result.dir, 'did.json')} at ${didDocumentUrl}`);
      out.print(
        `Status list: publish with ${nextCommand('status publish', workspaceGiven)} and host it at ${result.statusList}`,
      );
    }
    return 0;
  },
};

/** The issuer section of a YAML or JSON file: a definition file's `issuer:` or a file that is only the issuer. */
function profileFrom(file: string): Record<string, unknown> {
  const data = readDataFile(file) as Record<string, unknown>;
  const issuer =
    typeof data.issuer === 'object' && data.issuer !== null ? (data.issuer as Record<string, unknown>) : data;
  if (typeof issuer !== 'object' || issuer === null || Array.isArray(issuer))
    throw new UsageError(`${file} has no issuer section`);
  return issuer;
}

/** The details a profile adds beyond the flags; its `id` is not the workspace's (the key's DID is). */
function detailsOf(profile: Record<string, unknown>): NonNullable<InitOptions['details']> {
  const { id: _id, name: _name, country: _country, ...details } = profile;
  return details as NonNullable<InitOptions['details']>;
}
