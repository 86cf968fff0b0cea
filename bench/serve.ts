/**
 * The service under load (issue 22, item 4): `POST /credentials/verify` of this library's service against the same
 * endpoint on the same framework (Hono on @hono/node-server) calling the reference stack (@digitalbazaar/vc), and
 * `POST /credentials/issue` with the SQLite register and, given a PostgreSQL server, with the PostgreSQL register, in
 * one run.
 *
 *   npm run bench:serve                  # full run (a few minutes)
 *   npm run bench:serve -- --quick       # a few hundred requests each, to check it runs
 *   npm run bench:serve -- --database postgres://user:password@127.0.0.1/db   # adds issuing on PostgreSQL
 *
 * The PostgreSQL database is `--database` or else MICROCRED_TEST_PG_URL (what the tests use); the run makes a schema
 * of its own there and drops it at the end. Without either, the PostgreSQL row is left out (and the run says so).
 *
 * Both servers run in this process on 127.0.0.1 (one at a time under load); the load comes from a second process,
 * autocannon's command line, with 16 connections, bounded by a request count and by a kill after a time limit. Each
 * run is preceded by a warm-up. Reported: requests/s, latency p50 / p99 (ms), and every non-2xx answer counted (the
 * run is refused if any verification fails: both sides verify the same credential, and must say it verifies).
 * The issue endpoint signs a new credential per request (no credential id, so none is a replay), writes its file and
 * records it in the register, with a bearer token.
 *
 * Not a timed test: the figures depend on the machine and what else runs on it; the ratio is the target (≥ 8×).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import pg from 'pg';
import { issue } from '../src/index';
import { initWorkspace } from '../src/node/index';
import { createServiceApp, createServiceToken, startService, toVerificationResult } from '../src/server/index';
import { benchIssuer, seedCredential } from './fixtures';
import { referenceVerify } from './reference';

const { values } = parseArgs({ options: { quick: { type: 'boolean' }, database: { type: 'string' } } });
const quick = values.quick === true;
const databaseUrl = values.database ?? (process.env.MICROCRED_TEST_PG_URL || undefined);
const CONNECTIONS = 16;
const LIMIT_SECONDS = quick ? 20 : 60;
const AUTOCANNON = path.join(
  path.dirname(new URL(import.meta.url).pathname),
  '../node_modules/autocannon/autocannon.js',
);

interface Run {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  seconds: number;
}

/** Runs autocannon in its own process against one endpoint, bounded by `amount` requests and a kill after LIMIT_SECONDS. */
function load(url: string, bodyFile: string, amount: number, headers: string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const args = [
      AUTOCANNON,
      '-c',
      String(CONNECTIONS),
      '-a',
      String(amount),
      '-m',
      'POST',
      '-i',
      bodyFile,
      '-H',
      'content-type=application/json',
      ...headers.flatMap((h) => ['-H', h]),
      '-j',
      url,
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const killer = setTimeout(() => child.kill('SIGINT'), LIMIT_SECONDS * 1000);
    child.on('exit', () => {
      clearTimeout(killer);
      try {
        const r = JSON.parse(out) as {
          requests: { average: number; total: number };
          latency: { p50: number; p99: number };
          non2xx: number;
          errors: number;
          duration: number;
        };
        resolve({
          requests: r.requests.total,
          rps: r.requests.total / r.duration,
          p50: r.latency.p50,
          p99: r.latency.p99,
          non2xx: r.non2xx,
          errors: r.errors,
          seconds: r.duration,
        });
      } catch (e) {
        reject(new Error(`autocannon gave no result: ${(e as Error).message}\n${out.slice(0, 500)}`));
      }
    });
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-bench-serve-'));
const { workspace } = await initWorkspace(path.join(tmp, 'ws'), {
  name: 'University of Tartu',
  country: 'EE',
  statusBaseUrl: 'https://www.ut.ee/status/',
});
const ours = await startService(
  createServiceApp({ workspace, publicUrl: 'https://www.ut.ee', webDir: false }),
  workspace,
  { port: 0 },
);
// The same service on a workspace whose register is on PostgreSQL, in a schema of its own (dropped at the end).
const pgSchema = `bench_serve_${process.pid}_${randomBytes(4).toString('hex')}`;
const onPostgres = databaseUrl
  ? await (async () => {
      const { workspace: pgWorkspace } = await initWorkspace(path.join(tmp, 'ws-pg'), {
        name: 'University of Tartu',
        country: 'EE',
        statusBaseUrl: 'https://www.ut.ee/status/',
        database: databaseUrl,
        databaseSchema: pgSchema,
      });
      const service = await startService(
        createServiceApp({ workspace: pgWorkspace, publicUrl: 'https://www.ut.ee', webDir: false }),
        pgWorkspace,
        { port: 0 },
      );
      // Its own issuer DID: the service signs only as its workspace's issuer.
      const body = path.join(tmp, 'issue-pg.json');
      const credential = {
        ...(seedCredential(benchIssuer(pgWorkspace.config.did)) as unknown as Record<string, unknown>),
      };
      delete credential.id;
      fs.writeFileSync(body, JSON.stringify({ credential }));
      return { service, token: (await createServiceToken(pgWorkspace)).token, body };
    })()
  : undefined;

// The reference: the same framework and endpoint shape, @digitalbazaar/vc doing the verification.
const referenceApp = new Hono();
referenceApp.post('/credentials/verify', async (c) => {
  const body = (await c.req.json()) as { verifiableCredential: object };
  const r = await referenceVerify(body.verifiableCredential);
  const result = toVerificationResult({
    verified: r.verified,
    checks: [{ check: 'proof', status: r.verified ? 'pass' : 'fail', message: r.error ?? 'proof' }],
  });
  return c.json(result, result.verified ? 200 : 400);
});
const reference = await startService(referenceApp, { close: async () => undefined } as never, { port: 0 });

// One credential both sides verify: the seed micro-credential, signed by the workspace key (eddsa-rdfc-2022).
const signed = await issue(seedCredential(benchIssuer(workspace.config.did)), { key: workspace.key });
const verifyBody = path.join(tmp, 'verify.json');
fs.writeFileSync(verifyBody, JSON.stringify({ verifiableCredential: signed }));
const check = await referenceVerify(signed);
if (!check.verified) throw new Error(`the reference does not verify the bench credential: ${check.error}`);

const { token } = await createServiceToken(workspace);
const issueBody = path.join(tmp, 'issue.json');
const unsigned = { ...(seedCredential(benchIssuer(workspace.config.did)) as unknown as Record<string, unknown>) };
delete unsigned.id;
fs.writeFileSync(issueBody, JSON.stringify({ credential: unsigned }));

const n = (ourCount: number, refCount: number) =>
  quick ? { ours: Math.min(ourCount, 300), ref: Math.min(refCount, 60) } : { ours: ourCount, ref: refCount };
const counts = n(6000, 600);
const oursUrl = `http://127.0.0.1:${ours.port}`;
const refUrl = `http://127.0.0.1:${reference.port}`;

console.log(
  `bench:serve — Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
// Warm-up: JIT, context caches, the register's statements.
await load(`${oursUrl}/credentials/verify`, verifyBody, 200);
await load(`${refUrl}/credentials/verify`, verifyBody, 40);
await load(`${oursUrl}/credentials/issue`, issueBody, 50, [`authorization=Bearer ${token}`]);
if (onPostgres)
  await load(`http://127.0.0.1:${onPostgres.service.port}/credentials/issue`, onPostgres.body, 50, [
    `authorization=Bearer ${onPostgres.token}`,
  ]);

const results: Record<string, Run> = {};
results['verify (ours)'] = await load(`${oursUrl}/credentials/verify`, verifyBody, counts.ours);
results['verify (reference)'] = await load(`${refUrl}/credentials/verify`, verifyBody, counts.ref);
results['issue, SQLite (ours)'] = await load(`${oursUrl}/credentials/issue`, issueBody, quick ? 100 : 1000, [
  `authorization=Bearer ${token}`,
]);
if (onPostgres)
  results['issue, PostgreSQL (ours)'] = await load(
    `http://127.0.0.1:${onPostgres.service.port}/credentials/issue`,
    onPostgres.body,
    quick ? 100 : 1000,
    [`authorization=Bearer ${onPostgres.token}`],
  );

console.log('\n| endpoint | requests | requests/s | p50 ms | p99 ms | non-2xx |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [name, r] of Object.entries(results))
  console.log(`| ${name} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx + r.errors} |`);
const ratio = results['verify (ours)']!.rps / results['verify (reference)']!.rps;
console.log(`\nverify: ${ratio.toFixed(1)}× the reference's requests/s (target ≥ 8×)`);
if (!onPostgres)
  console.log('issue with PostgreSQL: not measured (give --database postgres://… or set MICROCRED_TEST_PG_URL)');
const failed = Object.entries(results).filter(([, r]) => r.non2xx + r.errors > 0);
await ours.close();
await reference.close();
if (onPostgres) {
  await onPostgres.service.close();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // DROP SCHEMA is not a row change: the register's triggers guard rows; the bench removes its whole schema.
  await client.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`).finally(() => client.end());
}
fs.rmSync(tmp, { recursive: true, force: true });
if (failed.length) {
  console.error(`non-2xx answers in: ${failed.map(([name]) => name).join(', ')}`);
  process.exitCode = 1;
}
