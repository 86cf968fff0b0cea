import fs from 'node:fs';
import path from 'node:path';
import { isRosterProblem, openWorkspace, readRoster, workspaceDefinition, type RosterRow } from '../../node/index';
import { createOffers, WALLET_FORMATS } from '../../server/index';
import { type Command, count, UsageError, workspaceDir } from '../command';
import { readDataFile } from '../data-file';

/** `microcred offer`: OpenID4VCI credential offers for a roster, one per learner, to send to their wallets. */
export const offer: Command = {
  summary:
    'make OpenID4VCI credential offers (link + QR code + transaction code) for a roster, redeemed once each by the learner\'s wallet through "microcred serve"',
  usage: `microcred offer -w <workspace> --definition <file.json|yaml> --roster learners.csv --public-url https://… [--expires-days 14] [--formats ${WALLET_FORMATS.map((f) => f.configurationId).join(',')}] [--out dir] [--encoding cp1252]`,
  examples: [
    'microcred offer -w ~/ut-office -d programme.yaml --roster autumn.csv --public-url https://credentials.ut.ee --out offers/',
    'microcred offer -w ~/ut-office -d course.yaml --roster autumn.csv --public-url https://credentials.ut.ee --formats EuMicroCredential_dc_sd_jwt   # EU Digital Identity Wallets only',
  ],
  options: {
    definition: { type: 'string', short: 'd' },
    roster: { type: 'string' },
    'public-url': { type: 'string' },
    'expires-days': { type: 'string' },
    formats: { type: 'string' },
    out: { type: 'string', short: 'o' },
    encoding: { type: 'string' },
  },
  async run({ values }, out) {
    if (!values.definition || !values.roster) throw new UsageError('offer needs --definition and --roster');
    const publicUrl = values['public-url'] as string | undefined;
    if (!publicUrl || !/^https:\/\/[^/\s]+/.test(publicUrl))
      throw new UsageError('offer needs --public-url, the https address of "microcred serve" that wallets reach');
    const days = Number((values['expires-days'] as string | undefined) ?? 14);
    if (!Number.isFinite(days) || days <= 0 || days > 366)
      throw new UsageError('--expires-days is a number of days up to 366');
    // Which formats the wallet may ask for (default every one the service delivers).
    const known = WALLET_FORMATS.map((f) => f.configurationId);
    const formats =
      values.formats === undefined
        ? undefined
        : String(values.formats)
            .split(',')
            .map((f) => f.trim())
            .filter(Boolean);
    if (formats && (formats.length === 0 || formats.some((f) => !known.includes(f))))
      throw new UsageError(`--formats takes credential configuration ids separated by commas: ${known.join(', ')}`);
    const workspace = await openWorkspace(workspaceDir(values));
    try {
      const definition = readDataFile(values.definition as string);
      for (const note of workspaceDefinition(workspace, definition).notes) out.error(`Note: ${note}`);
      const rows: RosterRow[] = [];
      let problems = 0;
      for await (const row of readRoster(
        values.roster as string,
        values.encoding ? { encoding: values.encoding as string } : {},
      )) {
        if (isRosterProblem(row)) {
          problems++;
          out.error(`line ${row.line}: ${row.message}`);
        } else rows.push(row);
      }
      const offers = await createOffers(workspace, publicUrl, {
        definition,
        rows,
        expiresInSeconds: Math.round(days * 24 * 3600),
        ...(formats ? { configurationIds: formats } : {}),
      });
      // Transaction codes are secrets for the learner: the folder and the list are for the registrar only.
      const outDir = (values.out as string | undefined) ?? path.join(workspace.dir, 'offers-out');
      fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
      const csv = ['line,learner,tx_code,expires_at,qr_file,offer_uri'];
      for (const o of offers) {
        const qr = `offer-line-${o.line}.svg`;
        fs.writeFileSync(path.join(outDir, qr), o.qrSvg, { mode: 0o600 });
        csv.push(
          [o.line, o.learnerLabel, o.txCode, o.expiresAt, qr, o.offerUri]
            .map((v) => `"${String(v).replace(/"/g, '""')}"`)
            .join(','),
        );
      }
      fs.writeFileSync(path.join(outDir, 'offers.csv'), csv.join('\n') + '\n', { mode: 0o600 });
      if (out.json) out.data({ offers: offers.map(({ qrSvg: _qr, ...o }) => o), problems, outDir });
      else
        out.print(
          `${count(offers.length, 'offer')} in ${path.join(outDir, 'offers.csv')} (QR codes beside it), valid ${count(days, 'day')}${problems ? `; ${count(problems, 'roster line')} skipped` : ''}. Send each learner their link or QR code, and the transaction code by another channel.`,
        );
      return problems ? 1 : 0;
    } finally {
      await workspace.close();
    }
  },
};
