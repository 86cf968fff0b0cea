import { MicrocredError } from '../../errors';

/**
 * The few SQLite calls the register makes, over either of two drivers:
 * - Node's built-in `node:sqlite` (Node 22.13 / 23.4 and later, no flag): nothing to install, nothing to compile;
 * - `better-sqlite3`, an optional peer dependency with a native binding, for Node 20 (which has no `node:sqlite`).
 *
 * The shape follows better-sqlite3's (`prepare`/`run`/`get`/`all`, `exec`, `pragma`, `transaction(fn).immediate()`)
 * so the register's code, schema and triggers are the same on both; only this file knows which one is underneath.
 * Both are synchronous and run the SQL in the same SQLite library semantics (WAL, BEGIN IMMEDIATE, busy_timeout,
 * STRICT tables, triggers, foreign keys switched on by the register itself).
 */

/** Which SQLite binding a register runs on. */
export type SqliteDriverName = 'node:sqlite' | 'better-sqlite3';

export interface RunResult {
  changes: number | bigint;
  lastInsertRowid: number | bigint;
}

export interface Statement<P extends unknown[] = unknown[], R = unknown> {
  run(...params: P): RunResult;
  get(...params: P): R | undefined;
  all(...params: P): R[];
}

export interface Transaction<T> {
  /** BEGIN IMMEDIATE: takes the write lock up front. */
  immediate(): T;
  /** BEGIN (deferred): a read snapshot until the first write. */
  deferred(): T;
}

export interface Database {
  readonly driver: SqliteDriverName;
  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): Statement<P, R>;
  exec(sql: string): void;
  /** `PRAGMA <source>`: all rows, or with `simple` the first column of the first row. */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /** Wraps `fn` in a transaction (a savepoint when nested); rolled back if `fn` or the commit throws. */
  transaction<T>(fn: () => T): Transaction<T>;
  close(): void;
}

export interface OpenDatabaseOptions {
  readonly?: boolean;
  /** Force one driver; by default node:sqlite where this Node has it, else better-sqlite3. */
  driver?: SqliteDriverName;
}

/** The SQLITE_BUSY primary result code: another connection holds the lock longer than the busy timeout. */
const SQLITE_BUSY = 5;

/** True when a driver error means "locked by another process" (better-sqlite3: code; node:sqlite: errcode). */
export function isBusyError(e: unknown): boolean {
  const err = e as { code?: unknown; errcode?: unknown } | null;
  if (typeof err?.code === 'string' && err.code.startsWith('SQLITE_BUSY')) return true;
  return typeof err?.errcode === 'number' && (err.errcode & 0xff) === SQLITE_BUSY;
}

/** Opens an SQLite file synchronously; what {@link loadDriver} hands back. */
export type OpenDatabase = (file: string, options?: { readonly?: boolean }) => Database;

/**
 * Finds the driver (the chosen one, or the default) and returns its opener, or throws a MicrocredError that says
 * what to install. Async only because better-sqlite3 is loaded with `import()`; opening itself is synchronous, so
 * the caller can check the driver before it creates any file. The default prefers Node's built-in `node:sqlite`
 * where present: it needs no native module, so it cannot break when Node is upgraded under a compiled binding.
 */
export async function loadDriver(chosen?: SqliteDriverName): Promise<OpenDatabase> {
  const driver = chosen ?? driverFromEnvironment();
  if (driver !== undefined && driver !== 'node:sqlite' && driver !== 'better-sqlite3') {
    throw new MicrocredError('INVALID_INPUT', 'driver must be "node:sqlite" or "better-sqlite3"', { path: '$.driver' });
  }
  if (driver !== 'better-sqlite3') {
    const builtin = loadNodeSqlite();
    if (builtin) {
      return (file, options = {}) =>
        new NodeSqliteDatabase(new builtin.DatabaseSync(file, { readOnly: options.readonly === true }));
    }
    if (driver === 'node:sqlite') {
      const message = `Node ${process.version} has no built-in node:sqlite (it needs Node 22.13 or later)`;
      throw new MicrocredError('INVALID_INPUT', message, { path: '$.driver' });
    }
  }
  const Better = await loadBetterSqlite3();
  return (file, options = {}) => new BetterSqliteDatabase(new Better(file, { readonly: options.readonly === true }));
}

/**
 * `MICROCRED_SQLITE_DRIVER=better-sqlite3` (or `node:sqlite`) picks the driver for a CLI run or a benchmark without
 * code; an empty or unset variable means the default.
 */
function driverFromEnvironment(): SqliteDriverName | undefined {
  const value = process.env.MICROCRED_SQLITE_DRIVER;
  if (value === undefined || value === '') return undefined;
  if (value === 'node:sqlite' || value === 'better-sqlite3') return value;
  const shown = JSON.stringify(value.slice(0, 40));
  const message = `MICROCRED_SQLITE_DRIVER must be "node:sqlite" or "better-sqlite3", not ${shown}`;
  throw new MicrocredError('INVALID_INPUT', message);
}

/** Loads the driver and opens `file` (tests, benchmarks and maintenance scripts that need raw SQL on a register). */
export async function openDatabase(file: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const open = await loadDriver(options.driver);
  return open(file, options);
}

