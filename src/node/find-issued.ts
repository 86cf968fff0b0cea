import { identitiesFor } from './identity';
import { locateRecordedFile } from './recorded-path';
import type { IssuanceRecord, IssuedFilter } from './register';
import type { Workspace } from './workspace';

/** What a registrar searches the register by; every field is optional and they combine (all must match). */
export interface FindIssuedFilter {
  /** An email, a DID/URL, or a student or national ID, as typed (see {@link identitiesFor}). */
  learner?: string | undefined;
  /** The achievement's id, or its last path segment (`critical-thinking`). */
  achievement?: string | undefined;
  /** Issued on or after this date (`YYYY-MM-DD` or a date-time). */
  from?: string | undefined;
  /** Issued on or before this date. */
  until?: string | undefined;
  /** The credential's status now. */
  status?: 'active' | 'revoked' | 'suspended' | undefined;
}

/**
 * The register's records matching a learner (typed again and turned into the keyed reference, so the register never
 * holds the identifier), an achievement, issue dates and status; oldest first. Each record's `file` is where the
 * file is found from the current directory (the register records it relative to the workspace).
 */
export async function findIssued(workspace: Workspace, f: FindIssuedFilter): Promise<IssuanceRecord[]> {
  const base: IssuedFilter = {
    ...(f.from ? { issuedFrom: f.from } : {}),
    ...(f.until ? { issuedUntil: f.until } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.achievement?.includes(':') ? { achievementId: f.achievement } : {}),
  };
  let records: IssuanceRecord[];
  if (f.learner) {
    records = [];
    // Any identifier of the learner finds all their credentials (the register links a row's identifiers).
    const learners = new Set<string>();
    for (const identity of identitiesFor(f.learner)) learners.add(await workspace.findLearner(identity));
    for (const learnerRef of learners) records.push(...(await workspace.register.listIssued({ ...base, learnerRef })));
  } else records = await workspace.register.listIssued(base);
  // An achievement given by its last path segment ("critical-thinking") matches ids ending in it.
  if (f.achievement && !f.achievement.includes(':'))
    records = records.filter(
      (r) => r.achievementId.endsWith(`/${f.achievement}`) || r.achievementId.endsWith(`#${f.achievement}`),
    );
  // The register anchors paths to the workspace; the caller gets a path that works from where it runs.
  return records.map((r) => (r.file ? { ...r, file: locateRecordedFile(workspace.dir, r.file).file } : r));
}
