/**
 * jose, loaded on first use: only VC-JWT signing and verification need it, and importing it costs ~25 ms of start-up
 * in every process and worker that only ever handles Data Integrity proofs.
 */
let joseModule: Promise<typeof import('jose')> | undefined;

export function loadJose(): Promise<typeof import('jose')> {
  return (joseModule ??= import('jose'));
}
