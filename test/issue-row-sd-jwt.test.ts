// An SD-JWT VC issued through the register (issueRow, as the OpenID4VCI endpoint does): bound to the wallet key,
// written as <title>--<uuid>.sd-jwt, and recovered after a crash between writing the file and completing the
// issuance. The credential id of an SD-JWT VC sits in a disclosure (the payload holds only its digest), so the
// recovery must read the disclosures to recognise the file as this reservation's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exportJWK, generateKeyPair } from 'jose';
import { verify } from '../src/index';
import { initWorkspace, issueRow, rosterFromRecords, workspaceDefinition, type RosterRow, type Workspace } from '../src/node/index';

let dir: string;
let workspace: Workspace;
const definitionData = parseYaml(fs.readFileSync(path.join(__dirname, '../examples/rei-programme.yaml'), 'utf8')) as Record<string, unknown>;
const unb64 = (s: string) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Record<string, unknown>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'issue-row-sd-jwt-'));
  ({ workspace } = await initWorkspace(path.join(dir, 'ws'), { name: 'Test University', country: 'EE', statusBaseUrl: 'https://credentials.example.edu/status/' }));
});
afterAll(async () => {
  await workspace.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The workspace with a register that "crashes" (throws) when the issuance is to be completed, after the file is written. */
function crashingBeforeComplete(ws: Workspace): Workspace {
  const register = new Proxy(ws.register, {
    get(target, name) {
      if (name === 'completeIssuance') return () => Promise.reject(new Error('simulated crash before completeIssuance'));
      const value = Reflect.get(target, name) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...ws, register };
}

describe('issueRow with dc+sd-jwt', () => {
  it('binds the wallet key (cnf.jwk), and a crash after the file is written is completed with the same file on re-run', async () => {
    const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const holderKey = await exportJWK(publicKey);
    const { definition, issuer } = workspaceDefinition(workspace, definitionData);
    const row = rosterFromRecords([{ email: 'mari@example.ee', part: 'Critical thinking and argumentation', grade: 'A' }])[0] as RosterRow;
    const outDir = path.join(dir, 'issued');
    fs.mkdirSync(outDir, { recursive: true });
    const options = { format: 'dc+sd-jwt' as const, outDir, issuer, holderKey };

    await expect(issueRow(crashingBeforeComplete(workspace), definition, row, options)).rejects.toThrow(/simulated crash/);
    const written = fs.readdirSync(outDir);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^critical-thinking-and-argumentation--[0-9a-f-]{36}\.sd-jwt$/);
    const before = fs.readFileSync(path.join(outDir, written[0]!), 'utf8');
    // The file is named by the reserved credential id, which is in a disclosure only: nowhere in the file's plain
    // text or its issuer JWT's payload.
    const credentialId = `urn:uuid:${/--([0-9a-f-]{36})\.sd-jwt$/.exec(written[0]!)![1]}`;
    expect(before).not.toContain(credentialId);
    expect(JSON.stringify(unb64(before.split('.')[1]!))).not.toContain(credentialId);

    const again = await issueRow(workspace, definition, row, options);
    expect(again).toMatchObject({ skipped: false, credentialId: credentialId, file: path.join(outDir, written[0]!) });
    // Kept, not signed anew: the same bytes, and still one file.
    expect(fs.readFileSync(again.file!, 'utf8')).toBe(before);
    expect(fs.readdirSync(outDir)).toEqual(written);
    const issued = (await workspace.register.listIssued()).filter((r) => r.credentialId === credentialId);
    expect(issued).toHaveLength(1);
    expect(issued[0]!.format).toBe('dc+sd-jwt');

    const payload = unb64(before.split('.')[1]!);
    expect(payload.cnf).toEqual({ jwk: { kty: 'OKP', crv: 'Ed25519', x: holderKey.x } });
    const report = await verify(before, { statusCheck: 'optional' });
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.format).toBe('dc+sd-jwt');
  });
});
