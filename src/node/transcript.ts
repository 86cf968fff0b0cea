import fs from 'node:fs';
import path from 'node:path';
import { MicrocredError } from '../errors';
import type { LearnerInput } from '../builders/inputs';
import { issue, type IssueFormat } from '../issue';
import { buildClr } from '../stack/clr';
import { MAX_STACK_CREDENTIALS } from '../stack/verify-stack';
import { identitiesFor, type LearnerIdentity } from './identity';
import { credentialFileBase, writeNewFile } from './issue-batch';
import type { IssuanceRecord } from './register';
import { readIssuedBytes } from './programme-parts';
import type { Workspace } from './workspace';

/** What {@link makeTranscript} wrote: the file, the CLR's id, the credentials in it and those left out. */
export interface TranscriptResult {
  file: string;
  id: string;
  credentials: { credentialId: string; achievementId: string }[];
  /** Credentials of the learner left out, with why (revoked, suspended, a VC-JWT that cannot be nested). */
  leftOut: { credentialId: string; achievementId: string; why: string }[];
  /** False in a workspace with per-credential salts: a verifier needs the learner's identifier to link the transcript. */
  linked: boolean;
}

/** Options of {@link makeTranscript}. */
export interface TranscriptOptions {
  /** The file to write (never over another); default `<workspace>/transcripts/transcript--<uuid>.json`. */
  out?: string;
  /** The transcript's proof format; default `eddsa-rdfc-2022`. */
  format?: IssueFormat;
  /** The CLR's name; default "Transcript". */
  name?: string;
}

/** The learner as the transcript names them: the same identifier, hashed with the learner's own salt when the register keeps one. */
function learnerInputOf(identity: LearnerIdentity, salt: string | undefined): LearnerInput {
  if (identity.type === 'did') return identity.value;
  return { [identity.type]: identity.value, ...(salt ? { salt } : {}) } as LearnerInput;
}

/**
 * Makes a CLR 2.0 transcript for one learner from the register: every credential issued to them and still active
 * (their programme and its parts), read from the files the register recorded (each checked against the SHA-256
 * recorded at issue), signed with the workspace key and written to a new file (mode 0600, never over another).
 * `who` is what a registrar types: an email, a DID/URL, or a student or national ID (see {@link identitiesFor}).
 */
export async function makeTranscript(
  workspace: Workspace,
  who: string,
  options: TranscriptOptions = {},
): Promise<TranscriptResult> {
  let identity: LearnerIdentity | undefined;
  let records: IssuanceRecord[] = [];
  for (const candidate of identitiesFor(who)) {
    const found = await workspace.register.listIssued({ learnerRef: await workspace.findLearner(candidate) });
    if (found.length && identity)
      throw new MicrocredError(
        'INVALID_INPUT',
        `${JSON.stringify(who)} is both a student ID and a national ID in the register; give the learner's email`,
      );
    if (found.length) [identity, records] = [candidate, found];
  }
  if (!identity)
    throw new MicrocredError('INVALID_INPUT', `No credential in the register for learner ${JSON.stringify(who)}`, {
      path: '$.learner',
    });
  const leftOut: TranscriptResult['leftOut'] = [];
  const nested: { record: IssuanceRecord; credential: object }[] = [];
  for (const r of records) {
    const why = r.status.revoked
      ? 'revoked'
      : r.status.suspended
        ? 'suspended'
        : r.format === 'vc-jwt'
          ? 'a VC-JWT, which a CLR 2.0 cannot nest'
          : undefined;
    if (why) {
      leftOut.push({ credentialId: r.credentialId, achievementId: r.achievementId, why });
      continue;
    }
    const read = await readIssuedBytes(workspace, r);
    if ('why' in read) {
      const message = read.changed
        ? `${r.file} has changed since ${r.credentialId} was issued (its SHA-256 is not the one in the register); restore it before making a transcript`
        : `${r.credentialId} ${read.why}`;
      throw new MicrocredError('INVALID_INPUT', message, { path: '$.file' });
    }
    nested.push({ record: r, credential: JSON.parse(read.bytes.toString('utf8')) as object });
  }
  if (nested.length === 0)
    throw new MicrocredError(
      'INVALID_INPUT',
      `No credential of learner ${JSON.stringify(who)} can go into a transcript (${leftOut.map((l) => `${l.achievementId.split('/').pop()}: ${l.why}`).join('; ')})`,
    );
  if (nested.length > MAX_STACK_CREDENTIALS)
    throw new MicrocredError(
      'INVALID_INPUT',
      `${nested.length} credentials; a transcript holds at most ${MAX_STACK_CREDENTIALS} (verifiers check no more)`,
    );
  const salt = await workspace.register.learnerSalt(await workspace.findLearner(identity));
  const clr = buildClr({
    issuer: workspace.config.issuer,
    learner: learnerInputOf(identity, salt),
    credentials: nested.map((n) => n.credential),
    ...(options.name ? { name: options.name } : {}),
    ...(leftOut.length ? { partial: true } : {}),
  });
  const signed = await issue(clr, { key: workspace.key, format: options.format ?? 'eddsa-rdfc-2022' });
  const dir = options.out ? path.dirname(options.out) : path.join(workspace.dir, 'transcripts');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file =
    options.out ??
    path.join(dir, `${credentialFileBase('transcript', clr.id)}.${options.format === 'vc-jwt' ? 'jwt' : 'json'}`);
  writeNewFile(file, typeof signed === 'string' ? signed : JSON.stringify(signed, null, 2) + '\n', clr.id);
  return {
    file,
    id: clr.id,
    credentials: nested.map((n) => ({ credentialId: n.record.credentialId, achievementId: n.record.achievementId })),
    leftOut,
    linked: salt !== undefined || identity.type === 'did',
  };
}
