import fs from 'node:fs';
import path from 'node:path';
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';
import { MicrocredError } from '../index';
import type { RosterRow, Workspace } from '../node/index';
import { WALLET_FORMATS } from './wallet-formats';

/** Where a workspace keeps its credential offers (hashed codes; mode 0700). */
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

/** What the workspace keeps of an offer (file `<sha256 of code>.json`). */
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

/** The workspace's offer folder, made private on first use. */
export function offersDir(workspace: Workspace): string {
  const dir = path.join(workspace.dir, OFFERS_DIR);
  fs.mkdirSync(path.join(dir, 'tokens'), { recursive: true, mode: 0o700 });
  return dir;
}

function writeExclusive(file: string, content: string): void {
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Makes one OpenID4VCI credential offer (pre-authorized code flow with a transaction code) per roster row. Each
 * offer carries a fresh 256-bit pre-authorized code; the workspace keeps only its hash, the transaction code's hash,
 * the definition and the row, so a copy of the workspace cannot redeem an offer. Each is redeemed once, before it
 * expires, by a wallet that proves possession of a key; the credential is then issued to the wallet's DID through the
 * register like any roster row (a learner who already holds it gets the same credential id).
 */
export async function createOffers(workspace: Workspace, publicUrl: string, input: CreateOffersInput): Promise<CreatedOffer[]> {
  const dir = offersDir(workspace);
  const expiresIn = input.expiresInSeconds ?? 14 * 24 * 3600;
  if (!Number.isInteger(expiresIn) || expiresIn < 60 || expiresIn > 366 * 24 * 3600) throw new MicrocredError('INVALID_INPUT', 'An offer lasts between a minute and a year', { path: '$.expiresInSeconds' });
  const digits = input.txCodeLength ?? 6;
  if (!Number.isInteger(digits) || digits < 4 || digits > 12) throw new MicrocredError('INVALID_INPUT', 'A transaction code has 4 to 12 digits', { path: '$.txCodeLength' });
  const known = WALLET_FORMATS.map((f) => f.configurationId);
  const ids = input.configurationIds ?? known;
  for (const id of ids) if (!known.includes(id)) throw new MicrocredError('UNSUPPORTED_FORMAT', `No credential configuration ${JSON.stringify(id)}; one of ${known.join(', ')}`, { path: '$.configurationIds' });
  const issuer = publicUrl.replace(/\/+$/, '');
  const offers: CreatedOffer[] = [];
  for (const row of input.rows) {
    const code = randomBytes(32).toString('base64url');
    const txCode = Array.from({ length: digits }, () => randomInt(10)).join('');
    const expiresAt = new Date(Date.now() + expiresIn * 1000).toISOString();
    const stored: StoredOffer = { definition: input.definition, row, txCodeSha256: sha256(txCode), expiresAt, createdAt: new Date().toISOString(), configurationIds: ids };
    writeExclusive(path.join(dir, `${sha256(code)}.json`), JSON.stringify(stored));
    const offer = {
      credential_issuer: issuer,
      credential_configuration_ids: ids,
      grants: {
        'urn:ietf:params:oauth:grant-type:pre-authorized_code': {
          'pre-authorized_code': code,
          tx_code: { input_mode: 'numeric', length: digits, description: 'The code your university sent you separately' },
        },
      },
    };
    const offerUri = `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`;
    offers.push({ line: row.line, learnerLabel: workspace.learnerLabel(row.identity), offerUri, qrSvg: await QRCode.toString(offerUri, { type: 'svg', errorCorrectionLevel: 'M' }), txCode, expiresAt });
  }
  return offers;
}

/** Reads an offer by its pre-authorized code, or refuses (OFFER_REFUSED): unknown, expired, redeemed, burnt. */
function loadOffer(dir: string, code: string, now: Date): { stored: StoredOffer; hash: string } {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(code)) throw new MicrocredError('OFFER_REFUSED', 'unknown pre-authorized code');
  const hash = sha256(code);
  let stored: StoredOffer;
  try {
    stored = JSON.parse(fs.readFileSync(path.join(dir, `${hash}.json`), 'utf8')) as StoredOffer;
  } catch {
    throw new MicrocredError('OFFER_REFUSED', 'unknown pre-authorized code');
  }
  if (Date.parse(stored.expiresAt) <= now.getTime()) throw new MicrocredError('OFFER_REFUSED', 'the offer has expired; ask the registrar for a new one');
  if (fs.existsSync(path.join(dir, `${hash}.redeemed`))) throw new MicrocredError('OFFER_REFUSED', 'the offer was already redeemed');
  return { stored, hash };
}

