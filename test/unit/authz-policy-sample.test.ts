import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_RULES } from '../../src/api/policy/defaults.js';
import { renderPolicySample } from '../../src/api/policy/sample.js';

const root = new URL('../../', import.meta.url);
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('policy sample file', () => {
  it('is up to date (regenerate with npx tsx scripts/gen-policy-sample.ts)', () => {
    const onDisk = readFileSync(new URL('etc/policy.yaml.sample', root), 'utf8');
    expect(onDisk).toBe(renderPolicySample());
  });

  it('lists every default rule, which read back uncommented give the defaults', () => {
    const uncommented = renderPolicySample()
      .split('\n')
      .filter((line) => line.startsWith('#"'))
      .map((line) => line.slice(1))
      .join('\n');
    const expected = Object.fromEntries(DEFAULT_RULES.map((r) => [r.name, r.check]));
    expect(parse(uncommented)).toEqual(expected);
  });

  it('gives every rule a description', () => {
    const sample = renderPolicySample();
    for (const rule of DEFAULT_RULES) {
      expect(rule.description.length, rule.name).toBeGreaterThan(5);
      expect(sample).toContain(`# ${rule.description}\n`);
    }
  });
});

describe('authentication and policy documentation', () => {
  it('names every default rule with its check string', () => {
    const doc = readFileSync(new URL('docs/auth.md', root), 'utf8');
    for (const rule of DEFAULT_RULES) {
      const check = rule.check === '' ? '""' : rule.check;
      const row = new RegExp(
        `\\|\\s*\`${escapeRegExp(rule.name)}\`\\s*\\|\\s*\`${escapeRegExp(check)}\`\\s*\\|`,
      );
      expect(doc, rule.name).toMatch(row);
    }
  });
});
