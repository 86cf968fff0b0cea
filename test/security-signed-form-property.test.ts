import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  award,
  checkConsistency,
  defineIssuer,
  generateKey,
  issue,
  readMicroCredential,
  verify,
  type VerificationReport,
  type VerifyOptions,
} from '../src';
import { Bitstring, statusListCredential, statusListEntry } from '../src/entries/status';
import { partPassed } from '../src/stack/rules';
import { fastCanonize } from '../src/jsonld/fast/index';
import { reiProgramme } from '../examples/rei-programme';

/**
 * JSON-LD rewrites of signed seed credentials that keep their canonical N-Quads
 * (asserted for every generated rewrite, so each is a real attack on an eddsa-rdfc-2022 signature) never both verify
 * and change what the report says about type, validity, status or the EU elements.
 */

type Doc = Record<string, unknown>;
const CRED = 'https://www.w3.org/2018/credentials#';
const OB = 'https://purl.imsglobal.org/spec/vc/ob/vocab.html#';
const SCHEMA = 'https://schema.org/';
const XSD_DATETIME = 'http://www.w3.org/2001/XMLSchema#dateTime';
const LIST = 'https://status.example.ee/lists/2';
const NOW = new Date('2025-06-01T00:00:00Z');
/** Proofs are dated before NOW: a proof created after the verifier's clock is PROOF_NOT_YET_VALID. */
const SIGNED = '2025-01-01T00:00:00Z';

/** Terms the checks read, with their IRI and the coercion a rewritten value must carry to keep the graph. */
const TERMS: Record<string, { iri: string; datatype?: string }> = {
  credentialStatus: { iri: `${CRED}credentialStatus` },
  credentialSubject: { iri: `${CRED}credentialSubject` },
  issuer: { iri: `${CRED}issuer` },
  validFrom: { iri: `${CRED}validFrom`, datatype: XSD_DATETIME },
  validUntil: { iri: `${CRED}validUntil`, datatype: XSD_DATETIME },
  // The OB 3.0.3 context types awardedDate with the literal IRI "xsd:dateTime" (it defines no xsd prefix).
  awardedDate: { iri: `${OB}awardedDate`, datatype: 'xsd:dateTime' },
  name: { iri: `${SCHEMA}name` },
  description: { iri: `${SCHEMA}description` },
};
// Not VerifiableCredential: its IRI would lose the type-scoped context that defines credentialStatus (a different graph).
const TYPE_IRIS: Record<string, string> = { OpenBadgeCredential: `${OB}OpenBadgeCredential` };

/**
 * Terms whose value is a language map (`{ "en": "…" }`), not a node object: ELM's skos:prefLabel on the concept
 * objects. A map's members are languages, not properties, so the node rewrites below do not apply to it
 * (an `@context` in one is not JSON-LD at all: "language map values must be strings").
 */
const LANGUAGE_MAPS = new Set(['prefLabel']);

/** Every node object of the credential outside its proof, as a path of keys and indexes. */
function nodes(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => nodes(v, [...at, i]));
  if (typeof value !== 'object' || value === null) return [];
  return [
    at,
    ...Object.entries(value)
      .filter(([k]) => k !== 'proof' && k !== '@context' && !LANGUAGE_MAPS.has(k))
      .flatMap(([k, v]) => nodes(v, [...at, k])),
  ];
}
function get(doc: unknown, at: (string | number)[]): Doc {
  return at.reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], doc) as Doc;
}
/** Renames a member in place, keeping the order of the others. */
function rename(node: Doc, from: string, to: string, value: unknown = node[from]): void {
  const entries = Object.entries(node);
  for (const k of Object.keys(node)) delete node[k];
  for (const [k, v] of entries) node[k === from ? to : k] = k === from ? value : v;
}
function addContext(doc: Doc, extra: unknown): void {
  doc['@context'] = [...(doc['@context'] as unknown[]), extra];
}
/** The value a rewritten key needs so that the graph stays the same (a datatype-coerced term's value gets its type). */
function typed(term: { datatype?: string }, value: unknown): unknown {
  return term.datatype && typeof value === 'string' ? { '@value': value, '@type': term.datatype } : value;
}