/** The driver {@link openDatabase} picks by default on this Node, without opening anything. */
export function defaultDriver(): SqliteDriverName {
  return loadNodeSqlite() ? 'node:sqlite' : 'better-sqlite3';
}

// --- node:sqlite --------------------------------------------------------------------------------------------------

interface NodeStatementSync {
  run(...params: unknown[]): RunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

interface NodeDatabaseSync {
  /** Node 22.16 / 24 and later; undefined on 22.13–22.15. */
  readonly isTransaction?: boolean;
  prepare(sql: string): NodeStatementSync;
  exec(sql: string): void;
  close(): void;
}

interface NodeSqliteModule {
  DatabaseSync: new (file: string, options?: { readOnly?: boolean }) => NodeDatabaseSync;
}

let nodeSqlite: NodeSqliteModule | null | undefined;

/**
 * `node:sqlite` if this Node has it unflagged, else null. Loaded with `process.getBuiltinModule` (synchronous, and
 * invisible to bundlers, so the core bundle and Node 20 never see the import). Node 22 prints an ExperimentalWarning
 * when the module loads; a registrar running the CLI cannot act on it, so that one warning, emitted during this one
 * call, is dropped. Every other warning passes through.
 */
function loadNodeSqlite(): NodeSqliteModule | null {
  if (nodeSqlite !== undefined) return nodeSqlite;
  const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (typeof getBuiltin !== 'function') return (nodeSqlite = null);
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning?.message;
    if (typeof text === 'string' && /SQLite is an experimental feature/.test(text)) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    const mod = getBuiltin.call(process, 'node:sqlite') as NodeSqliteModule | undefined;
    nodeSqlite = mod && typeof mod.DatabaseSync === 'function' ? mod : null;
  } catch {
    nodeSqlite = null; // Node 22.5–22.12 without --experimental-sqlite
  } finally {
    process.emitWarning = emitWarning;
  }
  return nodeSqlite;
}

class NodeSqliteDatabase implements Database {
  readonly driver = 'node:sqlite';
  private depth = 0;

  constructor(private readonly db: NodeDatabaseSync) {}

  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): Statement<P, R> {
    return this.db.prepare(sql) as unknown as Statement<P, R>;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const rows = this.db.prepare(`PRAGMA ${source}`).all() as Record<string, unknown>[];
    if (!options.simple) return rows;
    const first = rows[0];
    return first === undefined ? undefined : Object.values(first)[0];
  }

  transaction<T>(fn: () => T): Transaction<T> {
    return { immediate: () => this.run(fn, 'BEGIN IMMEDIATE'), deferred: () => this.run(fn, 'BEGIN DEFERRED') };
  }

  close(): void {
    this.db.close();
  }

  /** As better-sqlite3 does it: BEGIN…COMMIT at the top, a savepoint when nested, rollback on any throw. */
  private run<T>(fn: () => T, begin: string): T {
    const nested = this.depth > 0;
    const savepoint = `register_${this.depth}`;
    this.db.exec(nested ? `SAVEPOINT ${savepoint}` : begin);
    this.depth++;
    try {
      const result = fn();
      this.db.exec(nested ? `RELEASE ${savepoint}` : 'COMMIT');
      return result;
    } catch (e) {
      // SQLite may already have rolled the whole transaction back itself (e.g. after SQLITE_FULL). isTransaction
      // tells (Node 22.16+); before it, the rollback is tried and "no transaction is active" ignored.
      if (this.db.isTransaction !== false) {
        try {
          this.db.exec(nested ? `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}` : 'ROLLBACK');
        } catch {
          // nothing left to roll back; the original error is the one to report
        }
      }
      throw e;
    } finally {
      this.depth--;
    }
  }
}

// --- better-sqlite3 -----------------------------------------------------------------------------------------------

interface BetterSqlite3Database {
  prepare(sql: string): NodeStatementSync;
  exec(sql: string): void;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<T>(fn: () => T): Transaction<T>;
  close(): void;
}

type BetterSqlite3Constructor = new (file: string, options?: { readonly?: boolean }) => BetterSqlite3Database;

async function loadBetterSqlite3(): Promise<BetterSqlite3Constructor> {
  try {
    // Loaded lazily: better-sqlite3 is an optional peer dependency, and only the register needs it.
    type Module = { default?: BetterSqlite3Constructor } & BetterSqlite3Constructor;
    const mod = (await import('better-sqlite3')) as unknown as Module;
    return mod.default ?? mod;
  } catch (e) {
    throw new MicrocredError(
      'INVALID_INPUT',
      `The issuance register needs SQLite: Node 22.13 or later has it built in (node:sqlite); ` +
        `on Node ${process.version} install the optional dependency with "npm install better-sqlite3@12" ` +
        `(${(e as Error)?.message ?? String(e)})`,
      { cause: e },
    );
  }
}

class BetterSqliteDatabase implements Database {
  readonly driver = 'better-sqlite3';

  constructor(private readonly db: BetterSqlite3Database) {}

  prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): Statement<P, R> {
    return this.db.prepare(sql) as unknown as Statement<P, R>;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  pragma(source: string, options?: { simple?: boolean }): unknown {
    return this.db.pragma(source, options);
  }

  transaction<T>(fn: () => T): Transaction<T> {
    return this.db.transaction(fn);
  }

  close(): void {
    this.db.close();
  }
}
