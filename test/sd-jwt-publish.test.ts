import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { definitionFromData, issue, verify } from '../src';
import { initWorkspace, issueRoster, publishStatusLists, publishTokenStatusLists } from '../src/node';

/**
 * The workspace publishes an IETF Token Status List beside each bitstring revocation list, from the same register
 * bits: an SD-JWT VC issued from a roster credential is revoked through it.
 */
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-sdjwt-publish-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('publishTokenStatusLists', () => {
  it("writes <list>.jwt beside <list>.json with the register's bits; a revoked credential's SD-JWT VC fails REVOKED", async () => {
    const { workspace } = await initWorkspace(path.join(tmp, 'ws'), {
      name: 'University of Tartu',
      country: 'EE',
      statusBaseUrl: 'https://www.ut.ee/status/',
    });
    try {
      const data = parseYaml(fs.readFileSync('examples/rei-programme.yaml', 'utf8')) as Record<string, unknown>;
      const i = workspace.config.issuer;
      const definition = definitionFromData({
        ...data,
        issuer: { id: i.id, name: i.name, country: i.address!.addressCountryCode! },
      }).definition;
      const roster = path.join(tmp, 'roster.csv');
      fs.writeFileSync(
        roster,
        'email,grade,part\na@example.ee,A,Critical thinking and argumentation\nb@example.ee,B,Critical thinking and argumentation\n',
      );
      const summary = await issueRoster(workspace, definition, roster, {
        format: 'eddsa-jcs-2022',
        outDir: path.join(tmp, 'out'),
      });
      const [a, b] = summary.files.map(
        (f) => JSON.parse(fs.readFileSync(f, 'utf8')) as Record<string, unknown> & { id: string; proof?: unknown },
      );
      await workspace.register.setStatus({
        credentialId: a!.id,
        purpose: 'revocation',
        value: true,
        reason: 'annulled',
      });
      const dir = path.join(tmp, 'status');
      await publishStatusLists(workspace, { outDir: dir });
      const [token] = await publishTokenStatusLists(workspace, { outDir: dir });
      expect(fs.readdirSync(dir).sort()).toEqual(['.microcred-published.json', 'revocation.json', 'revocation.jwt']);
      expect(token).toMatchObject({
        file: path.join(dir, 'revocation.jwt'),
        hostAt: `${workspace.config.statusList}.jwt`,
        set: 1,
      });

      const fetchStatusList = async (url: string) =>
        url === token!.hostAt ? fs.readFileSync(token!.file, 'utf8') : Promise.reject(new Error(`404 ${url}`));
      const asSdJwt = async (c: Record<string, unknown>) => {
        const { proof: _p, ...unsigned } = c;
        void _p;
        return issue(unsigned, { key: workspace.key, format: 'dc+sd-jwt' });
      };
      const revoked = await verify(await asSdJwt(a!), { fetchStatusList });
      expect(revoked.checks.find((c) => c.check === 'status')).toMatchObject({ status: 'fail', code: 'REVOKED' });
      const fine = await verify(await asSdJwt(b!), { fetchStatusList });
      expect(fine.checks.filter((c) => c.status === 'fail')).toEqual([]);
    } finally {
      await workspace.close();
    }
  }, 60_000);
});

describe('microcred status publish', () => {
  it('writes the token list beside the bitstring list, and verify --status-dir reads it for an SD-JWT VC', async () => {
    const { main: runCli } = await import('../src/cli/main');
    const { openWorkspace } = await import('../src/node');
    const run = async (...args: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
      return { code, stdout, stderr };
    };
    const ws = path.join(tmp, 'cli-ws');
    expect(
      (await run('init', ws, '--name', 'U', '--country', 'EE', '--status-url', 'https://u.example/status/')).code,
    ).toBe(0);
    const issued = await run(
      'issue',
      '-w',
      ws,
      '--definition',
      'examples/rei-programme.yaml',
      '--learner',
      'k@example.ee',
      '--grade',
      'A',
      '--part',
      'Critical thinking and argumentation',
      '--format',
      'eddsa-jcs-2022',
      '--out',
      path.join(tmp, 'cli-out'),
      '--json',
    );
    const { proof: _p, ...credential } = JSON.parse(
      fs.readFileSync((JSON.parse(issued.stdout) as { file: string }).file, 'utf8'),
    ) as Record<string, unknown> & { id: string };
    void _p;
    expect((await run('revoke', credential.id, '--reason', 'annulled', '-w', ws)).code).toBe(0);
    const published = await run('status', 'publish', '-w', ws);
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toMatch(/revocation\.jwt for SD-JWT VCs \(1 credential revoked in it/);
    expect(fs.readdirSync(path.join(ws, 'status')).sort()).toEqual([
      '.microcred-published.json',
      'revocation.json',
      'revocation.jwt',
    ]);
    const workspace = await openWorkspace(ws);
    const sdJwtFile = path.join(tmp, 'k.sd-jwt');
    try {
      fs.writeFileSync(sdJwtFile, await issue(credential, { key: workspace.key, format: 'dc+sd-jwt' }));
    } finally {
      await workspace.close();
    }
    const verified = await run('verify', sdJwtFile, '--status-dir', path.join(ws, 'status'), '--json');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(/"REVOKED"/);
  }, 60_000);
});
