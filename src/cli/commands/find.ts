import type { Command } from '../command';
import { listOptions, listRecords } from '../records';

/** `microcred find`: like list, with at least one filter. */
export const find: Command = {
  summary: 'find credentials by learner, achievement, date or status (like list, but needs at least one filter)',
  usage:
    'microcred find -w <workspace> --learner <email|student id|national id|DID> [--achievement …] [--from …] [--until …] [--status …] [--json]',
  examples: [
    'microcred find -w ~/ut-office --learner mari@example.ee',
    'microcred find -w ~/ut-office --learner S-001 --achievement critical-thinking',
  ],
  options: listOptions(),
  run: (args, out) => listRecords(args, out, true),
};
