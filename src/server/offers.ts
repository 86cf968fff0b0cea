import fs from 'node:fs';
import path from 'node:path';
import { createHash, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';
import { isMicrocredError, MicrocredError } from '../index';
import type { RosterRow, Workspace } from '../node/index';
import { WALLET_FORMATS } from './wallet-formats';

/**
 * The folder an older version kept credential offers in (hashed codes). Its offers are moved into the register the
 * first time the service handles offers, and the folder renamed `offers.imported`.
 */
export const OFFERS_DIR = 'offers';
/** Wrong transaction codes an offer survives; the next one burns it (a 6-digit code must not be guessable by trying). */
export const MAX_TX_CODE_ATTEMPTS = 5;

/** What {@link createOffers} needs: the definition (parsed YAML or JSON data), the roster rows, how long offers last. */
export interface CreateOffersInput {
  /** A definition file's data, as `microcred issue --definition` reads it. */
  definition: unknown;
  rows: RosterRow[];
  /** Default 14 days. */
  expiresInSeconds?: number;
  /** Digits of the transaction code (default 6). */
  txCodeLength?: number;
  /** Which formats the wallet may ask for; default every one the service delivers. */
  configurationIds?: string[];
}

/** One offer made: give `offerUri` (or its QR code) to the learner, and `txCode` by another channel. */
export interface CreatedOffer {
  /** The roster line it was made for. */
  line: number;
  /** A masked hint of the learner, for the registrar's list. */
  learnerLabel: string;
  /** `openid-credential-offer://?credential_offer=…`, carrying the pre-authorized code. */
  offerUri: string;
  /** The same URI as an SVG QR code. */
  qrSvg: string;
  /** The transaction code the wallet asks the learner for. Shown once; only its hash is kept. */
  txCode: string;
  expiresAt: string;
}

/** What the register keeps of an offer (as its body), under the SHA-256 of the pre-authorized code. */
export interface StoredOffer {
  definition: unknown;
  row: RosterRow;
  txCodeSha256: string;
  expiresAt: string;
  createdAt: string;
  /** The credential configurations offered; the credential endpoint issues no other (absent: any the service delivers). */
  configurationIds?: string[];
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Moves the offers of an older workspace's {@link OFFERS_DIR} folder into the register, once (the folder is renamed
 * afterwards): a redeemed or burnt offer stays unredeemable, wrong transaction codes keep counting. Access tokens
 * given out before the move are not carried over; a wallet in the middle of a redemption asks again.
 */
async function importOffersDir(workspace: Workspace): Promise<void> {
  const dir = path.join(workspace.dir, OFFERS_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const name of names) {
    const m = /^([0-9a-f]{64})\.json$/.exec(name);
    if (!m) continue;
    const codeSha256 = m[1]!;
    let found = await workspace.register.findOffer(codeSha256);
    if (!found) {
      const body = fs.readFileSync(path.join(dir, name), 'utf8');
      const expiresAt = legacyExpiry(body);
      // A file that is not a readable offer (half-written by a crash) never was one the older version would honour.
      if (expiresAt === undefined) continue;
      try {
        await workspace.register.saveOffer({ codeSha256, body, expiresAt });
      } catch (e) {
        // Another server sharing the folder imported it first, or the file is not an offer the register can keep (an
        // unreadable expiry, a huge body): neither is carried over. A database that failed is tried again.
        if (!(await workspace.register.findOffer(codeSha256)) && !(isMicrocredError(e) && e.code === 'INVALID_INPUT'))
          throw e;
      }
      found = await workspace.register.findOffer(codeSha256);
      if (!found) continue;
    }
    // The offer's state is carried over even when the offer itself already was (an import cut short by a failure and
    // tried again, or a second server importing at once): a redeemed or burnt offer must not come back redeemable.
    // A second server may count attempts twice; that only burns an offer sooner.
    let attempts = 0;
    try {
      attempts = fs.statSync(path.join(dir, `${codeSha256}.attempts`)).size;
    } catch {
      // none
    }
    for (let i = found.wrongTxCodes; i < Math.min(attempts, MAX_TX_CODE_ATTEMPTS); i++)
      await workspace.register.countWrongTxCode(codeSha256, MAX_TX_CODE_ATTEMPTS);
    if (fs.existsSync(path.join(dir, `${codeSha256}.redeemed`)) && found.redeemedAt === undefined)
      await workspace.register.redeemOffer({
        codeSha256,
        accessTokenSha256: sha256(randomBytes(32).toString('base64url')),
        tokenExpiresAt: new Date(0).toISOString(),
      });
  }
  try {
    fs.renameSync(dir, `${dir}.imported`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** The expiry of an older version's offer file, or undefined when the file is not a readable offer. */
function legacyExpiry(body: string): string | undefined {
  try {
    const stored = JSON.parse(body) as Partial<StoredOffer> | null;
    return typeof stored?.expiresAt === 'string' ? stored.expiresAt : undefined;
  } catch {
    return undefined;
  }
}

/** Imports an older workspace's offers once per process before the first use (see {@link importOffersDir}). */
const imports = new WeakMap<Workspace, Promise<void>>();
function offersImported(workspace: Workspace): Promise<void> {
  let done = imports.get(workspace);
  if (!done) {
    // A failed import (a busy database) is tried again at the next use.
    done = importOffersDir(workspace).catch((e: unknown) => {
      imports.delete(workspace);
      throw e;
    });
    imports.set(workspace, done);
  }
  return done;
}

/**
 * Makes one OpenID4VCI credential offer (pre-authorized code flow with a transaction code) per roster row. Each
 * offer carries a fresh 256-bit pre-authorized code; the workspace keeps only its hash, the transaction code's hash,
 * the definition and the row, so a copy of the workspace cannot redeem an offer. Each is redeemed once, before it
 * expires, by a wallet that proves possession of a key; the credential is then issued to the wallet's DID through the
 * register like any roster row (a learner who already holds it gets the same credential id).
 */
export async function createOffers(
  workspace: Workspace,
  publicUrl: string,
  input: CreateOffersInput,
): Promise<CreatedOffer[]> {
  await offersImported(workspace);
  const expiresIn = input.expiresInSeconds ?? 14 * 24 * 3600;
  if (!Number.isInteger(expiresIn) || expiresIn < 60 || expiresIn > 366 * 24 * 3600)
    throw new MicrocredError('INVALID_INPUT', 'An offer lasts between a minute and a year', {
      path: '$.expiresInSeconds',
    });
  const digits = input.txCodeLength ?? 6;
  if (!Number.isInteger(digits) || digits < 4 || digits > 12)
    throw new MicrocredError('INVALID_INPUT', 'A transaction code has 4 to 12 digits', { path: '$.txCodeLength' });
  const known = WALLET_FORMATS.map((f) => f.configurationId);
  const ids = input.configurationIds ?? known;
  for (const id of ids)
    if (!known.includes(id))
      throw new MicrocredError(
        'UNSUPPORTED_FORMAT',
        `No credential configuration ${JSON.stringify(id)}; one of ${known.join(', ')}`,
        { path: '$.configurationIds' },
      );
  const issuer = publicUrl.replace(/\/+$/, '');
  const offers: CreatedOffer[] = [];
  for (const row of input.rows) {
    const code = randomBytes(32).toString('base64url');
    const txCode = Array.from({ length: digits }, () => randomInt(10)).join('');
    const expiresAt = new Date(Date.now() + expiresIn * 1000).toISOString();
    const stored: StoredOffer = {
      definition: input.definition,
      row,
      txCodeSha256: sha256(txCode),
      expiresAt,
      createdAt: new Date().toISOString(),
      configurationIds: ids,
    };
    await workspace.register.saveOffer({ codeSha256: sha256(code), body: JSON.stringify(stored), expiresAt });
    const offer = {
      credential_issuer: issuer,
      credential_configuration_ids: ids,
      grants: {
        'urn:ietf:params:oauth:grant-type:pre-authorized_code': {
          'pre-authorized_code': code,
          tx_code: {
            input_mode: 'numeric',
            length: digits,
            description: 'The code your university sent you separately',
          },
        },
      },
    };
    const offerUri = `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`;
    offers.push({
      line: row.line,
      learnerLabel: workspace.learnerLabel(row.identity),
      offerUri,
      qrSvg: await QRCode.toString(offerUri, { type: 'svg', errorCorrectionLevel: 'M' }),
      txCode,
      expiresAt,
    });
  }
  return offers;
}

/** An offer closed by too many wrong transaction codes: the learner needs a new one, not a retry. */
const burntOffer = (): MicrocredError =>
  new MicrocredError(
    'OFFER_REFUSED',
    `the transaction code was entered wrongly ${MAX_TX_CODE_ATTEMPTS} times, so this offer is closed; ask the registrar for a new one`,
  );

/** Reads an offer by its pre-authorized code, or refuses (OFFER_REFUSED): unknown, expired, redeemed, burnt. */
async function loadOffer(
  workspace: Workspace,
  code: string,
  now: Date,
): Promise<{ stored: StoredOffer; hash: string }> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(code)) throw new MicrocredError('OFFER_REFUSED', 'unknown pre-authorized code');
  const hash = sha256(code);
  const found = await workspace.register.findOffer(hash);
  if (!found) throw new MicrocredError('OFFER_REFUSED', 'unknown pre-authorized code');
  if (Date.parse(found.expiresAt) <= now.getTime())
    throw new MicrocredError('OFFER_REFUSED', 'the offer has expired; ask the registrar for a new one');
  if (found.redeemedAt === undefined && found.burnt) throw burntOffer();
  if (found.redeemedAt !== undefined) throw new MicrocredError('OFFER_REFUSED', 'the offer was already redeemed');
  return { stored: JSON.parse(found.body) as StoredOffer, hash };
}

/**
 * Redeems an offer once: checks the code, expiry and transaction code (constant time; the fifth wrong code burns
 * the offer), then claims it in the register, so two wallets (or two servers using one register) racing with one
 * offer get one access token between them. Returns an access token for the credential endpoint, valid
 * `ttlSeconds`; the register keeps its hash.
 */
export async function redeemOffer(
  workspace: Workspace,
  code: string,
  txCode: string | undefined,
  now: Date,
  ttlSeconds = 600,
): Promise<{ accessToken: string; expiresIn: number }> {
  await offersImported(workspace);
  const { stored, hash } = await loadOffer(workspace, code, now);
  const presented = createHash('sha256')
    .update(txCode ?? '', 'utf8')
    .digest();
  if (typeof txCode !== 'string' || !timingSafeEqual(presented, Buffer.from(stored.txCodeSha256, 'hex'))) {
    await workspace.register.countWrongTxCode(hash, MAX_TX_CODE_ATTEMPTS);
    throw new MicrocredError('OFFER_REFUSED', 'wrong transaction code');
  }
  const accessToken = randomBytes(32).toString('base64url');
  const redeemed = await workspace.register.redeemOffer({
    codeSha256: hash,
    accessTokenSha256: sha256(accessToken),
    tokenExpiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
  });
  if (!redeemed) {
    // Claimed by another wallet, or burnt by wrong codes sent meanwhile (to another server, perhaps).
    const now = await workspace.register.findOffer(hash);
    if (now?.redeemedAt === undefined && now?.burnt) throw burntOffer();
    throw new MicrocredError('OFFER_REFUSED', 'the offer was already redeemed');
  }
  return { accessToken, expiresIn: ttlSeconds };
}

/** The offer an access token was given for, or undefined when the token is unknown or expired. */
export async function offerForAccessToken(
  workspace: Workspace,
  accessToken: string,
  now: Date,
): Promise<StoredOffer | undefined> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(accessToken)) return undefined;
  const found = await workspace.register.offerForAccessToken(sha256(accessToken));
  if (!found || Date.parse(found.tokenExpiresAt) <= now.getTime()) return undefined;
  return JSON.parse(found.offer.body) as StoredOffer;
}

