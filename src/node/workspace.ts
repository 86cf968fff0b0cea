import fs from 'node:fs';
import path from 'node:path';
import { MicrocredError } from '../errors';
import { defineIssuer } from '../build/issuer';
import type { IssuerInput } from '../build/inputs';
import type { Profile } from '../model/ob';
import { didWebDocument, didWebUrl, type DidDocument } from '../keys/did';
import { generateKey, importKey, type Ed25519Key } from '../keys/multikey';
import { openSqliteRegister, type IssuanceRegister } from './register';

export const WORKSPACE_FILE = 'microcred.json';
/** Entries per status list: the Bitstring Status List minimum, for herd privacy. */
export const STATUS_LIST_SIZE = 131_072;

export interface WorkspaceConfig {
  version: 1;
  issuer: Profile;
  /** did:key:… or did:web:…, the controller of the signing key and the issuer id. */
  did: string;
  keyFile: string;
  registerFile: string;
  /** Where the published status list credentials will be hosted (a URL prefix ending in '/'). */
  statusBaseUrl: string;
  /**
   * The purpose of the one status entry each credential carries. One, because OB 3.0's schema (1EdTech's and ours)
   * allows a single `credentialStatus` object: revocation by default; `suspension` for offices that suspend and reinstate.
   */
  statusPurpose: 'revocation' | 'suspension';
  /** URL of the status list credential (where `status publish` output must be hosted). */
  statusList: string;
}

export interface Workspace {
  dir: string;
  config: WorkspaceConfig;
  key: Ed25519Key;
  register: IssuanceRegister;
  close(): Promise<void>;
}

export interface InitOptions {
  name: string;
  country: string;
  region?: string;
  url?: string;
  email?: string;
  /** `did:web:…` to host the DID document yourself; default a did:key. */
  didWeb?: string;
  statusBaseUrl?: string;
  statusPurpose?: 'revocation' | 'suspension';
}

/**
 * Creates an issuer workspace: the issuer profile, an Ed25519 key (file mode 0600), its DID (did:key, or did:web with
 * the document to host), an empty register, and the two status lists (revocation, suspension).
 */
export async function initWorkspace(dir: string, options: InitOptions): Promise<{ workspace: Workspace; didDocument?: DidDocument; didDocumentUrl?: string }> {
  fs.mkdirSync(dir, { recursive: true });
  if (fs.existsSync(path.join(dir, WORKSPACE_FILE))) throw new MicrocredError('INVALID_INPUT', `${dir} is already a workspace`);
  let key = generateKey();
  let did = key.controller;
  let didDocument: DidDocument | undefined;
  let didDocumentUrl: string | undefined;
  if (options.didWeb) {
    didDocumentUrl = didWebUrl(options.didWeb);
    did = options.didWeb;
    key = importKey({ secretKeyMultibase: key.exportSecretKeyMultibase() }, { controller: did });
    didDocument = didWebDocument(key, did);
  }
  const issuerInput: IssuerInput = { id: did, name: options.name, country: options.country, ...(options.region ? { region: options.region } : {}), ...(options.url ? { url: options.url } : {}), ...(options.email ? { email: options.email } : {}) };
  const issuer = defineIssuer(issuerInput);
  const base = options.statusBaseUrl ?? (options.didWeb ? `${didDocumentUrl!.replace(/(\.well-known\/)?did\.json$/, '')}status/` : undefined);
  if (!base || !/^https?:\/\/\S+\/$/.test(base)) {
    throw new MicrocredError('MISSING_ELEMENT', 'Give --status-url, the https URL prefix (ending in "/") where the status lists will be hosted', { path: '$.statusBaseUrl' });
  }
  fs.mkdirSync(path.join(dir, 'keys'), { recursive: true, mode: 0o700 });
  const keyFile = path.join('keys', 'issuer-key.json');
  fs.writeFileSync(path.join(dir, keyFile), JSON.stringify({ id: key.id, controller: did, publicKeyMultibase: key.publicKeyMultibase, secretKeyMultibase: key.exportSecretKeyMultibase() }, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(path.join(dir, keyFile), 0o600);
  const config: WorkspaceConfig = {
    version: 1,
    issuer,
    did,
    keyFile,
    registerFile: 'register.sqlite',
    statusBaseUrl: base,
    statusPurpose: options.statusPurpose ?? 'revocation',
    statusList: `${base}${options.statusPurpose ?? 'revocation'}`,
  };
  fs.writeFileSync(path.join(dir, WORKSPACE_FILE), JSON.stringify(config, null, 2) + '\n');
  if (didDocument) fs.writeFileSync(path.join(dir, 'did.json'), JSON.stringify(didDocument, null, 2) + '\n');
  const workspace = await openWorkspace(dir);
  await workspace.register.ensureStatusList({ id: config.statusList, purpose: config.statusPurpose, size: STATUS_LIST_SIZE });
  return { workspace, ...(didDocument ? { didDocument, didDocumentUrl: didDocumentUrl! } : {}) };
}

export async function openWorkspace(dir: string): Promise<Workspace> {
  const file = path.join(dir, WORKSPACE_FILE);
  if (!fs.existsSync(file)) throw new MicrocredError('INVALID_INPUT', `${dir} is not a workspace (no ${WORKSPACE_FILE}); run "microcred init" first`);
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as WorkspaceConfig;
  const stored = JSON.parse(fs.readFileSync(path.join(dir, config.keyFile), 'utf8')) as { secretKeyMultibase: string; id: string };
  const key = importKey({ secretKeyMultibase: stored.secretKeyMultibase }, { controller: config.did, id: stored.id });
  const register = await openSqliteRegister(path.join(dir, config.registerFile));
  return { dir, config, key, register, close: () => register.close() };
}
