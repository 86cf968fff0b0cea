/**
 * PostgreSQL for the register tests. The server is named by MICROCRED_TEST_PG_URL (.ci/run starts one on loopback
 * and sets it). Without it, the PostgreSQL tests fail in CI (CI set) and are skipped elsewhere with a message.
 *
 * Every register a test opens lives in a schema of its own (`freshSchema`), dropped when the file's tests end, so test
 * files, their processes and the three Node runs of CI never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';

export const PG_URL = process.env.MICROCRED_TEST_PG_URL || undefined;
// CI sets CI; .ci/run also sets MICROCRED_CI_NODE_MAJOR for each of its three runs.
const inCi = Boolean(process.env.CI || process.env.MICROCRED_CI_NODE_MAJOR);

/**
 * `describe` for tests that need PostgreSQL: runs them when MICROCRED_TEST_PG_URL is set; in CI without it, one test
 * fails saying so; elsewhere the block is skipped with a visible message.
 */
export function describePostgres(name: string, body: (url: string) => void): void {
  if (PG_URL) {
    describe(name, () => body(PG_URL));
    return;
  }
  if (inCi) {
    describe(name, () => {
      it('has a PostgreSQL server to run against', () => {
        throw new Error('MICROCRED_TEST_PG_URL is not set: CI must start PostgreSQL and export its URL (see .ci/run)');
      });
    });
    return;
  }
  console.warn(
    `[skipped] ${name}: set MICROCRED_TEST_PG_URL=postgres://user:password@127.0.0.1/db to run the PostgreSQL register tests`,
  );
  describe.skip(name, () => body('postgres://unset'));
}

const made = new Set<string>();

/** A schema name nobody else uses; dropped after this test file. */
export function freshSchema(label = 't'): string {
  const name = `${label}_${process.pid}_${randomBytes(6).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  made.add(name);
  return name;
}

/** Runs raw SQL in a register's schema, as a hand-written psql session would (no library code in between). */
export async function rawSql<R extends object = Record<string, unknown>>(
  url: string,
  schema: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${schema}"`);
    return (await client.query<R>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  if (!PG_URL || made.size === 0) return;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    // DROP SCHEMA is not a row change: the register's triggers guard rows, a test cleans up whole schemas.
    for (const schema of made) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
  made.clear();
});

/**
 * Waits until `sql` returns no rows (polled every 50 ms) and fails if it still does after `limitMs`: a backend that
 * PostgreSQL was told to end, or whose client died, lets its locks go only once it has exited, which takes longer on
 * a loaded machine. Failing here says so, rather than a later assertion failing for a reason it does not name.
 */
export async function waitUntilNoRows(
  url: string,
  schema: string,
  sql: string,
  params: unknown[] = [],
  limitMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  while ((await rawSql(url, schema, sql, params)).length > 0) {
    if (Date.now() > deadline) throw new Error(`still returns rows after ${limitMs} ms: ${sql}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
