import type { Command } from '../command';
import { listOptions, listRecords } from '../records';

/** `microcred list`: the register's credentials, oldest first, optionally filtered. */
export const list: Command = {
  summary: 'list issued credentials (oldest first), filtered by learner, achievement, date, status',
  usage:
    'microcred list -w <workspace> [--learner <email|student id|national id|DID>] [--achievement <id or its last segment>] [--from YYYY-MM-DD] [--until YYYY-MM-DD] [--status active|revoked|suspended] [--limit N] [--json]',
  examples: [
    'microcred list -w ~/ut-office --status revoked',
    'microcred list -w ~/ut-office --achievement critical-thinking --from 2026-09-01 --until 2026-12-31',
    'microcred find -w ~/ut-office --learner mari@example.ee',
  ],
  options: listOptions(),
  run: (args, out) => listRecords(args, out, false),
};