/** Rewrites; each keeps the graph (checked for every run) and reports whether it found something to rewrite. `pick` chooses among candidates. */
type Rewrite = (doc: Doc, pick: number, n: number) => boolean;
const REWRITES: Record<string, Rewrite> = {
  keywordType: (doc, pick) => keyOnSomeNode(doc, pick, 'type', () => '@type'),
  keywordId: (doc, pick) => keyOnSomeNode(doc, pick, 'id', () => '@id'),
  absoluteIri: (doc, pick) =>
    termOnSomeNode(doc, pick, (node, key, term) => rename(node, key, term.iri, typed(term, node[key]))),
  compactIri: (doc, pick, n) =>
    termOnSomeNode(doc, pick, (node, key, term) => {
      const hash = term.iri.lastIndexOf('#') >= 0 ? term.iri.lastIndexOf('#') : term.iri.lastIndexOf('/');
      addContext(doc, { [`p${n}`]: term.iri.slice(0, hash + 1) });
      rename(node, key, `p${n}:${term.iri.slice(hash + 1)}`, typed(term, node[key]));
    }),
  inlineAlias: (doc, pick, n) =>
    termOnSomeNode(doc, pick, (node, key, term) => {
      addContext(doc, { [`alias${n}`]: term.datatype ? { '@id': term.iri, '@type': term.datatype } : term.iri });
      rename(node, key, `alias${n}`);
    }),
  inlineTypeAlias: (doc, pick, n) => {
    if (!keyOnSomeNode(doc, pick, 'type', () => `kind${n}`)) return false;
    addContext(doc, { [`kind${n}`]: '@type' });
    return true;
  },
  valueObject: (doc, pick) =>
    termOnSomeNode(
      doc,
      pick,
      (node, key, term) => {
        node[key] = typed(term, node[key]);
      },
      (term, value) => term.datatype !== undefined && typeof value === 'string',
    ),
  typeAsIri: (doc) => {
    const types = doc.type;
    if (!Array.isArray(types) || !types.some((t) => typeof t === 'string' && t in TYPE_IRIS)) return false;
    doc.type = types.map((t) => (typeof t === 'string' && TYPE_IRIS[t]) || t);
    return true;
  },
  nestedContext: (doc, pick, n) => {
    const all = nodes(doc).filter((p) => p.length > 0);
    const node = get(doc, all[pick % all.length]!);
    if ('@context' in node) return false;
    node['@context'] = pick % 2 ? {} : { [`unused${n}`]: `https://attacker.example/unused${n}` };
    return true;
  },
  // ELM concepts' prefLabel: a language in capitals (jsonld.js lowercases it) or the map as a list of value objects.
  languageMap: (doc, pick) => {
    const candidates = nodes(doc).filter((p) => {
      const label = get(doc, p).prefLabel;
      return typeof label === 'object' && label !== null && !Array.isArray(label);
    });
    if (candidates.length === 0) return false;
    const node = get(doc, candidates[pick % candidates.length]!);
    const entries = Object.entries(node.prefLabel as Record<string, string>);
    node.prefLabel =
      pick % 2
        ? Object.fromEntries(entries.map(([l, t]) => [l.toUpperCase(), t]))
        : entries.map(([l, t]) => ({ '@value': t, '@language': l }));
    return true;
  },
  base: (doc) => {
    addContext(doc, { '@base': 'https://attacker.example/' });
    return true;
  },
};

function keyOnSomeNode(doc: Doc, pick: number, key: string, to: () => string): boolean {
  const candidates = nodes(doc).filter((p) => Object.hasOwn(get(doc, p), key));
  if (candidates.length === 0) return false;
  rename(get(doc, candidates[pick % candidates.length]!), key, to());
  return true;
}
function termOnSomeNode(
  doc: Doc,
  pick: number,
  apply: (node: Doc, key: string, term: { iri: string; datatype?: string }) => void,
  applies = (_t: { datatype?: string }, _v: unknown) => true,
): boolean {
  const candidates: [Doc, string][] = [];
  for (const p of nodes(doc)) {
    const node = get(doc, p);
    for (const key of Object.keys(node))
      if (Object.hasOwn(TERMS, key) && applies(TERMS[key]!, node[key])) candidates.push([node, key]);
  }
  if (candidates.length === 0) return false;
  const [node, key] = candidates[pick % candidates.length]!;
  apply(node, key, TERMS[key]!);
  return true;
}

function withoutProof(doc: Doc): Doc {
  const { proof: _proof, ...rest } = doc;
  return rest;
}

