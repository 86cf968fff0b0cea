import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cloneData } from '../src/builders/clone';
import { award } from '../src';
import { reiProgramme, university } from '../examples/rei-programme';

/** cloneData is award's copy of the achievement and issuer: it must give exactly what structuredClone gives. */
describe('cloneData', () => {
  it('equals structuredClone on any value it can clone (dates, maps, null prototypes, sparse arrays, boxed values…)', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withNullPrototype: true,
          withSparseArray: true,
          withBoxedValues: true,
          withTypedArray: true,
          withObjectString: true,
          maxDepth: 5,
        }),
        (value) => {
          const copy = cloneData(value);
          expect(copy).toStrictEqual(structuredClone(value));
          if (typeof value === 'object' && value !== null) expect(copy).not.toBe(value);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('copies deeply, keeps shared objects shared and cycles cycles, and leaves extra array properties, deep nesting and functions to structuredClone', () => {
    const data = { a: [1, { b: 'x' }], c: { d: null, e: undefined, f: -0 } };
    const copy = cloneData(data);
    expect(copy).toStrictEqual(structuredClone(data));
    (copy.a[1] as { b: string }).b = 'changed';
    expect((data.a[1] as { b: string }).b).toBe('x');

    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    const sparse = [1, , 3];
    expect(1 in cloneData(sparse), 'a hole stays a hole').toBe(false);
    // A hole and an extra property: as many keys as the length, still not a plain array.
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    const holeAndExtra = Object.assign([1, , 3], { note: 'kept' });
    expect(cloneData(holeAndExtra)).toStrictEqual(structuredClone(holeAndExtra));
    expect(1 in cloneData(holeAndExtra)).toBe(false);
    const extra = Object.assign([1, 2], { note: 'kept' });
    expect(cloneData(extra)).toStrictEqual(structuredClone(extra));
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const cycleCopy = cloneData(cyclic);
    expect(cycleCopy.self).toBe(cycleCopy);
    expect(cycleCopy).not.toBe(cyclic);
    // An object reached twice stays one object, as structuredClone keeps it: a verifier reads every copy of a
    // node, and a caller editing the creator edits the awarding body too, as before.
    const body = { id: 'https://uni.example/', name: 'Uni' };
    const shared = cloneData({ creator: body, awardedBy: [body] });
    expect(shared.awardedBy[0]).toBe(shared.creator);
    expect(shared.creator).not.toBe(body);
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 200; i++) deep = { deep };
    expect(cloneData(deep)).toStrictEqual(structuredClone(deep));
    const proto = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(cloneData(proto)).toStrictEqual(structuredClone(proto));
    expect(Object.hasOwn(cloneData(proto), '__proto__')).toBe(true);
    expect(() => cloneData({ f: () => 1 })).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
  });

  it("gives award the very credential structuredClone's copies gave", () => {
    const definition = reiProgramme.parts[0]!;
    const options = {
      issuer: university,
      learner: 'did:example:x',
      grade: 'A',
      awardedOn: '2024-01-26',
      id: 'urn:x:1',
    };
    const credential = award(definition, options) as unknown as Record<string, unknown>;
    const subject = credential.credentialSubject as Record<string, unknown>;
    expect(subject.achievement).toStrictEqual(structuredClone(definition.achievement));
    expect(subject.achievement).not.toBe(definition.achievement);
    const sharedCopy = structuredClone(definition.achievement) as unknown as Record<string, unknown>;
    const ours = subject.achievement as Record<string, unknown>;
    // Where the definition shares an object, the copy shares it too (the same aliasing as structuredClone's).
    for (const key of Object.keys(sharedCopy))
      for (const other of Object.keys(sharedCopy))
        if (key !== other && typeof sharedCopy[key] === 'object' && sharedCopy[key] !== null)
          expect(ours[key] === ours[other], `${key} / ${other}`).toBe(sharedCopy[key] === sharedCopy[other]);
    expect(credential.issuer).toStrictEqual(structuredClone(university));
    expect(credential.issuer).not.toBe(university);
  });
});
