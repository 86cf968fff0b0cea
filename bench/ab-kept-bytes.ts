/**
 * What keeping each issued credential's bytes in the register costs the issue path: `issueRow` with the bytes kept,
 * as the library now does, against the same with a register that is handed no bytes (as before); see
 * bench/issue-row-ab.ts for how the two are timed.
 *
 *   npx tsx bench/ab-kept-bytes.ts [--rounds 10] [--per 20] [--dir /dev/shm]
 *
 * Reported: median ms per credential of each side and their ratio (kept / not kept), and the register's size per
 * credential with the bytes kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import { issueRowAbOptions, runIssueRowAb, timeIssueRow, withRegisterMethod } from './issue-row-ab';

const ab = issueRowAbOptions('kept');

runIssueRowAb(ab, async () => {
  // A register that is handed no bytes at completion: the issue path as it was before.
  const {
    now: kept,
    before: notKept,
    workspaceDir,
    outDir,
  } = await timeIssueRow(ab, (ws) =>
    withRegisterMethod(
      ws,
      'completeIssuance',
      (complete) =>
        ({ credential: _, ...rest }) =>
          complete(rest),
    ),
  );
  const registerBytes = fs.statSync(path.join(workspaceDir, 'register.sqlite')).size;
  console.log(
    JSON.stringify(
      {
        perSide: ab.rounds * ab.per,
        keptMedianMs: Number(kept.toFixed(2)),
        notKeptMedianMs: Number(notKept.toFixed(2)),
        ratio: Number((kept / notKept).toFixed(3)),
        fileBytesPerCredential: Math.round(
          fs.readdirSync(outDir).reduce((s, f) => s + fs.statSync(path.join(outDir, f)).size, 0) /
            fs.readdirSync(outDir).length,
        ),
        registerFileBytes: registerBytes,
      },
      null,
      2,
    ),
  );
});
