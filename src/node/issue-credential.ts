import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { MicrocredError } from '../errors';
import { issue, type IssueFormat, type SignedCredential } from '../issue';
import { statusListEntry } from '../status/credential';
import { OB_CONTEXT_303, VC_CONTEXT_V2 } from '../jsonld/loader';
import { credentialHash, type IssuanceRecord } from './register';
import { credentialFileBase, writeNewFile } from './issue-batch';
import { readRecordedFile } from './programme-parts';
import { replaceSupersededSigning } from './superseded-signing';
import { locateRecordedFile, recordedPath } from './recorded-path';
import { workspaceIdentity, type Workspace } from './workspace';
import { holdToRegisterMark } from './register-mark';

/** Options of {@link issueCredential}: format, where the issued file goes, and the caller's idempotency. */
export interface IssueCredentialOptions {
  /** Default `eddsa-rdfc-2022`. */
  format?: IssueFormat;
  /** Folder for the issued file; default `<workspace>/issued`. */
  outDir?: string;
  /** Contexts beyond the bundled ones the credential may use (URL → document), as `issue()` takes them. */
  contexts?: Readonly<Record<string, unknown>>;
}

/** What {@link issueCredential} did: the signed credential, its id and status index, its file, and whether it was issued before. */
export interface IssuedCredential {
  credential: SignedCredential<Record<string, unknown>> | string;
  credentialId: string;
  listId?: string;
  statusIndex?: number;
  file: string;
  /** True when this credential id had been issued before: the stored credential is handed back, nothing new is signed. */
  replayed: boolean;
}

/**
 * Issues one credential the caller wrote (the W3C VC API's "issue"), through the register like a roster row: the
 * register reserves the credential id and a status index before anything is signed, the signed credential is written
 * to its own file, then the issuance is completed with the file's hash. A credential whose `id` was issued before is
 * not signed again: the stored one is returned (`replayed`), so a client retrying after a lost response or a crash
 * gets the same credential, never a second one. Without an `id`, every call issues a new credential.
 *
 * Refused (INVALID_INPUT, with the JSON path), because the issuer would otherwise sign what it does not control: a
 * credential that already carries a `proof`; a `credentialStatus` (the register assigns it, or revocation could flip
 * someone else's bit); an `issuer` other than the workspace's DID; a first context other than VC 2.0 (status and
 * validity are 2.0 terms). Anything `issue()` refuses (unknown contexts, undefined terms, a credential that breaks the
 * data model) is refused with its own code.
 */
