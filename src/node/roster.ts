import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { parse } from 'csv-parse';
import type { LearnerInput } from '../builders/inputs';
import type { LearnerIdentity } from './identity';

/** One learner row of a roster CSV, ready to award. */
export interface RosterRow {
  /** 1-based line number in the file (of the row's first line), for error messages. */
  line: number;
  learner: LearnerInput;
  /** The identifier that makes this row one learner (DID, email, student ID or national ID; never a name alone). */
  identity: LearnerIdentity;
  /** Every identifier the row gives (the primary `identity` first): a learner is found by any of them. */
  identities: LearnerIdentity[];
  grade?: string;
  /** For programmes: which part (achievement id or title); empty means the programme itself. */
  part?: string;
  awardedOn?: string;
  /** A stable key for this row: the identity's type and value plus the part. */
  key: string;
  /** The identifying value itself (as given); the workspace turns it into a keyed reference before the register sees it. */
  learnerRef: string;
}

/** A roster line that cannot be issued, with its line number and the reason in plain words. */
export interface RosterProblem {
  line: number;
  message: string;
  /** The whole file could not be read (encoding, header, CSV structure): no row after this one was issued. */
  fatal?: true;
}

/** Text encodings a roster may be declared in (`--encoding`); anything else is refused. UTF-8 is the default and the only one guessed. */
export const ROSTER_ENCODINGS = ['utf-8', 'windows-1252', 'iso-8859-1', 'iso-8859-15', 'utf-16le'] as const;
export type RosterEncoding = (typeof ROSTER_ENCODINGS)[number];

/** Options of `readRoster`: the file's encoding (UTF-8 by default). */
export interface ReadRosterOptions {
  /** The file's encoding when it is not UTF-8 (`cp1252`, `latin1` and `utf16le` are accepted aliases). */
  encoding?: string;
}

/** Column names as spreadsheets write them → the roster field; compared lower-case with spaces, `_`, `-` and `.` removed. */
const HEADER_ALIASES: Record<string, keyof ColumnMap> = {
  learner: 'did',
  did: 'did',
  learnerdid: 'did',
  url: 'did',
  learnerurl: 'did',
  // Most exports start with an "ID" column (a row number or an internal key): it names the learner only when its
  // values are DIDs or URLs.
  id: 'id',
  learnerid: 'id',
  email: 'email',
  mail: 'email',
  emailaddress: 'email',
  learneremail: 'email',
  studentemail: 'email',
  courriel: 'email',
  studentid: 'studentId',
  studentnumber: 'studentId',
  studentno: 'studentId',
  matriculationnumber: 'studentId',
  matrikelnummer: 'studentId',
  sisid: 'studentId',
  nationalid: 'nationalId',
  nationalidentitynumber: 'nationalId',
  personalcode: 'nationalId',
  personalidentificationnumber: 'nationalId',
  name: 'name',
  fullname: 'name',
  learnername: 'name',
  studentname: 'name',
  grade: 'grade',
  mark: 'grade',
  result: 'grade',
  part: 'part',
  course: 'part',
  module: 'part',
  awardedon: 'awardedOn',
  awarded: 'awardedOn',
  awardeddate: 'awardedOn',
  dateawarded: 'awardedOn',
};

interface ColumnMap {
  did?: string;
  id?: string;
  email?: string;
  studentId?: string;
  nationalId?: string;
  name?: string;
  grade?: string;
  part?: string;
  awardedOn?: string;
}

/** The normalised form a header is matched by. */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_.-]+/g, '');
}

/** Resolves an encoding name or alias, or undefined for one we do not read. */
export function rosterEncoding(name: string): RosterEncoding | undefined {
  const n = name.toLowerCase().replace(/[\s_]/g, '');
  const alias: Record<string, RosterEncoding> = {
    utf8: 'utf-8',
    'utf-8': 'utf-8',
    cp1252: 'windows-1252',
    'windows-1252': 'windows-1252',
    win1252: 'windows-1252',
    latin1: 'iso-8859-1',
    'iso-8859-1': 'iso-8859-1',
    'iso8859-1': 'iso-8859-1',
    latin9: 'iso-8859-15',
    'iso-8859-15': 'iso-8859-15',
    utf16le: 'utf-16le',
    'utf-16le': 'utf-16le',
    'utf-16': 'utf-16le',
  };
  return alias[n];
}

/**
 * Streams a roster CSV row by row (a 100,000-learner roster is never held in memory). The header row names the
 * columns, matched case- and space-insensitively with common aliases (`Email`, `E-mail`, `Student ID`, …); the
 * delimiter (`,` `;` or tab) is taken from the header line; a UTF-8 BOM is skipped; Excel-style quoting ("a, b",
 * doubled "" quotes, line breaks inside quotes) is read. The file must be UTF-8 unless `encoding` says otherwise:
 * a byte sequence that is not UTF-8 stops the roster with its line and a hint, because a guessed decoding would
 * put U+FFFD into the learner's hashed identifier, which then never matches the learner.
 * A bad row is yielded as a problem with its line number and the rest continues.
 */
