#!/usr/bin/env node
// Turns the EU controlled-vocabulary XSD enumerations (ELM v3, ../shared/fixtures/edc/cv/*.xsd) into readable
// TypeScript modules under src/model/vocab/. Run once when the lists change: `node scripts/vocab-from-xsd.mjs`.
// The generated files are committed, so the library never reads XSD at run time; test/vocab.test.ts re-parses the
// XSDs and fails if a generated module drifts from them.
//
// The XSDs carry only IRI + English label; scheme titles, property names and notations come from the table below.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cvDir = path.resolve(root, '../shared/fixtures/edc/cv');
const outDir = path.join(root, 'src/model/vocab');

/**
 * One entry per generated module. `keys` maps a concept IRI's last segment to the property name; a concept without
 * an entry gets a camelCase name derived from its label. `notation` gives a concept its code where the scheme has one.
 */
const VOCABULARIES = [
  {
    xsd: 'eqf.xsd',
    file: 'eqf.ts',
    name: 'EQF',
    title: 'European Qualifications Framework',
    keys: Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].map((n) => [String(n), `level${n}`])),
    notation: (segment) => segment,
    extra: [
      '/** An EQF level number (1 lowest … 8 doctoral). */',
      'export type EqfLevelNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;',
      '',
      '/** The EQF concept for a level number: `eqfLevel(6).id` is `http://data.europa.eu/snb/eqf/6`. */',
      'export function eqfLevel<N extends EqfLevelNumber>(n: N): (typeof EQF)[`level${N}`] {',
      '  return EQF[`level${n}`];',
      '}',
    ],
  },
  {
    xsd: 'credit-points.xsd',
    file: 'credit-system.ts',
    name: 'CreditSystem',
    title: 'Education credit systems',
    keys: { '6fcec5c5af': 'ects', '60b314e826': 'ecvet' },
  },
  {
    xsd: 'europass-modes.xsd',
    file: 'learning-mode.ts',
    name: 'LearningMode',
    title: 'Mode of learning and assessment',
    keys: {
      '920fbb3cbe': 'online',
      e92d221e4d: 'blended',
      '9191af2ed9': 'presential',
      '729f3bed4b': 'workBased',
      '7813801c77': 'projectBased',
      ed4c557045: 'researchLabBased',
    },
  },
  {
    xsd: 'europass-learning-setting-types.xsd',
    file: 'learning-setting.ts',
    name: 'LearningSetting',
    title: 'Learning setting',
    keys: { '6fd4685715': 'formal', e207a81fc7: 'nonFormal' },
  },
  {
    xsd: 'europass-learning-schedule-types.xsd',
    file: 'learning-schedule.ts',
    name: 'LearningSchedule',
    title: 'Learning schedule',
    keys: { '72a0ab92fa': 'fullTime', f230bae523: 'partTimeIntensive', '67395e6b5a': 'partTimeLight' },
  },
  {
    xsd: 'europass-learning-assessment-types.xsd',
    file: 'assessment-type.ts',
    name: 'AssessmentType',
    title: 'Learning assessment type',
    keys: {},
  },
  {
    xsd: 'europass-accreditation-types.xsd',
    file: 'quality-assurance-type.ts',
    name: 'QualityAssuranceType',
    title: 'Accreditation (quality assurance) type',
    keys: {
      bb4618238e: 'institutionalQA',
      '820101cba6': 'programmeQA',
      '003293d2ce': 'institutionalLicence',
      e57dddfcf3: 'programmeLicence',
    },
  },
  {
    xsd: 'europass-learning-activity-types.xsd',
    file: 'learning-activity-type.ts',
    name: 'LearningActivityType',
    title: 'Learning activity type',
    keys: {
      '3c8bd58d62': 'labSimulationPracticeCoursework',
      '4357e0e681': 'jobExperience',
      efff75e10a: 'workshopSeminarConference',
    },
  },
  {
    xsd: 'europass-learning-opportunity-types.xsd',
    file: 'learning-opportunity-type.ts',
    name: 'LearningOpportunityType',
    title: 'Learning opportunity type',
    keys: { '17744a2647': 'mooc' },
  },
  {
    xsd: 'europass-target-groups.xsd',
    file: 'target-group.ts',
    name: 'TargetGroup',
    title: 'Target group',
    keys: {
      '5e56931138': 'workExperience0To3Years',
      cbedf28444: 'workExperience3To10Years',
      d45b47b458: 'workExperience10PlusYears',
      '1599531db0': 'inTertiaryEducationEqf6',
      acb7f20f25: 'inTertiaryEducationEqf7',
      b0bf4f9fe9: 'inTertiaryEducationEqf8',
      '527a6f97eb': 'completedTertiaryEducationEqf7',
      '808b99d38f': 'completedTertiaryEducationEqf8',
      e7627913ad: 'completedTertiaryEducationEqf6',
      '1cfca7f767': 'completedPrimaryEducation',
      '919082b88b': 'completedSecondaryEducation',
      '46806e0244': 'inSecondaryEducation',
      '5b1417fd15': 'inPrimaryEducation',
      '05f11c859b': 'requiringEmploymentRetraining',
      de9cd193ce: 'withLearningDisability',
    },
    comment:
      'The EDC controlled-list documentation spells this scheme `target-groups`; the XSD shipped with ELM v3 (and so\n' +
      ' * this module) uses `http://data.europa.eu/snb/target-group/25831c2`. The XSD spelling is the one concept IRIs use.',
  },
  {
    xsd: 'skill-reuse-levels.xsd',
    file: 'skill-reuse-level.ts',
    name: 'SkillReuseLevel',
    title: 'Skill reuse level',
    keys: {
      transversal: 'transversal',
      'cross-sector': 'crossSector',
      'sector-specific': 'sectorSpecific',
      'occupation-specific': 'occupationSpecific',
    },
  },
  {
    xsd: 'europass-credential-types.xsd',
    file: 'credential-type.ts',
    name: 'CredentialType',
    title: 'Credential type (EDC credential profile)',
    keys: {},
  },
];