/**
 * Stateless nonces for proof JWTs (`c_nonce`): an expiry and random bytes, MACed with a key derived from the
 * workspace's signing key (HKDF-SHA-256, its own label), so every server that signs for the workspace accepts a
 * nonce another one handed out, and nothing more is stored or shared.
 */
export function nonces(workspace: Workspace): {
  create(now: Date, ttlSeconds?: number): string;
  check(nonce: string, now: Date): boolean;
} {
  const secret = Buffer.from(
    hkdfSync('sha256', workspace.key.exportSecretKeyMultibase(), '', 'microcredentials OpenID4VCI c_nonce v1', 32),
  );
  const mac = (body: string): string => createHmac('sha256', secret).update(body).digest('base64url');
  return {
    create(now, ttlSeconds = 300) {
      const body = `${Math.floor(now.getTime() / 1000) + ttlSeconds}.${randomBytes(12).toString('base64url')}`;
      return `${body}.${mac(body)}`;
    },
    check(nonce, now) {
      const m = /^(\d{1,12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(nonce);
      if (!m) return false;
      const expected = Buffer.from(mac(`${m[1]}.${m[2]}`));
      const given = Buffer.from(m[3]!);
      return (
        given.length === expected.length && timingSafeEqual(given, expected) && Number(m[1]) * 1000 > now.getTime()
      );
    },
  };
}
