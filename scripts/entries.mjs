// The package's entry points: name (as in package.json "exports", `.` is `index`) → source file. The API reports
// (scripts/api-report.mjs), the import-boundary test and tsup.config.ts read this one list.
export const ENTRIES = {
  index: 'src/index.ts',
  node: 'src/node/index.ts',
  proof: 'src/entries/proof.ts',
  jsonld: 'src/entries/jsonld.ts',
  status: 'src/entries/status.ts',
  model: 'src/entries/model.ts',
  europass: 'src/europass/index.ts',
  server: 'src/server/index.ts',
};
