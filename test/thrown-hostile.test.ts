/**
 * What a caller's getter or proxy throws can itself be hostile: a proxy that throws again when read, turned into
 * text or asked for its prototype. verify(), verifyPresentation() and verifyClr() still return a report (they "never
 * throw for a bad credential"), and the words for the throw never throw.
 */
import { describe, expect, it } from 'vitest';
import { verify, verifyClr, verifyPresentation } from '../src/index';
import { describeThrown, isMicrocredError } from '../src/errors';

// A proxy that throws itself on every read (so also when turned into text).
const evil: object = new Proxy(
  {},
  {
    get() {
      throw evil;
    },
    getPrototypeOf() {
      throw evil;
    },
  },
);
const hostileInputs: Record<string, () => unknown> = {
  'a proxy whose prototype throws it': () =>
    new Proxy(
      {},
      {
        getPrototypeOf() {
          throw evil;
        },
      },
    ),
  'a proxy whose keys throw it': () =>
    new Proxy(
      {},
      {
        ownKeys() {
          throw evil;
        },
      },
    ),
  'a getter that throws it': () => ({
    get '@context'() {
      throw evil;
    },
  }),
  'an object posing as bytes': () => Object.create(Uint8Array.prototype),
};

describe('a hostile thing thrown from a hostile input', () => {
  for (const [name, make] of Object.entries(hostileInputs)) {
    it(`${name}: every verifier returns a failed report`, async () => {
      for (const run of [
        () => verify(make() as object),
        () => verifyPresentation(make() as object, { challenge: 'c' } as never),
        () => verifyClr(make() as object),
      ]) {
        const report = await run();
        expect(report.verified).toBe(false);
      }
    });
  }

  it('describeThrown and isMicrocredError never throw', () => {
    expect(describeThrown(evil)).toBe('something that cannot be read was thrown');
    expect(describeThrown(new Error('plain'))).toBe('plain');
    expect(describeThrown('text')).toBe('text');
    expect(isMicrocredError(evil)).toBe(false);
  });

  it("checkStatus reads a caller's status entries once, and a getter that throws is bad input (MicrocredError)", async () => {
    const { checkStatus } = await import('../src/status/index');
    let reads = 0;
    const entry = {
      id: 'https://example.edu/status/1#5',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListCredential: 'https://example.edu/status/1',
      get statusListIndex() {
        reads++;
        return '5';
      },
    };
    await checkStatus({ credentialStatus: entry }, { fetchStatusList: async () => ({}) });
    expect(reads).toBe(1);
    const throwing = {
      credentialStatus: {
        get type(): string {
          throw evil;
        },
      },
    };
    await expect(checkStatus(throwing, { fetchStatusList: async () => ({}) })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('verifyStack reports, never throws, for hostile members, values JSON cannot write, and nesting JCS does not write', async () => {
    const { generateKey, issue, verifyStack } = await import('../src/index');
    const { benchIssuer, seedCredential } = await import('../bench/fixtures');
    const key = generateKey();
    const signed = JSON.parse(
      JSON.stringify(
        await issue(seedCredential(benchIssuer(key.controller)) as never, { key, format: 'eddsa-rdfc-2022' }),
      ),
    ) as Record<string, unknown>;
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    let deep = '"leaf"';
    for (let i = 0; i < 210; i++) deep = `[${deep}]`;
    const members: Record<string, unknown> = {
      'a proxy whose prototype throws': new Proxy(
        { ...signed },
        {
          getPrototypeOf() {
            throw new Error('proto trap');
          },
        },
      ),
      'a revoked proxy': revoked.proxy,
      'a vouched-for member whose credential getter throws': {
        verified: true,
        get credential() {
          throw evil;
        },
      },
      'a bigint inside': { ...signed, evidence: [{ n: 1n }] },
      'JSON text nested 210 deep': JSON.stringify({ ...signed, evidence: '@' }).replace('"@"', deep),
    };
    for (const [name, member] of Object.entries(members)) {
      const report = await verifyStack({ programme: signed, parts: [member as never] });
      expect(report.verified, name).toBe(false);
    }
  });
});
