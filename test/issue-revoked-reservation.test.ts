/**
 * A reservation left by a run that died before it completed the issue can be revoked (the register allows a status
 * change for any credential id it holds). Running the roster again must not then sign and hand out that credential.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { definitionFromData } from '../src';
import { initWorkspace, issueCredential, issueRoster } from '../src/node';
import { serviceCredential } from './helpers/service-credential';

const DEFINITION = path.resolve('examples/rei-programme.yaml');
const PART = 'Critical thinking and argumentation';
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microcred-review9-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it('a reservation revoked after a crashed run is not issued by the next run', async () => {
  const { workspace } = await initWorkspace(path.join(tmp, 'ws'), {
    name: 'University of Tartu',
    country: 'EE',
    statusBaseUrl: 'https://www.ut.ee/status/',
  });
  const data = parseYaml(fs.readFileSync(DEFINITION, 'utf8')) as Record<string, unknown>;
  const issuer = workspace.config.issuer;
  const definition = definitionFromData({
    ...data,
    issuer: { id: issuer.id, name: issuer.name, country: issuer.address!.addressCountryCode! },
  }).definition;
  const rosterFile = path.join(tmp, 'roster.csv');
  fs.writeFileSync(rosterFile, `email,grade,part\nmari@example.ee,A,${PART}\n`);
  const options = { format: 'eddsa-jcs-2022' as const, outDir: path.join(tmp, 'out') };
  try {
    // The run dies between signing and recording the issue: the reservation stays 'reserved'.
    const register = workspace.register as unknown as Record<string, unknown>;
    let reservedId: string | undefined;
    register.completeIssuance = async (input: { credentialId: string }) => {
      reservedId = input.credentialId;
      throw new Error('killed');
    };
    await issueRoster(workspace, definition, rosterFile, options).catch(() => undefined);
    delete register.completeIssuance;
    expect(reservedId).toBeDefined();
    for (const f of fs.readdirSync(options.outDir)) fs.rmSync(path.join(options.outDir, f));
    await workspace.register.setStatus({
      credentialId: reservedId!,
      purpose: 'revocation',
      value: true,
      reason: 'Grade annulled',
    });

    const again = await issueRoster(workspace, definition, rosterFile, options);
    expect(again.issued).toBe(0);
    expect(again.inactive).toEqual([{ line: 2, message: expect.stringContaining(`${reservedId}, which was revoked`) }]);
    expect(fs.readdirSync(options.outDir)).toEqual([]);
  } finally {
    await workspace.close();
  }
}, 60_000);

it("the VC API's issueCredential refuses a retry of a reservation revoked after the request died", async () => {
  const ws = path.join(tmp, 'vc-api');
  const made = await initWorkspace(ws, {
    name: 'Test University',
    country: 'EE',
    statusBaseUrl: 'https://credentials.example.edu/status/',
  });
  const workspace = made.workspace;
  const id = 'urn:uuid:0b7e2f4c-9d1a-4c3b-8e5f-6a7b8c9d0e1f';
  const credential = serviceCredential(id, 'did:example:mari', 'https://uni.example.edu/a/ct');
  try {
    const register = workspace.register as unknown as Record<string, unknown>;
    register.completeIssuance = async () => {
      throw new Error('killed');
    };
    await expect(issueCredential(workspace, credential)).rejects.toThrow('killed');
    delete register.completeIssuance;
    for (const f of fs.readdirSync(path.join(ws, 'issued'))) fs.rmSync(path.join(ws, 'issued', f), { recursive: true });
    await workspace.register.setStatus({ credentialId: id, purpose: 'revocation', value: true, reason: 'Withdrawn' });

    const retry = await issueCredential(workspace, credential).then(
      () => undefined,
      (e: unknown) => e as { code?: string },
    );
    expect(retry?.code).toBe('REVOKED');
    expect(fs.readdirSync(path.join(ws, 'issued'))).toEqual([]);
  } finally {
    await workspace.close();
  }
}, 60_000);
