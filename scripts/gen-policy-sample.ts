/** Writes etc/policy.yaml.sample from the default policy rules. Usage: tsx scripts/gen-policy-sample.ts */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderPolicySample } from '../src/api/policy/sample.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'etc', 'policy.yaml.sample');
writeFileSync(target, renderPolicySample());
console.log(`wrote ${target}`);
