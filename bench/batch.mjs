/**
 * The batch benchmark: a cohort of the seed programme's first course issued (eddsa-rdfc-2022) by a pool of
 * worker_threads, in a process of its own so that its peak RSS is the batch's and nothing else's. Runs the built
 * package (dist/, through the package's own exports), as a university's server would. Each worker signs through one
 * `createRosterIssuer` (as `microcred issue --roster` does); `--api plain` calls `award` + `issue` per credential.
 *
 *   node bench/batch.mjs --workers 2 --count 10000 [--api roster|plain]     # prints one JSON line
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import * as microcredentials from 'microcredentials';

const { award, definitionFromData, generateKey, importKey, issue } = microcredentials;

if (isMainThread) {
  const { parse: parseYaml } = await import('yaml');
  const { values } = parseArgs({
    options: {
      workers: { type: 'string', default: '1' },
      count: { type: 'string', default: '1000' },
      api: { type: 'string', default: 'roster' },
    },
  });
  const api = values.api;
  if (api !== 'roster' && api !== 'plain') throw new Error('--api roster|plain');
  const workers = Number(values.workers);
  const count = Number(values.count);
  const secretKeyMultibase = generateKey().exportSecretKeyMultibase();
  // The coordinator reads the programme once and hands the data to every worker, as a pool in a registrar's
  // service would; workers then need no YAML parser at start-up.
  const programme = parseYaml(fs.readFileSync(new URL('../examples/rei-programme.yaml', import.meta.url), 'utf8'));
  const per = Math.ceil(count / workers);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  // Each worker loads the library and signs one warm-up credential (not counted), then waits for the others:
  // `seconds` includes that start-up, `steadySeconds` runs from the common start signal to the last credential.
  const pool = Array.from({ length: workers }, (_, w) => {
    const from = w * per;
    const to = Math.min(count, from + per);
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { secretKeyMultibase, programme, from, to, api },
    });
    const message = (kind) =>
      new Promise((resolve, reject) => {
        const onMessage = (m) => m.kind === kind && (worker.off('message', onMessage), resolve(m));
        worker.on('message', onMessage);
        worker.once('error', reject);
        worker.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
      });
    return { worker, ready: message('ready'), done: message('done') };
  });
  await Promise.all(pool.map((p) => p.ready));
  const go = performance.now();
  for (const p of pool) p.worker.postMessage('go');
  const done = await Promise.all(pool.map((p) => p.done));
  const end = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  const seconds = (end - start) / 1000;
  const steadySeconds = (end - go) / 1000;
  const credentials = done.reduce((a, m) => a + m.issued, 0);
  if (credentials !== count) throw new Error(`issued ${credentials} of ${count}`);
  // CPU seconds per wall-clock second: above 1 with one worker means V8's GC and compiler threads use the other cores.
  const coresBusy = (cpu.user + cpu.system) / 1e6 / seconds;
  console.log(
    JSON.stringify({
      workers,
      api,
      credentials,
      seconds,
      perSecond: credentials / seconds,
      steadySeconds,
      steadyPerSecond: credentials / steadySeconds,
      coresBusy,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
} else {
  const { secretKeyMultibase, programme, from, to, api } = workerData;
  const key = importKey({ secretKeyMultibase });
  const { issuer, definition } = definitionFromData({
    ...programme,
    issuer: { ...programme.issuer, id: key.controller },
  });
  const course = definition.parts[0];
  // A checkout from before createRosterIssuer runs the plain API whatever --api says.
  const roster =
    api === 'roster' && microcredentials.createRosterIssuer
      ? microcredentials.createRosterIssuer(course, { issuer, key })
      : undefined;
  const one = async (i) => {
    const learner = {
      learner: { email: `learner${i}@example.ee` },
      grade: 'ABCDE'[Math.abs(i) % 5],
      awardedOn: '2024-01-26',
    };
    const signed = roster ? await roster.issue(learner) : await issue(award(course, { ...learner, issuer }), { key });
    if (signed.proof.length !== 1) throw new Error('not signed');
  };
  await one(-1);
  parentPort.postMessage({ kind: 'ready' });
  parentPort.once('message', async () => {
    let issued = 0;
    for (let i = from; i < to; i++, issued++) await one(i);
    parentPort.postMessage({ kind: 'done', issued });
  });
}
