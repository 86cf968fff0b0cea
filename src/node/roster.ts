import fs from 'node:fs';
import { parse } from 'csv-parse';
import type { LearnerInput } from '../build/inputs';

/** One learner row of a roster CSV, ready to award. */
export interface RosterRow {
  /** 1-based line number in the file (of the row's first line), for error messages. */
  line: number;
  learner: LearnerInput;
  grade?: string;
  /** For programmes: which part (achievement id or title); empty means the programme itself. */
  part?: string;
  awardedOn?: string;
  /** A stable key for this row, so re-running the roster does not issue twice: the learner reference plus the part. */
  key: string;
  /** A human reference to the learner for the register (never a hash input). */
  learnerRef: string;
}

export interface RosterProblem {
  line: number;
  message: string;
}

const LEARNER_COLUMNS = ['learner', 'did', 'id', 'email', 'studentId', 'student_id', 'nationalId', 'name'] as const;

/**
 * Streams a roster CSV (header row; columns `learner`/`did`, `email`, `studentId`, `nationalId`, `name`, `grade`,
 * `part`, `awardedOn`) row by row, so a 10,000-learner roster is never held in memory. A bad row is yielded as a
 * problem with its line number and the rest continues.
 */
export async function* readRoster(file: string): AsyncGenerator<RosterRow | RosterProblem> {
  const parser = fs.createReadStream(file).pipe(
    parse({ columns: (header: string[]) => header.map((h) => h.trim()), skip_empty_lines: true, trim: true, bom: true, info: true, relax_column_count: false }),
  );
  try {
    for await (const record of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield toRow(record.record, record.info.lines);
    }
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    yield { line: err.lines ?? 0, message: `CSV error: ${err.message ?? String(e)}` };
  }
}

export function toRow(r: Record<string, string>, line: number): RosterRow | RosterProblem {
  const get = (k: string): string | undefined => (r[k] !== undefined && r[k] !== '' ? r[k] : undefined);
  if (!LEARNER_COLUMNS.some((c) => get(c))) {
    return { line, message: `no learner: fill one of the columns ${LEARNER_COLUMNS.join(', ')}` };
  }
  const did = get('learner') ?? get('did') ?? get('id');
  const email = get('email');
  const studentId = get('studentId') ?? get('student_id');
  const nationalId = get('nationalId');
  const name = get('name');
  if (did !== undefined && !/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(did)) {
    return { line, message: `learner ${JSON.stringify(did)} is not a DID or URL` };
  }
  if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email)) return { line, message: `not an email address: ${JSON.stringify(email)}` };
  const identifiers = { ...(did ? { id: did } : {}), ...(email ? { email } : {}), ...(studentId ? { studentId } : {}), ...(nationalId ? { nationalId } : {}), ...(name ? { name } : {}) };
  const learner: LearnerInput = did && Object.keys(identifiers).length === 1 ? did : (identifiers as LearnerInput);
  const learnerRef = did ?? email ?? studentId ?? nationalId ?? name!;
  const part = get('part');
  const grade = get('grade');
  const awardedOn = get('awardedOn') ?? get('awarded_on');
  return {
    line,
    learner,
    learnerRef,
    key: `${learnerRef}\u0000${part ?? ''}`,
    ...(grade !== undefined ? { grade } : {}),
    ...(part !== undefined ? { part } : {}),
    ...(awardedOn !== undefined ? { awardedOn } : {}),
  };
}

export function isRosterProblem(row: RosterRow | RosterProblem): row is RosterProblem {
  return 'message' in row;
}
