import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import { award } from '../builders/award';
import type { MicroCredentialDefinition } from '../builders/micro-credential';
import type { ProgrammeDefinition } from '../builders/programme';
import { bake } from '../bake/index';
import { MicrocredError, isMicrocredError } from '../errors';
import { notPassedReason } from '../builders/grading';
import { issue, type IssueFormat } from '../issue';
import { createRosterIssuer, type RosterIssuer } from '../roster/index';
import { statusListEntry } from '../status/credential';
import { isRosterProblem, readRoster, type ReadRosterOptions, type RosterProblem, type RosterRow } from './roster';
import { workspaceIdentity, type Workspace } from './workspace';
import { holdToRegisterMark } from './register-mark';
import type { Profile } from '../model/ob';
import { credentialHash, issuanceKey } from './register';
import type { CredentialStatus } from './register/types';
import { awardProgrammeFromRegister } from './programme-parts';
import { locateRecordedFile, recordedPath } from './recorded-path';
import { syncDir } from './sync-dir';

/** Options of a batch (`issueRow`, `issueRoster`): the format, output folder, badge image and a progress callback. */
export interface BatchOptions {
  format: IssueFormat;
  outDir: string;
  /** Bake each credential into a copy of this PNG or SVG too. */
  badgeImage?: { bytes: Uint8Array; ext: 'png' | 'svg' };
  /** Called after each row (for a progress bar). */
  onProgress?: (done: { issued: number; skipped: number; failed: number }) => void;
  /** How to read the roster file (its encoding when not UTF-8). */
  roster?: ReadRosterOptions;
  /**
   * The issuer profile the credentials carry (default the workspace's): the workspace's issuer completed with a
   * definition's details (see `issuerForDefinition`). Its id must be the workspace's, whose key signs.
   */
  issuer?: Profile;
  /**
   * Issue an assessment record for a failing grade (see `AwardOptions.failingGrade`). Off by default: a failing row
   * is reported as not awarded and nothing is reserved or signed for it.
   */
  recordFails?: boolean;
  /**
   * `dc+sd-jwt`: the learner's wallet key (public JWK), bound through the SD-JWT VC's `cnf`, so that only that wallet
   * can present it (the OpenID4VCI endpoint passes the key the wallet proved). Other formats ignore it.
   */
  holderKey?: JWK;
}

/** What `issueRow` did for one row: the credential, its file, and whether it had been issued before. */
export interface IssuedRow {
  file?: string;
  credentialId: string;
  /**
   * Issued before (by an earlier run, another server or an offer), or reserved by a run that died before completing
   * it and revoked or suspended since: nothing was signed now.
   */
  skipped: boolean;
  /**
   * For a row issued before: its status in the register. The register keeps one credential per learner and
   * achievement, so a revoked one is never replaced by a new one, and a suspended one is reinstated, not re-issued.
   */
  status?: CredentialStatus;
}

/** What a batch did: how many rows were issued and skipped (issued before), the problems with their lines, and the files written. */
export interface BatchSummary {
  issued: number;
  /** Rows already issued by an earlier run (re-running a roster never issues twice), `inactive` ones included. */
  skipped: number;
  /** Rows issued before whose credential has since been revoked or suspended: nothing new was issued for them. */
  inactive: RosterProblem[];
  problems: RosterProblem[];
  /** Rows whose grade is not a pass, so nothing was issued for them (unless `recordFails`), with the reason. */
  notAwarded: RosterProblem[];
  /** The first 1,000 files written (every file is in the register). */
  files: string[];
}

/** Mode of every credential file: read and write for the registrar only (credentials carry grades and hashed identifiers). */
export const CREDENTIAL_FILE_MODE = 0o600;

/** A part name as registrars type it: case, Unicode composition, and runs of spaces, hyphens or underscores do not matter. */
function partKey(name: string): string {
  return name
    .normalize('NFC')
    .trim()
    .replace(/[\s_-]+/g, ' ')
    .toLowerCase();
}

