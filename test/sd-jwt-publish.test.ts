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
  it('writes <list>.jwt beside <list>.json with the register\'s bits; a revoked credential\'s SD-JWT VC fails REVOKED', async () => {
    const { workspace } = await initWorkspace(path.join(tmp, 'ws'), { name: 'University of Tartu', country: 'EE', statusBaseUrl: 'https://www.ut.ee/status/' });
    try {
      const data = parseYaml(fs.readFileSync('examples/rei-programme.yaml', 'utf8')) as Record<string, unknown>;
      const i = workspace.config.issuer;
      const definition = definitionFromData({ ...data, issuer: { id: i.id, name: i.name, country: i.address!.addressCountryCode! } }).definition;
      const roster = path.join(tmp, 'roster.csv');
      fs.writeFileSync(roster, 'email,grade,part\na@example.ee,A,Critical thinking and argumentation\nb@example.ee,B,Critical thinking and argumentation\n');
      const summary = await issueRoster(workspace, definition, roster, { format: 'eddsa-jcs-2022', outDir: path.join(tmp, 'out') });
      const [a, b] = summary.files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as Record<string, unknown> & { id: string; proof?: unknown });
      await workspace.register.setStatus({ credentialId: a!.id, purpose: 'revocation', value: true, reason: 'annulled' });
      const dir = path.join(tmp, 'status');
      await publishStatusLists(workspace, { outDir: dir });
      const [token] = await publishTokenStatusLists(workspace, { outDir: dir });
      expect(fs.readdirSync(dir).sort()).toEqual(['revocation.json', 'revocation.jwt']);
      expect(token).toMatchObject({ file: path.join(dir, 'revocation.jwt'), hostAt: `${workspace.config.statusList}.jwt`, set: 1 });

      const fetchStatusList = async (url: string) => (url === token!.hostAt ? fs.readFileSync(token!.file, 'utf8') : Promise.reject(new Error(`404 ${url}`)));
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