/** Collapses the line breaks and runs of spaces that the XSD pretty-printer leaves inside labels. */
export function normaliseLabel(text) {
  return text.replace(/\s+/g, ' ').trim();
}

/** Reads `{ scheme, concepts: [{ id, label }] }` from one XSD enumeration. The files are regular enough for a regex. */
export function parseXsd(text) {
  const scheme = /targetNamespace="([^"]+)"/.exec(text)?.[1];
  if (!scheme) throw new Error('no targetNamespace');
  const concepts = [];
  const re =
    /<xs:enumeration\s+value="([^"]+)"\s*>\s*<xs:annotation>\s*<xs:documentation>([\s\S]*?)<\/xs:documentation>/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    concepts.push({ id: m[1], label: normaliseLabel(m[2]) });
  }
  return { scheme, concepts };
}

function camelCase(label) {
  const words = label
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .split(' ');
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('');
}

/** A single-quoted TypeScript string literal, the style the rest of the source uses. */
function q(text) {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function render(cfg, parsed) {
  const lines = [];
  lines.push(
    `// Generated by scripts/vocab-from-xsd.mjs from shared/fixtures/edc/cv/${cfg.xsd} (ELM v3 controlled list).`,
  );
  lines.push('// Edit the script, not this file; test/vocab.test.ts checks it against the XSD.');
  lines.push("import { defineVocabulary } from './concept';");
  lines.push('');
  lines.push(
    `/**\n * ${cfg.title} — EU controlled vocabulary \`${parsed.scheme}\`.${cfg.comment ? `\n *\n * ${cfg.comment}` : ''}\n */`,
  );
  lines.push(`export const ${cfg.name} = defineVocabulary(${q(parsed.scheme)}, ${q(cfg.title)}, {`);
  const seen = new Set();
  for (const c of parsed.concepts) {
    const segment = c.id.slice(c.id.lastIndexOf('/') + 1);
    const key = cfg.keys[segment] ?? camelCase(c.label);
    if (seen.has(key)) throw new Error(`${cfg.xsd}: duplicate key ${key}`);
    seen.add(key);
    const notation = cfg.notation ? `, notation: ${q(cfg.notation(segment))}` : '';
    lines.push(`  ${key}: { id: ${q(c.id)}, label: ${q(c.label)}${notation} },`);
  }
  lines.push('} as const);');
  lines.push('');
  if (cfg.extra) lines.push(...cfg.extra, '');
  return lines.join('\n');
}

function main() {
  for (const cfg of VOCABULARIES) {
    const parsed = parseXsd(fs.readFileSync(path.join(cvDir, cfg.xsd), 'utf8'));
    if (parsed.concepts.length === 0) throw new Error(`${cfg.xsd}: no concepts`);
    fs.writeFileSync(path.join(outDir, cfg.file), render(cfg, parsed));
    console.log(`${cfg.file}: ${parsed.concepts.length} concepts`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