/** What a verifier acts on: the verdict, the type-dependent checks, validity, status, and the EU elements read. */
function decisions(r: VerificationReport): unknown {
  const pick = (name: string) => r.checks.filter((c) => c.check === name).map((c) => `${c.status}:${c.code ?? ''}`);
  return {
    schema: pick('schema'),
    validity: pick('validity'),
    status: pick('status'),
    euElements: pick('euElements'),
    view: JSON.stringify(r.euElements ?? null),
  };
}

const key = generateKey();
const issuer = defineIssuer({ id: key.controller, name: 'University of Tartu', country: 'EE' });
let statusList: unknown;
const options: VerifyOptions = {
  now: NOW,
  fetchStatusList: async (url) => (url === LIST ? statusList : Promise.reject(new Error('not stored'))),
};
const seeds: { name: string; signed: Doc; canonical: string; report: VerificationReport }[] = [];

beforeAll(async () => {
  const bits = new Bitstring();
  bits.set(3, true);
  statusList = await issue(
    await statusListCredential({ id: LIST, issuer: key.controller, purpose: 'revocation', bitstring: bits }),
    { key, created: SIGNED },
  );
  const part = reiProgramme.parts[1]!;
  const make = async (name: string, extra: Record<string, unknown>) => {
    const signed = (await issue(
      award(part, { issuer, learner: 'did:example:mari', grade: 'A', validFrom: '2025-01-01', ...extra } as never),
      { key, created: SIGNED },
    )) as unknown as Doc;
    seeds.push({
      name,
      signed,
      canonical: await fastCanonize(withoutProof(signed)),
      report: await verify(signed, options),
    });
  };
  await make('revoked', {
    credentialStatus: statusListEntry({ listCredentialId: LIST, index: 3, purpose: 'revocation' }),
  });
  await make('expired', { validUntil: '2025-03-01' });
  await make('valid', {
    validUntil: '2030-01-01',
    credentialStatus: statusListEntry({ listCredentialId: LIST, index: 4, purpose: 'revocation' }),
  });
});

describe('property: no graph-preserving rewrite both verifies and changes what the verifier reports', () => {
  it('the seeds: revoked, expired and valid', () => {
    expect(seeds.map((s) => [s.name, s.report.verified])).toEqual([
      ['revoked', false],
      ['expired', false],
      ['valid', true],
    ]);
    expect(seeds[0]!.report.checks.some((c) => c.code === 'REVOKED')).toBe(true);
    expect(seeds[1]!.report.checks.some((c) => c.code === 'EXPIRED')).toBe(true);
  });

  it('random combinations of aliases, IRIs, compact IRIs, keywords, value objects, inline contexts, @base and language maps', async () => {
    const names = Object.keys(REWRITES);
    const step = fc.record({ rewrite: fc.constantFrom(...names), pick: fc.nat(1000) });
    let attacks = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.array(step, { minLength: 1, maxLength: 4 }), async (seedIndex, steps) => {
        const seed = seeds[seedIndex]!;
        const doc = structuredClone(seed.signed);
        let changed = false;
        steps.forEach(({ rewrite, pick }, n) => {
          if (REWRITES[rewrite]!(doc, pick, n)) changed = true;
        });
        if (!changed) return;
        attacks++;
        // A real attack: the signed graph is unchanged, so the proof would still hold.
        expect(await fastCanonize(withoutProof(doc))).toBe(seed.canonical);
        const r = await verify(doc, options);
        if (r.verified) expect(decisions(r)).toEqual(decisions(seed.report));
        // Stronger, and what the design chose: every such rewrite is refused as not compacted.
        expect(r.checks.find((c) => c.status === 'fail')?.code, JSON.stringify(steps)).toBe('NOT_COMPACTED');
      }),
      { numRuns: 150 },
    );
    expect(attacks).toBeGreaterThan(100);
  }, 120_000);
});

/**
 * Issue 19: two more rewrites that keep the signed graph, which the compacted-form rule cannot refuse (every key is
 * still a term): a node split into copies (JSON-LD merges node objects with one id) and a set written in another
 * order. Issuers write copies too, so these are not refused; instead no reader may report anything else for them.
 */