export async function* readRoster(
  file: string,
  options: ReadRosterOptions = {},
): AsyncGenerator<RosterRow | RosterProblem> {
  const encoding = options.encoding === undefined ? 'utf-8' : rosterEncoding(options.encoding);
  if (!encoding) {
    yield {
      line: 0,
      message: `unknown encoding ${JSON.stringify(options.encoding)}; use one of utf-8, cp1252, latin1, latin9, utf16le`,
      fatal: true,
    };
    return;
  }
  const decoded = fs.createReadStream(file).pipe(decoder(encoding, file));
  // The delimiter is read from the header line: the first chunk holds it (a header longer than 64 KiB is not a roster).
  const iterator = decoded[Symbol.asyncIterator]() as AsyncIterator<string>;
  let first: IteratorResult<string>;
  try {
    first = await iterator.next();
  } catch (e) {
    yield problemOf(e);
    return;
  }
  if (first.done) {
    yield {
      line: 1,
      message: 'the roster is empty: it needs a header row (e.g. email,name,grade) and one row per learner',
      fatal: true,
    };
    return;
  }
  const delimiter = sniffDelimiter(first.value);
  const text = Readable.from(
    (async function* () {
      yield first.value;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    })(),
  );
  let columns: Record<string, keyof ColumnMap | undefined> = {};
  let columnNames: ColumnNames = {};
  let headerProblem: string | undefined;
  const parser = text.pipe(
    parse({
      delimiter,
      columns: (header: string[]) => {
        const seen = new Map<keyof ColumnMap, string>();
        columns = {};
        for (const h of header) {
          const field = HEADER_ALIASES[headerKey(h)];
          if (field && seen.has(field))
            headerProblem = `columns ${JSON.stringify(seen.get(field))} and ${JSON.stringify(h.trim())} both mean ${field}; keep one`;
          if (field) seen.set(field, h.trim());
          columns[h] = field;
        }
        if (
          !headerProblem &&
          !['did', 'id', 'email', 'studentId', 'nationalId', 'name'].some((f) => seen.has(f as keyof ColumnMap))
        ) {
          headerProblem = `no column names the learner (found ${header.map((h) => JSON.stringify(h.trim())).join(', ')}); the header row needs email, student id, national id or learner (a DID)`;
        }
        columnNames = Object.fromEntries(seen);
        return header;
      },
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
      relax_column_count: false,
    }),
  );
  try {
    for await (const record of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (headerProblem) {
        yield { line: 1, message: headerProblem, fatal: true };
        return;
      }
      const mapped: Record<string, string> = {};
      for (const [h, v] of Object.entries(record.record)) {
        const field = columns[h];
        if (field) mapped[field] = v;
      }
      yield toRow(mapped, record.info.lines, columnNames);
    }
  } catch (e) {
    yield problemOf(e);
  }
}

function problemOf(e: unknown): RosterProblem {
  const err = e as { lines?: number; line?: number; message?: string };
  if (err.line !== undefined) return { line: err.line, message: err.message ?? String(e), fatal: true };
  return { line: err.lines ?? 0, message: `CSV error: ${err.message ?? String(e)}`, fatal: true };
}

/** The delimiter that splits the header line into the most fields, counting outside quotes. */
export function sniffDelimiter(chunk: string): string {
  const end = chunk.search(/\r?\n/);
  const header = end < 0 ? chunk : chunk.slice(0, end);
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch]!++;
  }
  return Object.entries(counts).sort((a, b) => b[1] - a[1])[0]![1] > 0
    ? Object.entries(counts).sort((a, b) => b[1] - a[1])[0]![0]
    : ',';
}

/** Decodes the byte stream strictly; on bytes that are not valid in the encoding, fails with the line they are on. */
function decoder(encoding: RosterEncoding, file: string): Transform {
  const td = new TextDecoder(encoding, { fatal: true });
  let lines = 1;
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, done) {
      try {
        const s = td.decode(chunk, { stream: true });
        for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) lines++;
        done(null, s.length ? s : undefined);
      } catch {
        done(invalidTextError(file, encoding, lines));
      }
    },
    flush(done) {
      try {
        const s = td.decode();
        done(null, s.length ? s : undefined);
      } catch {
        done(invalidTextError(file, encoding, lines));
      }
    },
  });
}

/** Finds the exact line of the first undecodable bytes (read again only on this error path). */
function invalidTextError(file: string, encoding: RosterEncoding, fromLine: number): Error & { line: number } {
  let line = fromLine;
  try {
    const bytes = fs.readFileSync(file);
    const strict = new TextDecoder(encoding, { fatal: true });
    let start = 0;
    line = 1;
    for (;;) {
      const nl = bytes.indexOf(0x0a, start);
      const slice = bytes.subarray(start, nl < 0 ? bytes.length : nl);
      try {
        strict.decode(slice);
      } catch {
        break;
      }
      if (nl < 0) break;
      start = nl + 1;
      line++;
    }
  } catch {
    // keep the approximate line
  }
  const hint =
    encoding === 'utf-8'
      ? ' Spreadsheet programs on Windows often save "CSV" as Windows-1252: save it as "CSV UTF-8", or give --encoding cp1252 (or latin1) if that is what it is.'
      : '';
  return Object.assign(
    new Error(
      `not valid ${encoding} text${encoding === 'utf-8' ? ' (a roster must be UTF-8 unless --encoding says otherwise)' : ''}.${hint}`,
    ),
    { line },
  );
}

