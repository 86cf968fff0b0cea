// `node --import ./record-loads.mjs …`: appends the URL of every module the program loads to the file named by
// RECORD_LOADS, so a test can tell what a command pulled in (module.register's hooks run on their own thread).
import { register } from 'node:module';

const hook = `
import fs from 'node:fs';
export async function load(url, context, next) {
  if (process.env.RECORD_LOADS) fs.appendFileSync(process.env.RECORD_LOADS, url + '\\n');
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
