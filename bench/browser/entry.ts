// The browser benchmark's page: `verify` only, as a page that checks credentials loads it; issuing loads on demand.
import { verify } from '../../src/index';
import { ed25519PathsTaken, sha256PathsTaken } from './paths';

declare global {
  interface Window {
    mc: {
      ready: true;
      /** One verify, timed in the page (ms); throws unless the credential verifies. */
      timeVerify(credential: object): Promise<number>;
      /** ms per verify over `n` verifies. */
      timeVerifies(credential: object, n: number): Promise<number>;
      /** ms per issue over `n` issues of `unsigned` with the key of `secretKeyMultibase`. */
      timeIssues(unsigned: object, secretKeyMultibase: string, n: number): Promise<number>;
      paths(): { ed25519: Record<string, number>; sha256: Record<string, number> };
    };
  }
}

async function verified(credential: object): Promise<void> {
  const report = await verify(credential);
  if (!report.verified) throw new Error(`not verified: ${JSON.stringify(report.checks)}`);
}

window.mc = {
  ready: true,
  async timeVerify(credential) {
    const t0 = performance.now();
    await verified(credential);
    return performance.now() - t0;
  },
  async timeVerifies(credential, n) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await verified(credential);
    return (performance.now() - t0) / n;
  },
  async timeIssues(unsigned, secretKeyMultibase, n) {
    const { issue, importKey } = await import('./issue');
    const key = importKey({ secretKeyMultibase });
    await issue(unsigned as never, { key });
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await issue(unsigned as never, { key });
    return (performance.now() - t0) / n;
  },
  paths: () => ({ ed25519: ed25519PathsTaken(), sha256: sha256PathsTaken() }),
};
