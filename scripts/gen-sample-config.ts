/**
 * Writes etc/senlin.conf.sample and the option tables of docs/configuration.md from the option
 * registry. `--check` only reports (exit status 1) when either file is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderOptionsMarkdown, renderSample, replaceOptionsTables } from '../src/config/sample.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const samplePath = join(root, 'etc', 'senlin.conf.sample');
const docsPath = join(root, 'docs', 'configuration.md');
const check = process.argv.includes('--check');

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

const targets = [
  { path: samplePath, text: renderSample() },
  {
    path: docsPath,
    text: replaceOptionsTables(readFileSync(docsPath, 'utf8'), renderOptionsMarkdown()),
  },
];

let stale = 0;
for (const { path, text } of targets) {
  if (readOrEmpty(path) === text) continue;
  stale += 1;
  if (check) console.error(`${path} is out of date; run npm run gen:sample`);
  else {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
if (check && stale > 0) process.exitCode = 1;
