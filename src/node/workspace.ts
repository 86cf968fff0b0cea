import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { MicrocredError } from '../errors';
import { isPrivateHostUrl } from '../proof/host-guard';
import { defineIssuer } from '../builders/issuer';
import type { IssuerInput } from '../builders/inputs';
import type { Profile } from '../model/ob';
import { didWebDocument, didWebUrl, type DidDocument } from '../keys/did';
import { generateKey, importKey, type Ed25519Key } from '../keys/multikey';
import {
  DEFAULT_PG_SCHEMA,
  openPostgresRegister,
  openSqliteRegister,
  type IssuanceRegister,
  type StatusListInfo,
} from './register';
import { loadDriver } from './register/driver';
import { recordStatusFolderWitness } from './status-folder-witness';
import {
  learnerLabel,
  newIdentitySecret,
  learnerReference,
  readIdentitySecret,
  type LearnerIdentity,
} from './identity';

/** The name of the workspace configuration file in a workspace folder. */
export const WORKSPACE_FILE = 'microcred.json';
/** Entries per status list: the Bitstring Status List minimum, for herd privacy. */
export const STATUS_LIST_SIZE = 131_072;

/** The workspace configuration (`microcred.json`): issuer profile, DID, file locations, status list settings. */
export interface WorkspaceConfig {
  version: 1;
  issuer: Profile;
  /** did:key:… or did:web:…, the controller of the signing key and the issuer id. */
  did: string;
  keyFile: string;
  /** The SQLite register file, relative to the workspace; absent when the register is on PostgreSQL (`registerDatabase`). */
  registerFile?: string;
  /** The register on a PostgreSQL server instead of a file, so that several issuing servers share it. */
  registerDatabase?: WorkspaceDatabase;
  /** Where the published status list credentials will be hosted (a URL prefix ending in '/'). */
  statusBaseUrl: string;
  /**
   * The purpose of the one status entry each credential carries. One, because OB 3.0's schema (1EdTech's and ours)
   * allows a single `credentialStatus` object: revocation by default; `suspension` for offices that suspend and reinstate.
   */
  statusPurpose: 'revocation' | 'suspension';
  /** URL of the first status list credential (where `status publish` output must be hosted); later lists add -2, -3, … */
  statusList: string;
  /** The learner-linking secret (HMAC key, mode 0600); see src/node/identity.ts. Absent in workspaces made before it. */
  identitySecretFile?: string;
  /**
   * How learners' identifiers are salted (docs/stacks.md, "One learner across a stack"): `per-learner` (new
   * workspaces) keeps one salt per learner in the register, so a learner's credentials carry equal identity hashes
   * and a verifier can link their stack; `per-credential` salts each credential afresh (unlinkable without the plain
   * identifier). Absent in workspaces made before it: per-credential, as they issued until then.
   */
  learnerSalts?: 'per-learner' | 'per-credential';
  /**
   * This workspace's identity, a random UUID recorded in its register at `init`: a register file from another
   * workspace is refused at open. Absent in workspaces made before it: their registers are bound to the first status
   * list URL instead (see {@link workspaceIdentity}).
   */
  workspaceId?: string;
}

/** The identity a workspace's register is bound to: its `workspaceId`, or for workspaces made before it, its first status list URL. */
export function workspaceIdentity(config: WorkspaceConfig): string {
  return config.workspaceId ?? config.statusList;
}

/**
 * Where a workspace's PostgreSQL register is and how to log in. The URL never carries the password; it comes from,
 * in this order: the environment variable named by `passwordEnv`, the file `passwordFile` (mode 0600, in the
 * workspace's keys folder), or the driver's own sources (`PGPASSWORD`, `~/.pgpass`).
 */
export interface WorkspaceDatabase {
  /** postgres://user@host:port/database, without a password. */
  url: string;
  /** The PostgreSQL schema holding the register; default `microcred`. */
  schema?: string;
  /** The environment variable holding the password (e.g. `MICROCRED_DB_PASSWORD`). */
  passwordEnv?: string;
  /** A file, relative to the workspace, holding the password (written by `init` when the URL given had one). */
  passwordFile?: string;
}

