import type { ParseArgsConfig } from 'node:util';
import {
  type FindIssuedFilter,
  findIssued,
  type IssuanceRecord,
  openWorkspace,
  registerOlderThanWorkspace,
} from '../node/index';
import { type CommandArgs, EXIT, type Output, UsageError, workspaceDir } from './command';

/** The filters `list` and `find` take. */
export function listOptions(): NonNullable<ParseArgsConfig['options']> {
  return {
    learner: { type: 'string' },
    achievement: { type: 'string' },
    from: { type: 'string' },
    until: { type: 'string' },
    status: { type: 'string' },
    limit: { type: 'string' },
  };
}

/** `list` and `find`: the register's records matching the filters, one line each; `find` needs at least one filter. */
export async function listRecords({ values }: CommandArgs, out: Output, needFilter: boolean): Promise<number> {
  const filters = {
    learner: values.learner as string | undefined,
    achievement: values.achievement as string | undefined,
    from: values.from as string | undefined,
    until: values.until as string | undefined,
    status: values.status as string | undefined,
  };
  if (needFilter && Object.values(filters).every((v) => v === undefined))
    throw new UsageError('find needs --learner, --achievement, --from, --until or --status');
  if (filters.status !== undefined && !['active', 'revoked', 'suspended'].includes(filters.status))
    throw new UsageError('--status is active, revoked or suspended');
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1))
    throw new UsageError('--limit is a positive whole number');
  const workspace = await openWorkspace(workspaceDir(values));
  try {
    // A listing changes nothing, so an old register is shown, but never without saying it is out of date.
    const older = await registerOlderThanWorkspace(workspace, 'listing');
    if (older) out.error(`Warning: ${older.message}`);
    let records = await findIssued(workspace, filters as FindIssuedFilter);
    if (limit !== undefined) records = records.slice(0, limit);
    if (out.json) out.data(records);
    else {
      for (const r of records) out.print(describeRecord(r));
      out.print(`${records.length} credential${records.length === 1 ? '' : 's'}`);
    }
    return EXIT.ok;
  } finally {
    await workspace.close();
  }
}

/** One line per credential: never the learner's identifier, only the masked label. */
export function describeRecord(r: IssuanceRecord): string {
  const status = r.status.revoked ? 'REVOKED' : r.status.suspended ? 'SUSPENDED' : 'active';
  return `${r.credentialId}  ${r.issuedAt?.slice(0, 10) ?? 'reserved'}  ${status.padEnd(9)}  ${r.learnerLabel ?? r.learnerRef}  ${r.achievementId.split('/').pop()}${r.file ? `  ${r.file}` : ''}`;
}