/** The last path segment of an achievement id (`…/critical-thinking` → `critical-thinking`), as `find` and `revoke` take it. */
function shortId(id: string): string {
  return (
    id
      .replace(/[/#]+$/, '')
      .split(/[/#]/)
      .pop() ?? id
  );
}

/**
 * Picks the definition for a row: the definition itself when the row names no part, else the programme or one of its
 * parts by full id, short id (the id's last path segment) or title, compared without regard to case or spacing.
 */
export function definitionFor(
  definition: MicroCredentialDefinition | ProgrammeDefinition,
  part: string | undefined,
): MicroCredentialDefinition | undefined {
  if (!part) return definition;
  const wanted = partKey(part);
  const candidates =
    definition.kind === 'programme' ? [definition, ...(definition as ProgrammeDefinition).parts] : [definition];
  return candidates.find(
    (d) => d.id === part.trim() || partKey(shortId(d.id)) === wanted || partKey(d.title) === wanted,
  );
}

/** The message for a part that matches nothing: every valid name and short id, so the registrar can fix the roster. */
function unknownPartMessage(definition: MicroCredentialDefinition | ProgrammeDefinition, part: string): string {
  const candidates =
    definition.kind === 'programme' ? [definition, ...(definition as ProgrammeDefinition).parts] : [definition];
  const valid = candidates.map((d) => `"${d.title}" (${shortId(d.id)})`).join(', ');
  return `no part ${JSON.stringify(part)} in ${definition.title}; the part column takes a title or short id: ${valid}`;
}

/**
 * Issues one credential for a roster row, idempotently: the register reserves the credential id and its status index
 * before anything is signed, the file is written under a name made from the credential id (so two credentials never
 * share a path) and never over an existing file, then the issuance is marked complete with that path. A crash
 * anywhere leaves a reservation that the next run completes with the same id, index and file.
 */
export async function issueRow(
  workspace: Workspace,
  definition: MicroCredentialDefinition | ProgrammeDefinition,
  row: RosterRow,
  options: BatchOptions,
): Promise<IssuedRow> {
  return issueRowWith(workspace, definition, row, options);
}

/**
 * The roster issuers of one batch, one per definition it awards (a programme's parts), made at first use: every
 * credential of theirs is byte for byte what `award` + `issue` give (see createRosterIssuer).
 */
type RosterIssuers = (target: MicroCredentialDefinition, issuer: Profile) => RosterIssuer;

function rosterIssuers(workspace: Workspace, options: BatchOptions): RosterIssuers {
  const made = new Map<MicroCredentialDefinition, { issuer: Profile; roster: RosterIssuer }>();
  return (target, issuer) => {
    let entry = made.get(target);
    if (entry === undefined || entry.issuer !== issuer) {
      const roster = createRosterIssuer(target, { issuer, ...signingOptions(workspace, options) });
      made.set(target, (entry = { issuer, roster }));
    }
    return entry.roster;
  };
}

function signingOptions(workspace: Workspace, options: BatchOptions) {
  return {
    key: workspace.key,
    format: options.format,
    ...(options.holderKey && options.format === 'dc+sd-jwt' ? { holderKey: options.holderKey } : {}),
  };
}

async function issueRowWith(
  workspace: Workspace,
  definition: MicroCredentialDefinition | ProgrammeDefinition,
  row: RosterRow,
  options: BatchOptions,
  rosters?: RosterIssuers,
): Promise<IssuedRow> {
  const target = definitionFor(definition, row.part);
  if (!target) throw new MicrocredError('UNKNOWN_PART', unknownPartMessage(definition, row.part!), { path: '$.part' });
  refuseFailingGrade(target, row, options);
  const { register, config } = workspace;
  const issuer = options.issuer ?? config.issuer;
  if (issuer.id !== config.issuer.id)
    throw new MicrocredError(
      'INVALID_INPUT',
      `the issuer ${issuer.id} is not this workspace's (${config.issuer.id}), whose key signs`,
      { path: '$.issuer.id' },
    );
  // The learner's reference identifies the row across re-runs, so an edited or re-ordered roster still issues once;
  // every identifier the row gives is linked to it, so a later export with only a student number is the same learner.
  const learnerRef = await workspace.linkLearner(row.identities?.length ? row.identities : [row.identity]);
  // One salt per learner (per-learner workspaces): every credential of theirs carries equal identity hashes.
  const salt =
    config.learnerSalts === 'per-learner' ? await register.learnerSalt(learnerRef, { create: true }) : undefined;
  const learner = salt !== undefined && typeof row.learner === 'object' ? { ...row.learner, salt } : row.learner;
  // A programme row follows the awarding rule: checked against the learner's parts before anything is reserved,
  // so a refused row leaves no reservation and no status index behind. Already issued: skipped, not re-checked.
  const programme = target.kind === 'programme' ? (target as ProgrammeDefinition) : undefined;
  if (
    programme &&
    (await register.findByKey(issuanceKey({ rosterKey: learnerRef, achievementId: target.id })))?.state !== 'issued'
  ) {
    await awardProgrammeFromRegister(workspace, programme, {
      learnerRef,
      learner,
      issuer,
      ...(row.awardedOn ? { awardedOn: row.awardedOn } : {}),
    });
  }
  const reserve = async () =>
    register.reserveIssuance({
      rosterKey: learnerRef,
      learnerRef,
      learnerLabel: workspace.learnerLabel(row.identity),
      achievementId: target.id,
      listId: (await workspace.currentStatusList()).id,
    });
  let reservation;
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
  // A revoked or suspended credential is never signed, nor signed again: a run that died before completing the issue
  // leaves a reservation the registrar may revoke (or suspend) before the roster is run again.
  if (reservation.state === 'issued' || reservation.status.revoked || reservation.status.suspended)
    return {
      skipped: true,
      credentialId: reservation.credentialId,
      ...(reservation.file ? { file: locateRecordedFile(workspace.dir, reservation.file).file } : {}),
      status: reservation.status,
    };
  const credentialStatus = statusListEntry({
    listCredentialId: reservation.listId!,
    index: reservation.statusIndex!,
    purpose: config.statusPurpose,
  });
  const ext = options.format === 'vc-jwt' ? 'jwt' : options.format === 'dc+sd-jwt' ? 'sd-jwt' : 'json';
  const base = credentialFileBase(target.title, reservation.credentialId);
  const file = path.join(options.outDir, `${base}.${ext}`);
  // A crashed run may already have written this reservation's file: keep it (same id, same index) rather than sign anew.
  let text = readOwnFile(file, reservation.credentialId);
  if (text === undefined) {
    const awardOptions = {
      learner,
      id: reservation.credentialId,
      ...(row.grade !== undefined ? { grade: row.grade } : {}),
      ...(row.awardedOn ? { awardedOn: row.awardedOn } : {}),
      credentialStatus: credentialStatus as unknown as { type: string },
      failingGrade: options.recordFails ? ('record' as const) : ('refuse' as const),
    };
    const signed = programme
      ? await issue(
          await awardProgrammeFromRegister(workspace, programme, {
            learnerRef,
            learner,
            issuer,
            id: reservation.credentialId,
            credentialStatus: credentialStatus as unknown as { type: string },
            ...(row.awardedOn ? { awardedOn: row.awardedOn } : {}),
          }),
          signingOptions(workspace, options),
        )
      : rosters
        ? await rosters(target, issuer).issue(awardOptions)
        : await issue(award(target, { ...awardOptions, issuer }), signingOptions(workspace, options));
    text = writeNewFile(
      file,
      typeof signed === 'string' ? signed : JSON.stringify(signed, null, 2) + '\n',
      reservation.credentialId,
    );
  }
  if (options.badgeImage) {
    const credential = text.trimStart().startsWith('{') ? (JSON.parse(text) as object) : text.trim();
    const image = path.join(options.outDir, `${base}.${options.badgeImage.ext}`);
    if (readOwnFile(image, reservation.credentialId) === undefined) {
      writeNewFile(
        image,
        options.badgeImage.ext === 'png'
          ? bake(options.badgeImage.bytes, credential)
          : bake(new TextDecoder().decode(options.badgeImage.bytes), credential),
        reservation.credentialId,
      );
    }
  }
  await register.completeIssuance({
    key: reservation.key,
    credentialId: reservation.credentialId,
    format: options.format,
    credentialHash: credentialHash(text),
    file: recordedPath(workspace.dir, file),
    // Kept in the register too: a wallet asking again on a server without this file gets these bytes.
    credential: text,
  });
  return { file, credentialId: reservation.credentialId, skipped: false };
}

/**
 * A failing grade is refused before anything is reserved, so it leaves no status index and no register row behind
 * (`award` would refuse it too, but only after the reservation).
 */
function refuseFailingGrade(target: MicroCredentialDefinition, row: RosterRow, options: BatchOptions): void {
  const grading = target.grading;
  if (options.recordFails || !grading || row.grade === undefined) return;
  const normalized = grading.normalize(row.grade);
  if ('error' in normalized || grading.passes(normalized.value)) return;
  throw new MicrocredError(
    'NOT_PASSED',
    `not awarded: ${notPassedReason(grading, normalized.value)} (give --record-fails for an assessment record that certifies nothing)`,
    { path: '$.grade' },
  );
}

/** Issues a roster CSV, streaming it row by row; a bad row is reported with its line and the rest is still issued. */
export async function issueRoster(
  workspace: Workspace,
  definition: MicroCredentialDefinition | ProgrammeDefinition,
  rosterFile: string,
  options: BatchOptions,
): Promise<BatchSummary> {
  fs.mkdirSync(options.outDir, { recursive: true, mode: 0o700 });
  const summary: BatchSummary = { issued: 0, skipped: 0, inactive: [], problems: [], notAwarded: [], files: [] };
  const rosters = rosterIssuers(workspace, options);
  for await (const row of readRoster(rosterFile, options.roster)) {
    if (isRosterProblem(row)) summary.problems.push(row);
    else {
      try {
        const r = await issueRowWith(workspace, definition, row, options, rosters);
        if (r.skipped) {
          summary.skipped++;
          const inactive = inactiveMessage(r);
          if (inactive) summary.inactive.push({ line: row.line, message: inactive });
        } else {
          summary.issued++;
          if (summary.files.length < 1000) summary.files.push(r.file!);
        }
      } catch (e) {
        if (isMicrocredError(e) && e.code === 'NOT_PASSED')
          summary.notAwarded.push({ line: row.line, message: e.message });
        else summary.problems.push({ line: row.line, message: (e as Error).message.split('\n').join(' ') });
      }
    }
    options.onProgress?.({ issued: summary.issued, skipped: summary.skipped, failed: summary.problems.length });
  }
  return summary;
}

/**
 * Why a row issued before still leaves the learner without a valid credential, in the registrar's words; undefined
 * when the credential issued before is active.
 */
function inactiveMessage(row: IssuedRow): string | undefined {
  if (!row.skipped || !row.status) return undefined;
  if (row.status.revoked)
    return `already issued as ${row.credentialId}, which was revoked: nothing issued (a revocation is final, and the register keeps one credential per learner and achievement)`;
  if (row.status.suspended)
    return `already issued as ${row.credentialId}, which is suspended: nothing issued (lift the suspension with "microcred reinstate" rather than issuing again)`;
  return undefined;
}

/**
 * The file name (without extension) of a credential: a readable ASCII prefix from the achievement title, then the
 * credential id's UUID (or a hash of a non-UUID id). Unique because credential ids are; never the learner's email.
 */
export function credentialFileBase(title: string, credentialId: string): string {
  const prefix =
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'credential';
  const uuid = /^urn:uuid:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i
    .exec(credentialId)?.[1]
    ?.toLowerCase();
  return `${prefix}--${uuid ?? createHash('sha256').update(credentialId).digest('hex').slice(0, 32)}`;
}

/**
 * Does this file's content carry this credential id (plainly, inside a JWT's payload, or in one of an SD-JWT's
 * `~`-separated disclosures, where the id is a selectively disclosable claim and the payload holds only its digest)?
 */
function holdsCredential(bytes: Buffer, credentialId: string): boolean {
  const latin1 = bytes.toString('latin1');
  if (latin1.includes(credentialId)) return true;
  for (const m of latin1.matchAll(/eyJ[\w-]+\.([\w-]+)\.[\w-]*/g)) {
    if (Buffer.from(m[1]!, 'base64url').toString('utf8').includes(credentialId)) return true;
  }
  for (const segment of latin1.trim().split('~').slice(1)) {
    if (/^[\w-]+$/.test(segment) && Buffer.from(segment, 'base64url').toString('utf8').includes(credentialId))
      return true;
  }
  return false;
}

/** The file's text when it exists and holds this credential (left by a crashed run); undefined when absent. */
function readOwnFile(file: string, credentialId: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (!holdsCredential(bytes, credentialId)) {
    throw new MicrocredError(
      'INVALID_INPUT',
      `${file} already exists and holds something else; refusing to overwrite it (move it away and run again)`,
      { path: '$.file' },
    );
  }
  return bytes.toString('utf8');
}

/**
 * Writes a new file durably and never over an existing one: a temporary file (mode 0600, fsync), then a hard link
 * to the final name, which fails if the name exists, then the directory is synced. Returns the text on disk.
 * If the name exists and holds the same credential (a crashed run of this reservation), that file is kept.
 */
export function writeNewFile(file: string, content: string | Uint8Array, credentialId: string): string {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = fs.openSync(tmp, 'wx', CREDENTIAL_FILE_MODE);
  try {
    fs.fchmodSync(fd, CREDENTIAL_FILE_MODE);
    fs.writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    try {
      fs.linkSync(tmp, file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        return readOwnFile(file, credentialId)!;
      }
      // File systems without hard links: an exclusive copy is just as safe against overwriting.
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'ENOSYS')
        fs.copyFileSync(tmp, file, fs.constants.COPYFILE_EXCL);
      else throw e;
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  syncDir(path.dirname(file));
  return typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
}