/** The header each roster field was read from, for messages that name the column. */
export type ColumnNames = Partial<Record<string, string>>;

const DID_OR_URL = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

/** Turns one parsed roster record into a row, or a problem saying what is wrong with that line (naming the column). */
export function toRow(
  r: Record<string, string>,
  line: number,
  columnNames: ColumnNames = {},
): RosterRow | RosterProblem {
  const get = (k: string): string | undefined => (r[k] !== undefined && r[k].trim() !== '' ? r[k].trim() : undefined);
  const column = (field: string, fallback: string): string => JSON.stringify(columnNames[field] ?? fallback);
  const idColumn = get('id');
  const idIsDid = idColumn !== undefined && (idColumn.startsWith('did:') || /^https?:\/\/\S+$/i.test(idColumn));
  const did = get('did') ?? get('learner') ?? (idIsDid ? idColumn : undefined);
  const email = get('email');
  const studentId = get('studentId') ?? get('student_id');
  const nationalId = get('nationalId');
  const name = get('name');
  if (!did && !email && !studentId && !nationalId) {
    if (idColumn !== undefined) {
      return {
        line,
        message: `no learner: column ${column('id', 'id')} holds ${JSON.stringify(idColumn)}, which is not a DID or URL (an ID column names the learner only when it holds DIDs); add an email, student ID or national ID column`,
      };
    }
    return {
      line,
      message: name
        ? 'a name alone does not identify a learner (two learners can share one): add an email, student ID, national ID or learner DID column'
        : 'no learner: fill one of the columns email, student ID, national ID or learner (a DID or URL)',
    };
  }
  if (did !== undefined && !DID_OR_URL.test(did)) {
    return { line, message: `learner ${JSON.stringify(did)} (column ${column('did', 'learner')}) is not a DID or URL` };
  }
  if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email))
    return { line, message: `not an email address: ${JSON.stringify(email)} (column ${column('email', 'email')})` };
  const identifiers = {
    ...(did ? { id: did } : {}),
    ...(email ? { email } : {}),
    ...(studentId ? { studentId } : {}),
    ...(nationalId ? { nationalId } : {}),
    ...(name ? { name } : {}),
  };
  const learner: LearnerInput = did && Object.keys(identifiers).length === 1 ? did : (identifiers as LearnerInput);
  const identities: LearnerIdentity[] = [
    ...(did ? [{ type: 'did' as const, value: did }] : []),
    ...(email ? [{ type: 'email' as const, value: email }] : []),
    ...(studentId ? [{ type: 'studentId' as const, value: studentId }] : []),
    ...(nationalId ? [{ type: 'nationalId' as const, value: nationalId }] : []),
  ];
  const identity = identities[0]!;
  const part = get('part');
  const grade = get('grade');
  const awardedOn = get('awardedOn') ?? get('awarded_on');
  return {
    line,
    learner,
    identity,
    identities,
    learnerRef: identity.value,
    key: JSON.stringify([identity.type, identity.value, part ?? '']),
    ...(grade !== undefined ? { grade } : {}),
    ...(part !== undefined ? { part } : {}),
    ...(awardedOn !== undefined ? { awardedOn } : {}),
  };
}

/**
 * Roster rows from records already parsed (an API's JSON body, a spreadsheet library), with the column names and
 * checks of a roster CSV (`email`, `did`, `studentId`, `nationalId`, `name`, `grade`, `part`, `awardedOn`); a
 * record's line is its 1-based position.
 */
export function rosterFromRecords(records: readonly Record<string, string>[]): (RosterRow | RosterProblem)[] {
  return records.map((r, i) => toRow(r, i + 1));
}

/**
 * One learner as a roster row, to issue to a single learner with `issueRow`: `learner` is an email or a DID/URL,
 * with the grade and (for a programme) the part as a roster's columns would give them. A problem when the learner is
 * neither.
 */
export function learnerRow(learner: string, fields: { grade?: string; part?: string } = {}): RosterRow | RosterProblem {
  const column = /^[^\s@:]+@[^\s@]+$/.test(learner) ? 'email' : 'learner';
  return toRow(
    {
      [column]: learner,
      ...(fields.grade ? { grade: fields.grade } : {}),
      ...(fields.part ? { part: fields.part } : {}),
    },
    0,
  );
}

/** True when a roster entry is a problem rather than a row to issue. */
export function isRosterProblem(row: RosterRow | RosterProblem): row is RosterProblem {
  return 'message' in row;
}