export async function issueCredential(
  workspace: Workspace,
  credential: Record<string, unknown>,
  options: IssueCredentialOptions = {},
): Promise<IssuedCredential> {
  const { config, register } = workspace;
  const refuse = (p: string, message: string): never => {
    throw new MicrocredError('INVALID_INPUT', message, { path: p });
  };
  if (typeof credential !== 'object' || credential === null || Array.isArray(credential))
    refuse('$', 'the credential is a JSON object');
  const contexts = credential['@context'];
  if (!Array.isArray(contexts) || contexts[0] !== VC_CONTEXT_V2)
    refuse(
      '$["@context"]',
      `the first context must be ${VC_CONTEXT_V2}: this issuer signs VC Data Model 2.0 credentials only`,
    );
  if ('proof' in credential) refuse('$.proof', 'the credential already carries a proof; send it unsigned');
  if ('credentialStatus' in credential)
    refuse(
      '$.credentialStatus',
      'leave credentialStatus out: the issuer assigns the status list entry from its register',
    );
  const issuer = credential.issuer;
  const issuerId =
    typeof issuer === 'string'
      ? issuer
      : typeof issuer === 'object' && issuer !== null
        ? (issuer as { id?: unknown }).id
        : undefined;
  if (issuer !== undefined && issuerId !== config.did) refuse('$.issuer', `this service issues only as ${config.did}`);
  const givenId = credential.id;
  if (givenId !== undefined && (typeof givenId !== 'string' || !/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(givenId)))
    refuse('$.id', 'the credential id must be a URL or URN');
  const subject = Array.isArray(credential.credentialSubject)
    ? credential.credentialSubject[0]
    : credential.credentialSubject;
  const subjectId = typeof subject === 'object' && subject !== null ? (subject as { id?: unknown }).id : undefined;
  const achievement =
    typeof subject === 'object' && subject !== null
      ? (subject as { achievement?: { id?: unknown; name?: unknown } }).achievement
      : undefined;
  const types = Array.isArray(credential.type)
    ? credential.type.filter((t): t is string => typeof t === 'string')
    : [String(credential.type)];
  const achievementId = typeof achievement?.id === 'string' ? achievement.id : `type:${types.join(',')}`;
  // The caller's credential id is the idempotency key; without one, every call is a new credential.
  const rosterKey = `vc-api:${typeof givenId === 'string' ? givenId : randomUUID()}`;
  const learnerRef =
    typeof subjectId === 'string' ? workspace.learnerRef({ type: 'did', value: subjectId }) : rosterKey;
  const reserve = async (): Promise<IssuanceRecord> =>
    register.reserveIssuance({
      rosterKey,
      learnerRef,
      achievementId,
      listId: (await workspace.currentStatusList()).id,
      ...(typeof givenId === 'string' ? { credentialId: givenId } : {}),
    });
  let reservation: IssuanceRecord;
  try {
    reservation = await reserve();
  } catch (e) {
    // Another process filled the list between our look and our reservation: the next look starts a new list.
    if ((e as MicrocredError).code === 'STATUS_ERROR' && /is full/.test((e as Error).message))
      reservation = await reserve();
    else throw e;
  }
  // Before anything is signed or written: a register restored from an old backup would reuse an index.
  await holdToRegisterMark(workspace.dir, workspaceIdentity(workspace.config), register, reservation);
  const outDir = options.outDir ?? path.join(workspace.dir, 'issued');
  const format = options.format ?? 'eddsa-rdfc-2022';
  const title = typeof achievement?.name === 'string' ? achievement.name : (types[types.length - 1] ?? 'credential');
  const file = path.join(
    outDir,
    `${credentialFileBase(title, reservation.credentialId)}.${format === 'vc-jwt' || format === 'vc+jwt' ? 'jwt' : 'json'}`,
  );
  const located = {
    credentialId: reservation.credentialId,
    file,
    ...(reservation.listId !== undefined ? { listId: reservation.listId, statusIndex: reservation.statusIndex! } : {}),
  };
  if (reservation.state === 'issued') return handBack(workspace, reservation, { ...located, file });
  // A request that died before its issue was completed leaves the reservation, which the registrar may revoke or
  // suspend meanwhile: a retry must not then sign and hand out that credential (as issueRow refuses it too).
  if (reservation.status.revoked || reservation.status.suspended) {
    const what = reservation.status.revoked ? 'revoked' : 'suspended';
    throw new MicrocredError(
      reservation.status.revoked ? 'REVOKED' : 'SUSPENDED',
      `Not issued: ${reservation.credentialId} was ${what} before its issue was completed, so it is not signed`,
      { path: '$.id' },
    );
  }
  fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const unsigned: Record<string, unknown> = {
    ...credential,
    id: reservation.credentialId,
    // The workspace's profile needs the Open Badges context for its terms; a plain VC names the issuer by its DID.
    issuer: issuer ?? ((contexts as unknown[]).includes(OB_CONTEXT_303) ? config.issuer : config.did),
    ...(reservation.listId !== undefined
      ? {
          credentialStatus: statusListEntry({
            listCredentialId: reservation.listId,
            index: reservation.statusIndex!,
            purpose: config.statusPurpose,
          }),
        }
      : {}),
  };
  const signed = await issue(unsigned, {
    key: workspace.key,
    format,
    ...(options.contexts ? { contexts: options.contexts } : {}),
  });
  // writeNewFile keeps a file a crashed request already wrote for this reservation (same id, same index).
  const text = writeNewFile(
    file,
    typeof signed === 'string' ? signed : JSON.stringify(signed, null, 2) + '\n',
    reservation.credentialId,
  );
  await register.completeIssuance({
    key: reservation.key,
    credentialId: reservation.credentialId,
    format,
    credentialHash: credentialHash(text),
    // Relative to the workspace (recordedPath), so every server finds the place in its own copy of the folder.
    file: recordedPath(workspace.dir, file),
    // The register keeps the bytes too, so a retry that lands on a server without this file is answered with them.
    credential: text,
  });
  return { ...located, credential: parseStored(text), replayed: false };
}

