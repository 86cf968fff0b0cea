#!/usr/bin/env node
import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // main() turns every error into a message and an exit code; this is the last resort, still without a stack trace.
    console.error(`Internal error: ${(e as Error)?.message ?? String(e)}`);
    process.exitCode = 3;
  },
);
