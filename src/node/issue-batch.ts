import fs from 'node:fs';
import path from 'node:path';
import { award } from '../build/award';
import type { MicroCredentialDefinition } from '../build/micro-credential';
import type { ProgrammeDefinition } from '../build/programme';
import { bake } from '../bake/index';
import { issue, type IssueFormat } from '../issue';
import { statusListEntry } from '../status/credential';
import { isRosterProblem, readRoster, type RosterProblem, type RosterRow } from './roster';
import type { Workspace } from './workspace';
import { credentialHash } from './register';

export interface BatchOptions {
  format: IssueFormat;
  outDir: string;
  /** Bake each credential into a copy of this PNG or SVG too. */
  badgeImage?: { bytes: Uint8Array; ext: 'png' | 'svg' };
  /** Called after each row (for a progress bar). */
  onProgress?: (done: { issued: number; skipped: number; failed: number }) => void;
}

export interface BatchSummary {
  issued: number;
  /** Rows already issued by an earlier run (re-running a roster never issues twice). */
  skipped: number;
  problems: RosterProblem[];
  files: string[];
}

/** Picks the definition for a row: a programme part by id or title, or the definition itself. */
function definitionFor(definition: MicroCredentialDefinition | ProgrammeDefinition, part: string | undefined): MicroCredentialDefinition | undefined {
  if (!part) return definition;
  if (definition.kind !== 'programme') return definition.id === part || definition.title === part ? definition : undefined;
  const programme = definition as ProgrammeDefinition;
  if (programme.id === part || programme.title === part) return programme;
  return programme.parts.find((p) => p.id === part || p.title === part);
}

/**
 * Issues one credential for a roster row, idempotently: the register reserves the credential id and its status index
 * before anything is signed, the file is written atomically, then the issuance is marked complete. A crash anywhere
 * leaves a reservation that the next run completes with the same id and index.
 */
export async function issueRow(workspace: Workspace, definition: MicroCredentialDefinition | ProgrammeDefinition, row: RosterRow, options: BatchOptions): Promise<{ file?: string; skipped: boolean }> {
  const target = definitionFor(definition, row.part);
  if (!target) throw new Error(`no part ${JSON.stringify(row.part)} in ${definition.title}`);
  const { register, config } = workspace;
  // The learner reference identifies the row across re-runs, so an edited or re-ordered roster still issues once.
  const reservation = await register.reserveIssuance({ rosterKey: row.learnerRef, learnerRef: row.learnerRef, achievementId: target.id, listId: config.statusList });
  if (reservation.state === 'issued') return { skipped: true };
  const credentialStatus = statusListEntry({ listCredentialId: config.statusList, index: reservation.statusIndex!, purpose: config.statusPurpose });
  const unsigned = award(target, {
    issuer: config.issuer,
    learner: row.learner,
    id: reservation.credentialId,
    ...(row.grade !== undefined ? { grade: row.grade } : {}),
    ...(row.awardedOn ? { awardedOn: row.awardedOn } : {}),
    credentialStatus: credentialStatus as unknown as { type: string },
  });
  const signed = await issue(unsigned, { key: workspace.key, format: options.format });
  const text = typeof signed === 'string' ? signed : JSON.stringify(signed, null, 2) + '\n';
  const base = `${slug(row.learnerRef)}--${slug(target.title)}`;
  const file = path.join(options.outDir, `${base}.${typeof signed === 'string' ? 'jwt' : 'json'}`);
  writeAtomically(file, text);
  if (options.badgeImage) {
    const image = options.badgeImage.ext === 'png' ? bake(options.badgeImage.bytes, signed) : bake(new TextDecoder().decode(options.badgeImage.bytes), signed);
    writeAtomically(path.join(options.outDir, `${base}.${options.badgeImage.ext}`), image);
  }
  await register.completeIssuance({ key: reservation.key, credentialId: reservation.credentialId, format: options.format, credentialHash: credentialHash(text), file });
  return { file, skipped: false };
}

/** Issues a roster CSV, streaming it row by row; a bad row is reported with its line and the rest is still issued. */
export async function issueRoster(workspace: Workspace, definition: MicroCredentialDefinition | ProgrammeDefinition, rosterFile: string, options: BatchOptions): Promise<BatchSummary> {
  fs.mkdirSync(options.outDir, { recursive: true });
  const summary: BatchSummary = { issued: 0, skipped: 0, problems: [], files: [] };
  for await (const row of readRoster(rosterFile)) {
    if (isRosterProblem(row)) summary.problems.push(row);
    else {
      try {
        const r = await issueRow(workspace, definition, row, options);
        if (r.skipped) summary.skipped++;
        else {
          summary.issued++;
          if (summary.files.length < 1000) summary.files.push(r.file!);
        }
      } catch (e) {
        summary.problems.push({ line: row.line, message: (e as Error).message.split('\n').join(' ') });
      }
    }
    options.onProgress?.({ issued: summary.issued, skipped: summary.skipped, failed: summary.problems.length });
  }
  return summary;
}

function writeAtomically(file: string, content: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

function slug(text: string): string {
  return text.normalize('NFKD').replace(/[^\w@.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'credential';
}