/**
 * A credential issued before, handed back exactly as it was handed out first. The register's copy of the bytes
 * (checked against the SHA-256 it recorded) is what is handed out, wherever the retry lands. This server's folder
 * gets a copy under the name the register recorded (never a name made from the retried request, which a caller
 * chooses), when it has no file there yet, written as a new file is (never over an existing one): the folder holds
 * the credential after the first retry here, once. A credential completed before the register kept bytes is handed
 * back from its file, which must still have the recorded SHA-256.
 */
async function handBack(
  workspace: Workspace,
  reservation: IssuanceRecord,
  located: Omit<IssuedCredential, 'credential' | 'replayed'>,
): Promise<IssuedCredential> {
  const kept = await workspace.register.issuedCredential(reservation.credentialId);
  if (kept) {
    const file = reservation.file
      ? await keepLocalCopy(workspace, reservation.file, kept, reservation.credentialId)
      : located.file;
    return { ...located, file, credential: parseStored(Buffer.from(kept).toString('utf8')), replayed: true };
  }
  const stored = readRecordedFile(workspace.dir, { ...reservation, file: reservation.file ?? located.file });
  if ('why' in stored)
    throw new MicrocredError(
      'ISSUED_FILE_UNAVAILABLE',
      `${reservation.credentialId} was issued before the register kept issued credentials, and its file ${stored.why}. Nothing was issued again. Such a credential is handed back only by a server that reaches its file (docs/service.md)`,
      { path: '$.id' },
    );
  return { ...located, file: stored.file, credential: parseStored(stored.bytes.toString('utf8')), replayed: true };
}

/**
 * Where this server holds an issued credential: the register's recorded file, written from the register's bytes
 * when absent and the recorded place is inside this workspace (an entry outside it, such as another server's
 * absolute path or one a hand-edited register points out of it, is only looked at). A file there that holds an
 * earlier signing of the same claims, left by a crash before another server completed the issue, is renamed beside
 * it and the register's bytes take its place; a file there that holds anything else is left alone (never
 * overwritten, never handed out). A copy that cannot be written (a full disk, a
 * read-only folder) does not fail the retry: the caller is still handed the register's bytes.
 */
async function keepLocalCopy(
  workspace: Workspace,
  recorded: string,
  bytes: Uint8Array,
  credentialId: string,
): Promise<string> {
  const { file } = locateRecordedFile(workspace.dir, recorded);
  const inside = path.relative(path.resolve(workspace.dir), path.resolve(file));
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) return file;
  try {
    if (fs.existsSync(file)) {
      // A crash's leftover here (an earlier signing of the same claims) gives way to the register's copy.
      await replaceSupersededSigning(file, bytes, credentialId, workspace.key);
      return file;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeNewFile(file, bytes, credentialId);
  } catch {
    // Another file of that name appeared meanwhile (writeNewFile never overwrites), or the folder cannot take it.
  }
  return file;
}

function parseStored(text: string): SignedCredential<Record<string, unknown>> | string {
  return text.trimStart().startsWith('{')
    ? (JSON.parse(text) as SignedCredential<Record<string, unknown>>)
    : text.trim();
}