/** An open issuer workspace: its folder, configuration, signing key and register. */
export interface Workspace {
  dir: string;
  config: WorkspaceConfig;
  key: Ed25519Key;
  register: IssuanceRegister;
  /** The register's reference for one identifier of a learner: a keyed hash, so the register holds no guessable identifier. */
  learnerRef(identity: LearnerIdentity): string;
  /**
   * Links every identifier of one learner (a roster row's e-mail, student number, …) in the register and returns the
   * learner's reference: a later row with any of them is the same learner. `IDENTIFIER_CONFLICT` when they already
   * name two learners.
   */
  linkLearner(identities: readonly LearnerIdentity[]): Promise<string>;
  /** The learner's reference for one identifier typed by a registrar: the learner it is linked to, else its own reference. */
  findLearner(identity: LearnerIdentity): Promise<string>;
  /** A masked hint of the learner for listings. */
  learnerLabel(identity: LearnerIdentity): string;
  /** The salt to hash this learner's identifiers with: theirs from the register (per-learner salts), or undefined (a fresh one per credential). */
  learnerSalt(identity: LearnerIdentity): Promise<string | undefined>;
  /** The status list new credentials take their index from, starting the next list when this one is full. */
  currentStatusList(): Promise<StatusListInfo>;
  /** Every status list of this workspace's purpose, oldest first. */
  statusLists(): Promise<StatusListInfo[]>;
  close(): Promise<void>;
}

/** Options of `initWorkspace`: the issuer's name, country and contact, did:web, status list URL and purpose. */
export interface InitOptions {
  name: string;
  country: string;
  region?: string;
  url?: string;
  email?: string;
  /** The issuer's other details (address, phone, description, image, other identifiers such as an Erasmus code or ROR id). */
  details?: Omit<Partial<IssuerInput>, 'id' | 'name' | 'country'>;
  /** `did:web:…` to host the DID document yourself; default a did:key. */
  didWeb?: string;
  statusBaseUrl?: string;
  statusPurpose?: 'revocation' | 'suspension';
  /** Default `per-learner`: see {@link WorkspaceConfig.learnerSalts} and docs/privacy.md. */
  learnerSalts?: 'per-learner' | 'per-credential';
  /**
   * Keep the register on this PostgreSQL server (postgres://…) instead of an SQLite file in the workspace. A password
   * in the URL is moved to keys/database-password (0600); the workspace file keeps the URL without it.
   */
  database?: string;
  /** The schema for the register in that database; default `microcred`. It must not hold a register already. */
  databaseSchema?: string;
  /** Read the database password from this environment variable whenever the workspace is opened (nothing stored). */
  databasePasswordEnv?: string;
}

/** Options of `openWorkspace`. */
export interface OpenWorkspaceOptions {
  /**
   * Use this PostgreSQL register instead of the one the workspace names (a server started with `--database`). It must
   * already hold this workspace's register: an empty database is refused, never initialised.
   */
  database?: WorkspaceDatabase;
}

