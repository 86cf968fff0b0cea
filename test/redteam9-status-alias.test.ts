/**
 * A context the verifier vouches for (`contexts`) that gives `credentialStatus` a second name. The signature covers
 * the RDF graph and the `@context` list is not part of it, so a holder may add such a context and move the status
 * entry under the other name: the graph, and so the signature, stay the same, while the status check reads the JSON
 * key `credentialStatus` and finds none. The compacted-form rule refuses a second name for any property the checks
 * read by name, whatever context defines it.
 */
import { expect, it } from 'vitest';
import { generateKey, issue, verify } from '../src';

const EXT = 'https://contexts.example/status-names/v1';
const extContext = {
  '@context': {
    '@protected': true,
    myStatus: { '@id': 'https://www.w3.org/2018/credentials#credentialStatus', '@type': '@id' },
    lastDay: {
      '@id': 'https://www.w3.org/2018/credentials#validUntil',
      '@type': 'http://www.w3.org/2001/XMLSchema#dateTime',
    },
  },
};
const contexts = { [EXT]: extContext };
const signer = generateKey();

async function signed(extra: Record<string, unknown>): Promise<Record<string, unknown>> {
  return (await issue(
    {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: 'urn:uuid:8c0f4a52-7d1e-4b4f-9a55-2f3e6d7c8b90',
      type: ['VerifiableCredential'],
      issuer: signer.controller,
      validFrom: '2025-01-01T00:00:00Z',
      credentialSubject: { id: 'did:example:mari', name: 'Mari' },
      ...extra,
    } as never,
    { key: signer, format: 'eddsa-rdfc-2022' } as never,
  )) as unknown as Record<string, unknown>;
}

/** The holder's rewrite: the vouched-for context added to the list, `from` moved under `to`. */
function renamed(doc: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...doc, '@context': [...(doc['@context'] as string[]), EXT] };
  copy[to] = copy[from];
  delete copy[from];
  return copy;
}

it('a status entry moved under a second name a vouched-for context gives it is refused, not unchecked', async () => {
  const credential = await signed({
    credentialStatus: {
      id: 'https://status.example/lists/1#42',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '42',
      statusListCredential: 'https://status.example/lists/1',
    },
  });
  // As issued, the status cannot be checked offline: fails closed.
  const asIssued = await verify(credential, { contexts });
  expect(asIssued.verified).toBe(false);
  expect(asIssued.checks.find((c) => c.check === 'status')?.status).toBe('fail');

  const report = await verify(renamed(credential, 'credentialStatus', 'myStatus'), { contexts });
  expect(report.verified).toBe(false);
  expect(report.checks).toContainEqual(
    expect.objectContaining({ status: 'fail', code: 'NOT_COMPACTED', path: '$.myStatus' }),
  );
});

it('an end date moved under a second name is refused too', async () => {
  const credential = await signed({ validUntil: '2025-06-01T00:00:00Z' });
  expect((await verify(credential, { contexts })).verified).toBe(false); // expired
  const report = await verify(renamed(credential, 'validUntil', 'lastDay'), { contexts });
  expect(report.verified).toBe(false);
  expect(report.checks).toContainEqual(
    expect.objectContaining({ status: 'fail', code: 'NOT_COMPACTED', path: '$.lastDay' }),
  );
});
