/**
 * Credentials for the page's browser tests and its benchmark, signed here with the library (never written by hand):
 * the seed course credential in every form the page takes, a stack, a presentation, a tampered copy, and a revoked
 * one whose status list the tests serve on loopback.
 */
import zlib from 'node:zlib';
import { Bitstring, statusListCredential, statusListEntry } from 'microcredentials/status';
import {
  award,
  awardProgramme,
  bake,
  createPresentation,
  defineIssuer,
  generateKey,
  issue,
  signPresentation,
} from 'microcredentials';
import { reiProgramme } from '../../examples/rei-programme';

export const LEARNER = { email: 'mari.maasikas@example.ee', salt: '5a1f0c2e9b7d4e1fa3c6b8d0e2f41357' };
const GRADES = ['A', 'B', 'A', 'pass', 'pass'];

/** A small valid PNG (a 48 × 48 blue square) to bake credentials into. */
export function badgePng(): Uint8Array {
  const crc = (b: Buffer) => zlib.crc32(b);
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const size = 48;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, Buffer.from([0x13, 0x46, 0xa8]))]);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]),
      chunk('IHDR', ihdr),
      chunk('IDAT', zlib.deflateSync(pixels)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

const BADGE_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><circle cx="48" cy="48" r="44" fill="#1346a8"/></svg>';

export type Json = Record<string, unknown>;

/** The seed credential (the programme's first course, grade A) from a did:key issuer calling itself University of Tartu. */
export async function seedFixtures() {
  const key = generateKey();
  const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
  const unsigned = award(reiProgramme.parts[0]!, { issuer, learner: LEARNER, grade: 'A', awardedOn: '2024-01-26' });
  const jsonLd = (await issue(unsigned, { key })) as unknown as Json;
  const vcJwt = (await issue(unsigned, { key, format: 'vc-jwt' })) as unknown as string;
  const vcPlusJwt = (await issue(unsigned, { key, format: 'vc+jwt' })) as unknown as string;
  const enveloped = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: 'EnvelopedVerifiableCredential',
    id: `data:application/vc+jwt,${vcPlusJwt}`,
  };
  const png = bake(badgePng(), jsonLd as never) as Uint8Array;
  const svg = bake(BADGE_SVG, jsonLd as never) as string;
  const tampered = structuredClone(jsonLd);
  ((tampered.credentialSubject as Json).achievement as Json).name = 'Doctor of Philosophy';
  return { key, issuer, jsonLd, vcJwt, enveloped, png, svg, tampered };
}

export type SeedFixtures = Awaited<ReturnType<typeof seedFixtures>>;

/** A presentation of the seed credential signed by the learner's own key (made now, or at `created`). */
export async function presentationOf(credential: Json, created?: string): Promise<Json> {
  const holder = generateKey();
  return (await signPresentation(
    createPresentation({ verifiableCredential: [credential as never], holder: holder.controller }),
    { key: holder, ...(created ? { created } : {}) },
  )) as unknown as Json;
}

/** The seed programme's five courses and the programme credential over them. */
export async function stackFixtures(seed: SeedFixtures): Promise<Json[]> {
  const parts = await Promise.all(
    GRADES.map((grade, i) =>
      issue(
        award(reiProgramme.parts[i]!, {
          issuer: seed.issuer,
          learner: LEARNER,
          grade,
          awardedOn: i < 3 ? '2024-01-26' : '2024-06-14',
        }),
        { key: seed.key },
      ),
    ),
  );
  const programme = await issue(
    await awardProgramme(reiProgramme, { issuer: seed.issuer, learner: LEARNER, parts, awardedOn: '2024-06-20' }),
    { key: seed.key },
  );
  return [programme, ...parts] as unknown as Json[];
}

/** A credential with a revocation entry at `listUrl`, and that list (signed by the same issuer) with the entry set. */
export async function revokedFixtures(seed: SeedFixtures, listUrl: string): Promise<{ credential: Json; list: Json }> {
  const index = 4711;
  const credentialStatus = statusListEntry({ listCredentialId: listUrl, index, purpose: 'revocation' }) as unknown as {
    type: string;
  };
  const credential = (await issue(
    award(reiProgramme.parts[0]!, {
      issuer: seed.issuer,
      learner: LEARNER,
      grade: 'A',
      awardedOn: '2024-01-26',
      credentialStatus,
    }),
    { key: seed.key },
  )) as unknown as Json;
  const bits = new Bitstring();
  bits.set(index, true);
  const unsignedList = await statusListCredential({
    id: listUrl,
    issuer: seed.key.controller,
    purpose: 'revocation',
    bitstring: bits,
    validFrom: '2024-01-01T00:00:00Z',
  });
  const list = (await issue(unsignedList as never, { key: seed.key })) as unknown as Json;
  return { credential, list };
}

/** A known-issuer registry in the DCC format naming the seed's issuer. */
export function registryFor(seed: SeedFixtures): Json {
  return {
    meta: { created: '2026-12-01T00:00:00Z' },
    registry: {
      [seed.key.controller]: { name: 'University of Tartu', location: 'Tartu, Estonia', url: 'https://www.ut.ee' },
    },
  };
}
