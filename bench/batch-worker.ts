import { parentPort, workerData } from 'node:worker_threads';
import { award, importKey, issue } from '../src/index';
import { reiProgramme } from '../examples/rei-programme';
import { benchIssuer } from './fixtures';

/** Issues learners [from, to) of a cohort, signing each credential (eddsa-rdfc-2022), and reports how many it did. */
const { secretKeyMultibase, from, to } = workerData as { secretKeyMultibase: string; from: number; to: number };
const key = importKey({ secretKeyMultibase });
const issuer = benchIssuer(key.controller);
const part = reiProgramme.parts[0]!;
let done = 0;
for (let i = from; i < to; i++) {
  const credential = award(part, { issuer, learner: { email: `learner${i}@example.ee` }, grade: 'ABCDE'[i % 5]!, awardedOn: '2024-01-26' });
  const signed = await issue(credential, { key });
  if (signed.proof.length !== 1) throw new Error('unsigned');
  done++;
}
parentPort!.postMessage(done);
