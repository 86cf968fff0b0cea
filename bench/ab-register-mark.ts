/**
 * What the register's high-water mark (src/node/register-mark.ts) costs the issue path: `issueRow` holding each fresh
 * reservation to the workspace folder's mark and rewriting it (one lookup, one small file written, synced and renamed),
 * against the same with a register whose reservations carry no count (the mark is skipped, as before); see
 * bench/issue-row-ab.ts for how the two are timed.
 *
 *   npx tsx bench/ab-register-mark.ts [--rounds 10] [--per 20] [--dir /dev/shm]
 *
 * Reported: median ms per credential of each side and their ratio (marked / unmarked).
 */
import { issueRowAbOptions, runIssueRowAb, timeIssueRow, withRegisterMethod } from './issue-row-ab';

const ab = issueRowAbOptions('mark');

runIssueRowAb(ab, async () => {
  // Reservations that carry no count: the mark is skipped, the issue path as before.
  const { now: marked, before: unmarked } = await timeIssueRow(ab, (ws) =>
    withRegisterMethod(ws, 'reserveIssuance', (reserve) => async (input) => {
      const { listAllocated: _, ...rest } = await reserve(input);
      return rest;
    }),
  );
  console.log(
    JSON.stringify({
      perSide: ab.rounds * ab.per,
      markedMedianMs: Number(marked.toFixed(3)),
      unmarkedMedianMs: Number(unmarked.toFixed(3)),
      ratio: Number((marked / unmarked).toFixed(3)),
    }),
  );
});
