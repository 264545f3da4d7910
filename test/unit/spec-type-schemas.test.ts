import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  operationsToWire,
  supportStatusOf,
  supportStatusToWire,
  toWire,
} from '../../src/common/spec-schema/index.js';
import { policyTypes } from '../../src/policies/index.js';
import { profileTypes } from '../../src/profiles/index.js';

interface ReferenceEntry {
  schema: Record<string, unknown>;
  operations?: Record<string, unknown>;
  support_status_in_list_v1_5: Record<string, unknown>;
  support_status_in_show_v1_5: Record<string, unknown>;
}

interface Reference {
  profile_types: Record<string, ReferenceEntry>;
  policy_types: Record<string, ReferenceEntry>;
}

const REFERENCE_PATH = fileURLToPath(
  new URL('../../../shared/reference/type-schemas.json', import.meta.url),
);

let cached: Reference | undefined;

/** The upstream payloads; fails with a clear message when the shared reference is missing. */
function reference(): Reference {
  if (cached) return cached;
  if (!existsSync(REFERENCE_PATH)) {
    throw new Error(
      `Reference payloads not found at ${REFERENCE_PATH}; these tests compare the built-in ` +
        'types with the shared reference/type-schemas.json next to the repository.',
    );
  }
  cached = JSON.parse(readFileSync(REFERENCE_PATH, 'utf8')) as Reference;
  return cached;
}

function entry(kind: keyof Reference, typeName: string): ReferenceEntry {
  const found = reference()[kind][typeName];
  if (!found) throw new Error(`${typeName} is missing from the reference ${kind}`);
  return found;
}

/** A deep copy without any `description` key. */
function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k !== 'description') out[k] = withoutDescriptions(v);
    }
    return out;
  }
  return value;
}

/** Path → value of every `description` key. */
function descriptions(value: unknown, path = '', out = new Map<string, unknown>()) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'description') out.set(path, v);
      else descriptions(v, `${path}/${k}`, out);
    }
  }
  return out;
}

function expectOwnDescriptions(ours: unknown, theirs: unknown): void {
  const mine = descriptions(ours);
  expect([...mine.keys()].sort()).toEqual([...descriptions(theirs).keys()].sort());
  for (const [path, text] of mine) {
    expect(typeof text, path).toBe('string');
    expect(String(text).trim().length, path).toBeGreaterThan(0);
    expect(text, path).not.toBe('<own text>');
  }
}

describe('the shared reference payloads', () => {
  it('are readable', () => {
    expect(Object.keys(reference().profile_types).length).toBeGreaterThan(0);
  });
});

/** Profile types senlin-ts adds to upstream's: not in the reference, tested on their own. */
const OWN_PROFILE_TYPES = ['os.nova.server-1.1'];
const upstreamProfileTypes = profileTypes
  .list()
  .filter((t) => !OWN_PROFILE_TYPES.includes(t.typeName));

describe('built-in profile types', () => {
  it('are exactly the types of the reference, besides those senlin-ts adds', () => {
    expect(upstreamProfileTypes.map((t) => t.typeName)).toEqual(
      Object.keys(reference().profile_types).sort(),
    );
  });

  for (const type of upstreamProfileTypes) {
    describe(type.typeName, () => {
      it('shows the reference schema apart from descriptions', () => {
        const ref = entry('profile_types', type.typeName);
        expect(withoutDescriptions(toWire(type.schema))).toEqual(withoutDescriptions(ref.schema));
      });

      it('describes every schema item in its own words', () => {
        expectOwnDescriptions(toWire(type.schema), entry('profile_types', type.typeName).schema);
      });

      it('shows the reference operations apart from descriptions', () => {
        const ref = entry('profile_types', type.typeName);
        expect(withoutDescriptions(operationsToWire(type.operations))).toEqual(
          withoutDescriptions(ref.operations),
        );
      });

      it('describes every operation and parameter in its own words', () => {
        expectOwnDescriptions(
          operationsToWire(type.operations),
          entry('profile_types', type.typeName).operations,
        );
      });

      it('reports the reference support status in lists and in show', () => {
        const ref = entry('profile_types', type.typeName);
        expect(supportStatusOf(type.supportStatus, type.version)).toEqual(
          ref.support_status_in_list_v1_5,
        );
        expect(supportStatusToWire(type.supportStatus)).toEqual(ref.support_status_in_show_v1_5);
      });
    });
  }
});

describe('built-in policy types', () => {
  it('are exactly the 14 type-versions of the reference', () => {
    const names = policyTypes.list().map((t) => t.typeName);
    expect(names).toHaveLength(14);
    expect(names).toEqual(Object.keys(reference().policy_types).sort());
  });

  for (const type of policyTypes.list()) {
    describe(type.typeName, () => {
      it('shows the reference schema apart from descriptions', () => {
        const ref = entry('policy_types', type.typeName);
        expect(withoutDescriptions(toWire(type.schema))).toEqual(withoutDescriptions(ref.schema));
      });

      it('describes every schema item in its own words', () => {
        expectOwnDescriptions(toWire(type.schema), entry('policy_types', type.typeName).schema);
      });

      it('reports the reference support status in lists and in show', () => {
        const ref = entry('policy_types', type.typeName);
        expect(supportStatusOf(type.supportStatus, type.version)).toEqual(
          ref.support_status_in_list_v1_5,
        );
        expect(supportStatusToWire(type.supportStatus)).toEqual(ref.support_status_in_show_v1_5);
      });
    });
  }
});