const READABLE_REWRITES: Record<string, Rewrite> = {
  splitNode: (doc, pick) => {
    // Nodes in a list (resultDescription, alignment, result…): written as copies, the list keeps its shape. (A single
    // value written as a list of copies changes the JSON's shape, which the schema refuses: fails closed, not a read.)
    const candidates = nodes(doc).filter((p) => {
      if (typeof p[p.length - 1] !== 'number') return false;
      const node = get(doc, p);
      return (
        typeof node.id === 'string' &&
        Object.keys(node).some((k) => k !== 'id' && k !== 'type') &&
        !('@context' in node)
      );
    });
    if (candidates.length === 0) return false;
    const at = candidates[pick % candidates.length]!;
    const node = get(doc, at);
    const copyA: Doc = { id: node.id };
    const copyB: Doc = { id: node.id };
    Object.keys(node).forEach((k, i) => {
      if (k === 'id') return;
      // The type in both copies or one of them; each other member in one copy, chosen by the bits of `pick`.
      if (k === 'type') {
        if (pick % 3 !== 1) copyA.type = node.type;
        if (pick % 3 !== 2) copyB.type = node.type;
      } else if ((pick >> i) & 1) copyA[k] = node[k];
      else copyB[k] = node[k];
    });
    const parent = get(doc, at.slice(0, -1)) as unknown as unknown[];
    parent.splice(at[at.length - 1] as number, 1, ...(pick % 2 ? [copyA, copyB] : [copyB, copyA]));
    return true;
  },
  reorderSet: (doc, pick) => {
    const arrays: unknown[][] = [];
    const walk = (value: unknown, top: boolean): void => {
      if (Array.isArray(value)) {
        if (value.length > 1) arrays.push(value);
        value.forEach((v) => walk(v, false));
      } else if (typeof value === 'object' && value !== null) {
        for (const [k, v] of Object.entries(value)) if (k !== '@context' && !(top && k === 'proof')) walk(v, false);
      }
    };
    walk(doc, true);
    if (arrays.length === 0) return false;
    const array = arrays[pick % arrays.length]!;
    const turned = [
      ...array.slice(1 + (pick % (array.length - 1))),
      ...array.slice(0, 1 + (pick % (array.length - 1))),
    ];
    array.splice(0, array.length, ...turned);
    return true;
  },
};

/** A reader's output compared as what it says, not where: arrays as sets, JSON paths without their indexes. */
function asRead(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\[\d+\]/g, '[]');
  if (Array.isArray(value))
    return value
      .map(asRead)
      .map((v) => JSON.stringify(v))
      .sort();
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asRead(v)]));
  return value;
}
/** Everything the readers report: the verdict and its checks, the EU elements, the grade and pass, the consistency problems. */
function readings(doc: Doc, r: VerificationReport): unknown {
  const checks = r.checks.map((c) => `${c.check}:${c.status}:${c.code ?? ''}`);
  return asRead({
    verified: r.verified,
    checks,
    view: readMicroCredential(doc),
    passed: partPassed(doc),
    consistency: checkConsistency(doc),
  });
}

describe('property (issue 19): splitting a node or reordering a set changes nothing any reader reports', () => {
  it('random splits and reorders, each keeping the canonical N-Quads, read exactly as the seed', async () => {
    const names = Object.keys(READABLE_REWRITES);
    const step = fc.record({ rewrite: fc.constantFrom(...names), pick: fc.nat(100_000) });
    const seedReadings = await Promise.all(seeds.map(async (s) => readings(s.signed, s.report)));
    let attacks = 0;
    const used = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.nat(2), fc.array(step, { minLength: 1, maxLength: 4 }), async (seedIndex, steps) => {
        const seed = seeds[seedIndex]!;
        const doc = structuredClone(seed.signed);
        let changed = false;
        steps.forEach(({ rewrite, pick }, n) => {
          if (READABLE_REWRITES[rewrite]!(doc, pick, n)) changed = true;
        });
        // Only graph-preserving rewrites are attacks (a reordered @list, such as allowedValue, is another graph; a copy
        // without the type that scopes its terms is not JSON-LD at all).
        if (!changed || (await fastCanonize(withoutProof(doc)).catch(() => undefined)) !== seed.canonical) return;
        attacks++;
        for (const s of steps) used.add(s.rewrite);
        const r = await verify(doc, options);
        expect(readings(doc, r), JSON.stringify(steps)).toEqual(seedReadings[seedIndex]);
      }),
      { numRuns: 150 },
    );
    expect(attacks).toBeGreaterThan(40);
    expect([...used].sort()).toEqual(['reorderSet', 'splitNode']);
  }, 120_000);
});