const PASSWORD_ENV = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits a postgres:// URL given at init into what the workspace file keeps and the password (kept apart, if any). */
function databaseSetting(options: InitOptions): { setting: WorkspaceDatabase; password?: string } | undefined {
  if (options.database === undefined) {
    if (options.databaseSchema !== undefined || options.databasePasswordEnv !== undefined) {
      throw new MicrocredError(
        'INVALID_INPUT',
        'A database schema or password variable needs a database (--database postgres://…)',
        { path: '$.database' },
      );
    }
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(options.database);
  } catch {
    throw new MicrocredError(
      'INVALID_INPUT',
      'The database must be a URL such as postgres://registrar@db.example.edu/credentials',
      { path: '$.database' },
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new MicrocredError(
      'INVALID_INPUT',
      'The database must be a postgres:// URL (SQLite, the default, needs no --database)',
      { path: '$.database' },
    );
  }
  const env = options.databasePasswordEnv;
  if (env !== undefined && !PASSWORD_ENV.test(env))
    throw new MicrocredError('INVALID_INPUT', 'The password variable must be an environment variable name', {
      path: '$.databasePasswordEnv',
    });
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  if (password !== undefined && env !== undefined) {
    throw new MicrocredError(
      'INVALID_INPUT',
      'Give the database password either in the URL or in an environment variable, not both',
      { path: '$.database' },
    );
  }
  url.password = '';
  const setting: WorkspaceDatabase = {
    url: url.toString(),
    ...(options.databaseSchema !== undefined ? { schema: options.databaseSchema } : {}),
    ...(env !== undefined ? { passwordEnv: env } : {}),
  };
  return { setting, ...(password !== undefined ? { password } : {}) };
}

/** The password to log in to the workspace's database with, from where the setting says; undefined leaves it to the driver. */
function databasePassword(dir: string, setting: WorkspaceDatabase): string | undefined {
  if (setting.passwordEnv !== undefined) {
    const value = process.env[setting.passwordEnv];
    if (value === undefined || value === '') {
      throw new MicrocredError(
        'INVALID_INPUT',
        `The register's database password is read from the environment variable ${setting.passwordEnv}, which is not set`,
        { path: '$.registerDatabase.passwordEnv' },
      );
    }
    return value;
  }
  if (setting.passwordFile !== undefined) {
    const file = path.join(dir, setting.passwordFile);
    try {
      return fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (e) {
      throw new MicrocredError(
        'INVALID_INPUT',
        `The register's database password file ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        { cause: e },
      );
    }
  }
  return undefined;
}

function openDatabaseRegister(dir: string, setting: WorkspaceDatabase, create: boolean): Promise<IssuanceRegister> {
  const password = databasePassword(dir, setting);
  return openPostgresRegister(setting.url, {
    create,
    ...(setting.schema !== undefined ? { schema: setting.schema } : {}),
    ...(password !== undefined ? { password } : {}),
  });
}

/**
 * Creates an issuer workspace: the issuer profile, an Ed25519 key (file mode 0600), its DID (did:key, or did:web with
 * the document to host), an empty register, and the two status lists (revocation, suspension).
 */
export async function initWorkspace(
  dir: string,
  options: InitOptions,
): Promise<{ workspace: Workspace; didDocument?: DidDocument; didDocumentUrl?: string; gitignore?: string }> {
  if (fs.existsSync(path.join(dir, WORKSPACE_FILE)))
    throw new MicrocredError('INVALID_INPUT', `${dir} is already a workspace`);
  const database = databaseSetting(options);
  // Before anything is written: without an SQLite driver (Node 20 without better-sqlite3) the register cannot be
  // created, and a half-made workspace with a signing key in it would be left behind. A database register is opened
  // (and must be empty) before anything is written, for the same reason.
  let register: IssuanceRegister | undefined;
  if (database) {
    const password = database.password;
    register = await openPostgresRegister(database.setting.url, {
      ...(database.setting.schema !== undefined ? { schema: database.setting.schema } : {}),
      ...(password !== undefined ? { password } : { password: databasePassword(dir, database.setting) }),
    });
    if ((await register.statusLists()).length > 0) {
      await register.close();
      throw new MicrocredError(
        'INVALID_INPUT',
        `Schema ${database.setting.schema ?? DEFAULT_PG_SCHEMA} of that database already holds a register. A second server of the same issuer uses a copy of the first one's workspace folder; a new issuer takes another schema (--database-schema)`,
        { path: '$.databaseSchema' },
      );
    }
  } else {
    await loadDriver();
  }
  // Whatever fails from here on, an opened database register is closed again (its connections would keep the process alive).
  let config: WorkspaceConfig;
  let didDocument: DidDocument | undefined;
  let didDocumentUrl: string | undefined;
  try {
    // The workspace holds the signing key and the register: not for other users of the machine (whatever the umask).
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    let key = generateKey();
    let did = key.controller;
    if (options.didWeb) {
      didDocumentUrl = didWebUrl(options.didWeb);
      did = options.didWeb;
      key = importKey({ secretKeyMultibase: key.exportSecretKeyMultibase() }, { controller: did });
      didDocument = didWebDocument(key, did);
    }
    // The country comes from the command line as text: defineIssuer checks it against the ISO list at run time and
    // refuses an unknown code with its path, so the cast only moves that check from compile time to run time.
    const issuerInput: IssuerInput = {
      ...options.details,
      id: did,
      name: options.name,
      country: options.country as IssuerInput['country'],
      ...(options.region ? { region: options.region } : {}),
      ...(options.url ? { url: options.url } : {}),
      ...(options.email ? { email: options.email } : {}),
    };
    const issuer = defineIssuer(issuerInput);
    const base =
      options.statusBaseUrl ??
      (options.didWeb ? `${didDocumentUrl!.replace(/(\.well-known\/)?did\.json$/, '')}status/` : undefined);
    if (!base || !/^https?:\/\/\S+\/$/.test(base)) {
      throw new MicrocredError(
        'MISSING_ELEMENT',
        'Give --status-url, the https URL prefix (ending in "/") where the status lists will be hosted',
        { path: '$.statusBaseUrl' },
      );
    }
    // Every credential names its list under this prefix for good, and verifiers (microcred verify, the verifier page,
    // wallets) fetch status lists over https only: a public http:// prefix would make every revocation uncheckable.
    // Plain http stays for a test server on this machine or a private network.
    if (/^http:/i.test(base) && !isPrivateHostUrl(base)) {
      throw new MicrocredError(
        'INVALID_INPUT',
        `The status URL ${base} is plain http: verifiers fetch status lists over https only, so no one could check whether a credential was revoked. Give the https address (--status-url https://…/)`,
        { path: '$.statusBaseUrl' },
      );
    }
    fs.mkdirSync(path.join(dir, 'keys'), { recursive: true, mode: 0o700 });
    fs.chmodSync(path.join(dir, 'keys'), 0o700);
    const keyFile = path.join('keys', 'issuer-key.json');
    writePrivate(
      path.join(dir, keyFile),
      JSON.stringify(
        {
          id: key.id,
          controller: did,
          publicKeyMultibase: key.publicKeyMultibase,
          secretKeyMultibase: key.exportSecretKeyMultibase(),
        },
        null,
        2,
      ) + '\n',
      0o600,
    );
    config = {
      version: 1,
      issuer,
      did,
      keyFile,
      ...(database ? { registerDatabase: database.setting } : { registerFile: 'register.sqlite' }),
      statusBaseUrl: base,
      statusPurpose: options.statusPurpose ?? 'revocation',
      statusList: `${base}${options.statusPurpose ?? 'revocation'}`,
      learnerSalts: options.learnerSalts ?? 'per-learner',
      workspaceId: randomUUID(),
    };
    config.identitySecretFile = path.join('keys', 'learner-link-secret');
    // Never over an existing secret ('wx'): every earlier learner reference depends on it.
    writePrivate(path.join(dir, config.identitySecretFile), newIdentitySecret(), 0o600);
    if (didDocument) writePrivate(path.join(dir, 'did.json'), JSON.stringify(didDocument, null, 2) + '\n', 0o644);
    if (database?.password !== undefined) {
      config.registerDatabase!.passwordFile = path.join('keys', 'database-password');
      writePrivate(path.join(dir, config.registerDatabase!.passwordFile), `${database.password}\n`, 0o600);
    }
    register ??= await openSqliteRegister(path.join(dir, config.registerFile!));
    await register.ensureStatusList({ id: config.statusList, purpose: config.statusPurpose, size: STATUS_LIST_SIZE });
    await register.workspaceBinding({ workspaceId: workspaceIdentity(config), issuer: did });
    await register.close();
  } catch (e) {
    await register?.close().catch(() => {});
    throw e;
  }
  // Every copy of the folder starts with the record of which status lists its status folder holds (none yet): a
  // second server made from a copy can then tell a list the first server published from one its own folder lost.
  await recordStatusFolderWitness(path.join(dir, 'status'), workspaceIdentity(config), []);
  // Written last: a workspace file means a complete workspace. Mode 0600 whatever the umask (it names the key file).
  writePrivate(path.join(dir, WORKSPACE_FILE), JSON.stringify(config, null, 2) + '\n', 0o600);
  const workspace = await openWorkspace(dir);
  return { workspace, ...(didDocument ? { didDocument, didDocumentUrl: didDocumentUrl! } : {}) };
}

/** Writes a new file with exactly this mode (the umask cannot widen or narrow it), refusing to replace one. */
function writePrivate(file: string, content: string, mode: number): void {
  const fd = fs.openSync(file, 'wx', mode);
  try {
    fs.fchmodSync(fd, mode);
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Opens an issuer workspace: reads its configuration, checks the key is the issuer DID's and opens the register. */
export async function openWorkspace(dir: string, options: OpenWorkspaceOptions = {}): Promise<Workspace> {
  const file = path.join(dir, WORKSPACE_FILE);
  if (!fs.existsSync(file))
    throw new MicrocredError(
      'INVALID_INPUT',
      `${dir} is not a workspace (no ${WORKSPACE_FILE}); run "microcred init" first`,
    );
  let config: WorkspaceConfig;
  try {
    config = JSON.parse(fs.readFileSync(file, 'utf8')) as WorkspaceConfig;
  } catch (e) {
    throw new MicrocredError(
      'INVALID_INPUT',
      `${file} is not readable JSON (${(e as Error).message}); restore it from your backup`,
      { cause: e },
    );
  }
  const key = loadMatchingKey(dir, config);
  const secret = config.identitySecretFile ? readIdentitySecret(path.join(dir, config.identitySecretFile)) : undefined;
  const register = await openRegister(dir, config, options);
  const family = (list: StatusListInfo): boolean =>
    list.purpose === config.statusPurpose &&
    (list.id === config.statusList || list.id.startsWith(`${config.statusList}-`));
  const statusLists = async (): Promise<StatusListInfo[]> => (await register.statusLists()).filter(family);
  // Workspaces made before the secret existed keep their plain references, so re-running an old roster still skips.
  const refOf = (identity: LearnerIdentity): string => (secret ? learnerReference(secret, identity) : identity.value);
  return {
    dir,
    config,
    key,
    register,
    learnerRef: refOf,
    learnerLabel,
    linkLearner: (identities) => register.linkLearner(identities.map(refOf)),
    findLearner: async (identity) => (await register.learnerOf(refOf(identity))) ?? refOf(identity),
    learnerSalt: async (identity) =>
      config.learnerSalts === 'per-learner'
        ? register.learnerSalt((await register.learnerOf(refOf(identity))) ?? refOf(identity), { create: true })
        : undefined,
    statusLists,
    async currentStatusList() {
      const lists = await statusLists();
      const last = lists[lists.length - 1];
      if (last && last.allocated < last.size) return last;
      // Full (or none): the next list, -2, -3, … Idempotent, so two processes rolling over at once agree.
      const id = lists.length === 0 ? config.statusList : `${config.statusList}-${lists.length + 1}`;
      return register.ensureStatusList({ id, purpose: config.statusPurpose, size: last?.size ?? STATUS_LIST_SIZE });
    },
    close: () => register.close(),
  };
}

/** The workspace's register: its SQLite file, or its PostgreSQL database (never created here: it must be there). */
async function openRegister(
  dir: string,
  config: WorkspaceConfig,
  options: OpenWorkspaceOptions,
): Promise<IssuanceRegister> {
  const database = options.database ?? config.registerDatabase;
  if (database) {
    const register = await openDatabaseRegister(dir, database, false);
    // The right database: it holds this workspace's first status list (another issuer's register would not).
    if (!(await register.statusLists()).some((list) => list.id === config.statusList)) {
      await register.close();
      throw new MicrocredError(
        'INVALID_INPUT',
        `The register in that database is not this workspace's: it has no status list ${config.statusList}. Check the database URL and schema`,
        { path: '$.registerDatabase' },
      );
    }
    return belonging(register, `in ${database.url} (schema ${database.schema ?? DEFAULT_PG_SCHEMA})`, config);
  }
  if (config.registerFile === undefined)
    throw new MicrocredError(
      'INVALID_INPUT',
      `${WORKSPACE_FILE} names no register (registerFile or registerDatabase)`,
      { path: '$.registerFile' },
    );
  const registerFile = path.join(dir, config.registerFile);
  // A missing register is never recreated: an empty one would hand out status indexes (and credential ids) again.
  if (!fs.existsSync(registerFile)) {
    throw new MicrocredError(
      'INVALID_INPUT',
      `The register ${registerFile} is missing (deleted or moved). Restore it from your backup; an empty register would forget every credential issued and could give a status index out twice`,
      { path: '$.registerFile' },
    );
  }
  // An empty or schema-less file is refused too, never taken for a new register: it would hand out status indexes
  // again and publish lists with every earlier revocation cleared.
  return belonging(await openSqliteRegister(registerFile, { mustExist: true }), registerFile, config);
}

/** The register, once it has shown it is this workspace's (closed and refused otherwise). */
async function belonging(
  register: IssuanceRegister,
  where: string,
  config: WorkspaceConfig,
): Promise<IssuanceRegister> {
  try {
    await checkRegisterBelongs(register, where, config);
  } catch (e) {
    await register.close();
    throw e;
  }
  return register;
}

/**
 * The register is this workspace's: the identity recorded in it at init is the workspace's. A register made before
 * identities were recorded is bound on its first open, once it shows it is this workspace's (it holds the
 * workspace's first status list, which init creates before the workspace file exists).
 */
async function checkRegisterBelongs(
  register: IssuanceRegister,
  registerFile: string,
  config: WorkspaceConfig,
): Promise<void> {
  const identity = workspaceIdentity(config);
  const foreign = (why: string): MicrocredError =>
    new MicrocredError(
      'INVALID_INPUT',
      `The register ${registerFile} belongs to another workspace (${why}). Restore this workspace's own register from your backup; issuing with another one would give status indexes out twice and publish lists that un-revoke`,
      { path: '$.registerFile' },
    );
  let bound = await register.workspaceBinding();
  if (bound === undefined) {
    const lists = await register.statusLists();
    if (!lists.some((l) => l.id === config.statusList)) throw foreign(`it has no status list ${config.statusList}`);
    bound = await register.workspaceBinding({ workspaceId: identity, issuer: config.did });
  }
  if (bound!.workspaceId !== identity)
    throw foreign(`it was made for workspace ${bound!.workspaceId}, this is ${identity}`);
  if (bound!.issuer !== config.did) throw foreign(`it was made for issuer ${bound!.issuer}, this is ${config.did}`);
}

/**
 * Loads the signing key and checks that it belongs to the workspace's issuer DID, so that a swapped or copied key
 * file is noticed before anything is signed: credentials signed with it would fail key binding for every verifier.
 */
function loadMatchingKey(dir: string, config: WorkspaceConfig): Ed25519Key {
  const keyPath = path.join(dir, config.keyFile);
  let stored: { secretKeyMultibase?: string; id?: string; controller?: string; publicKeyMultibase?: string };
  try {
    stored = JSON.parse(fs.readFileSync(keyPath, 'utf8')) as typeof stored;
  } catch (e) {
    throw new MicrocredError(
      'INVALID_KEY',
      `The signing key ${keyPath} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      { cause: e },
    );
  }
  const key = importKey(
    { secretKeyMultibase: stored.secretKeyMultibase as string },
    { controller: config.did, ...(stored.id ? { id: stored.id } : {}) },
  );
  const mismatch = (why: string): MicrocredError =>
    new MicrocredError(
      'INVALID_KEY',
      `The signing key in ${keyPath} does not belong to this workspace's issuer ${config.did}: ${why}. Nothing was issued; put the workspace's own key back (credentials signed with another key would fail verification)`,
      { path: '$.keyFile' },
    );
  if (stored.controller !== undefined && stored.controller !== config.did)
    throw mismatch(`the key file names ${stored.controller}`);
  if (stored.publicKeyMultibase !== undefined && stored.publicKeyMultibase !== key.publicKeyMultibase)
    throw mismatch('its public and secret halves differ');
  if (config.did.startsWith('did:key:') && config.did !== `did:key:${key.publicKeyMultibase}`)
    throw mismatch(`the key is did:key:${key.publicKeyMultibase}`);
  if (!key.id.startsWith(`${config.did}#`))
    throw mismatch(`its verification method ${key.id} is not under the issuer DID`);
  if (config.did.startsWith('did:web:')) {
    const didFile = path.join(dir, 'did.json');
    if (fs.existsSync(didFile)) {
      const doc = JSON.parse(fs.readFileSync(didFile, 'utf8')) as DidDocument;
      if (!doc.verificationMethod?.some((vm) => vm.publicKeyMultibase === key.publicKeyMultibase))
        throw mismatch('the DID document did.json lists another key');
    }
  }
  return key;
}
