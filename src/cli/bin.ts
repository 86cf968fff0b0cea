#!/usr/bin/env node
// The compile cache goes on before the CLI's code loads (a static import would load it first), so that this very
// process already reads and writes it: src/cli/compile-cache.ts imports only Node's built-in modules.
import { enableCompileCache } from './compile-cache';

enableCompileCache();
const { main } = await import('./main');

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
