/**
 * An offer burnt by wrong transaction codes while the right code is being redeemed (another server counting a
 * guesser's codes between the offer's load and its claim) tells the learner it is closed and to ask for a new
 * one, not that someone else redeemed it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { initWorkspace, rosterFromRecords, type RosterRow } from '../src/node/index';
import { createOffers, MAX_TX_CODE_ATTEMPTS } from '../src/server/index';
import { redeemOffer } from '../src/server/offers';
import { createHash } from 'node:crypto';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'offer-burnt-race-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('burnt between load and claim: "entered wrongly", not "already redeemed"', async () => {
  const { workspace } = await initWorkspace(path.join(dir, 'ws'), {
    name: 'Test University',
    country: 'EE',
    statusBaseUrl: 'https://credentials.example.edu/status/',
  });
  try {
    const definition = parseYaml(fs.readFileSync(path.join(__dirname, '../examples/rei-programme.yaml'), 'utf8'));
    const rows = rosterFromRecords([
      { email: 'liis@example.ee', part: 'Critical thinking and argumentation', grade: 'A' },
    ]) as RosterRow[];
    const [offer] = await createOffers(workspace, 'https://credentials.example.edu', { definition, rows });
    const code: string = JSON.parse(decodeURIComponent(offer!.offerUri.split('credential_offer=')[1]!)).grants[
      'urn:ietf:params:oauth:grant-type:pre-authorized_code'
    ]['pre-authorized_code'];
    const hash = createHash('sha256').update(code, 'utf8').digest('hex');
    // The guesser's codes land (through another server) after this redemption loaded the offer.
    const register = workspace.register;
    const claim = register.redeemOffer.bind(register);
    register.redeemOffer = async (input) => {
      for (let i = 0; i < MAX_TX_CODE_ATTEMPTS; i++) await register.countWrongTxCode(hash, MAX_TX_CODE_ATTEMPTS);
      return claim(input);
    };
    await expect(redeemOffer(workspace, code, offer!.txCode, new Date())).rejects.toThrow(
      /entered wrongly 5 times.*ask the registrar for a new one/,
    );
  } finally {
    await workspace.close();
  }
});
