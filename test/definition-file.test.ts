import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { definitionFromData, LearningMode, MicrocredError, award } from '../src';
import { expand } from '../src/entries/jsonld';
import type { ProgrammeDefinition } from '../src';
import { reiProgramme, university } from '../examples/rei-programme';

const seed = parseYaml(fs.readFileSync(new URL('../examples/rei-programme.yaml', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

describe('definition files (JSON/YAML data)', () => {
  it('loads the seed programme, resolving vocabulary keys to concept IRIs', async () => {
    const { issuer, definition } = definitionFromData(seed);
    expect(definition.kind).toBe('programme');
    expect(definition.ects).toBe(24);
    expect(definition.achievement.mode).toEqual([
      expect.objectContaining({ id: LearningMode.blended.id, prefLabel: { en: 'Blended' } }),
    ]);
    const parts = (definition as ProgrammeDefinition).parts;
    expect(parts).toHaveLength(5);
    expect(parts[0]!.achievement.idVerification).toMatchObject({
      id: 'http://data.europa.eu/snb/supervision-verification/c598449d64',
      type: 'Concept',
    });
    const c = award(parts[0]!, { issuer, learner: { email: 'a@example.ee' }, grade: 'B' });
    await expand(c);
  });

  it('carries everything the TypeScript example does: same issuer, same programme, same parts, achievement by achievement', () => {
    const { issuer, definition } = definitionFromData(seed);
    expect(issuer).toEqual(university);
    expect(definition.achievement).toEqual(reiProgramme.achievement);
    const parts = (definition as ProgrammeDefinition).parts;
    expect(parts.map((p) => p.id)).toEqual(reiProgramme.parts.map((p) => p.id));
    parts.forEach((part, i) => expect(part.achievement, part.title).toEqual(reiProgramme.parts[i]!.achievement));
  });

  it('reports every problem with its path in the file', () => {
    const bad = structuredClone(seed) as { programme: { parts: Record<string, unknown>[]; title?: string } };
    delete bad.programme.parts[1]!.learningOutcomes;
    bad.programme.parts[2]!.participation = { mode: 'by carrier pigeon' };
    delete bad.programme.title;
    let err: MicrocredError | undefined;
    try {
      definitionFromData(bad);
    } catch (e) {
      err = e as MicrocredError;
    }
    expect(err).toBeInstanceOf(MicrocredError);
    const paths = err!.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['$.programme.parts[1].learningOutcomes', '$.programme.parts[2].participation.mode']),
    );
  });

  it('refuses data that is not a definition', () => {
    expect(() => definitionFromData([])).toThrow(MicrocredError);
    expect(() => definitionFromData({ issuer: { id: 'https://x.example', name: 'X', country: 'EE' } })).toThrow(
      /exactly one/,
    );
  });
});