/**
 * Redeems an offer once: checks the code, expiry and transaction code (constant time; the fifth wrong code burns
 * the offer), then claims it with an exclusive file create, so two wallets (or two servers sharing the workspace
 * folder) racing with one offer get one access token between them. Returns an access token for the credential
 * endpoint, valid `ttlSeconds`; the workspace keeps its hash.
 */
export function redeemOffer(workspace: Workspace, code: string, txCode: string | undefined, now: Date, ttlSeconds = 600): { accessToken: string; expiresIn: number } {
  const dir = offersDir(workspace);
  const { stored, hash } = loadOffer(dir, code, now);
  const presented = createHash('sha256').update(txCode ?? '', 'utf8').digest();
  if (typeof txCode !== 'string' || !timingSafeEqual(presented, Buffer.from(stored.txCodeSha256, 'hex'))) {
    fs.appendFileSync(path.join(dir, `${hash}.attempts`), 'x', { mode: 0o600 });
    const attempts = fs.statSync(path.join(dir, `${hash}.attempts`)).size;
    if (attempts >= MAX_TX_CODE_ATTEMPTS) {
      try {
        writeExclusive(path.join(dir, `${hash}.redeemed`), 'burnt: too many wrong transaction codes\n');
      } catch {
        // already claimed
      }
    }
    throw new MicrocredError('OFFER_REFUSED', 'wrong transaction code');
  }
  try {
    writeExclusive(path.join(dir, `${hash}.redeemed`), `${now.toISOString()}\n`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new MicrocredError('OFFER_REFUSED', 'the offer was already redeemed');
    throw e;
  }
  const accessToken = randomBytes(32).toString('base64url');
  writeExclusive(path.join(dir, 'tokens', `${sha256(accessToken)}.json`), JSON.stringify({ offer: hash, expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString() }));
  return { accessToken, expiresIn: ttlSeconds };
}

/** The offer an access token was given for, or undefined when the token is unknown or expired. */
export function offerForAccessToken(workspace: Workspace, accessToken: string, now: Date): StoredOffer | undefined {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(accessToken)) return undefined;
  const dir = offersDir(workspace);
  try {
    const token = JSON.parse(fs.readFileSync(path.join(dir, 'tokens', `${sha256(accessToken)}.json`), 'utf8')) as { offer: string; expiresAt: string };
    if (Date.parse(token.expiresAt) <= now.getTime()) return undefined;
    return JSON.parse(fs.readFileSync(path.join(dir, `${token.offer}.json`), 'utf8')) as StoredOffer;
  } catch {
    return undefined;
  }
}

/**
 * Stateless nonces for proof JWTs (`c_nonce`): an expiry and random bytes, MACed with a workspace secret
 * (`offers/nonce-secret`, made once), so any server sharing the workspace accepts a nonce another one handed out.
 */
export function nonces(workspace: Workspace): { create(now: Date, ttlSeconds?: number): string; check(nonce: string, now: Date): boolean } {
  const dir = offersDir(workspace);
  const file = path.join(dir, 'nonce-secret');
  try {
    writeExclusive(file, randomBytes(32).toString('base64url'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const secret = fs.readFileSync(file, 'utf8');
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
      return given.length === expected.length && timingSafeEqual(given, expected) && Number(m[1]) * 1000 > now.getTime();
    },
  };
}
