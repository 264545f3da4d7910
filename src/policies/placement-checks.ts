/** Checks shared by the region and zone placement policies. */
import { InvalidSpec } from '../common/errors.js';
import { isPlainObject, isTruthy } from '../common/spec-schema/index.js';

/**
 * Checks a resolved placement list (`regions` or `zones`): at least one item, every item
 * named, names unique, weights >= 0 with at least one positive (the placement plan divides by
 * their sum) and, when `withCap`, caps >= -1.
 */
export function checkPlacementList(key: string, value: unknown, withCap: boolean): void {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidSpec(`The '${key}' property must have at least one item.`);
  }
  const seen = new Set<string>();
  let total = 0;
  for (const item of value) {
    const entry = isPlainObject(item) ? item : {};
    const name = entry.name;
    if (!isTruthy(name) || typeof name !== 'string') {
      throw new InvalidSpec(`Every item of '${key}' must have a 'name'.`);
    }
    if (seen.has(name)) {
      throw new InvalidSpec(`The name '${name}' appears more than once in '${key}'.`);
    }
    seen.add(name);
    const weight = typeof entry.weight === 'number' ? entry.weight : 0;
    if (weight < 0) {
      throw new InvalidSpec(`The 'weight' of '${name}' in '${key}' must be >= 0.`);
    }
    total += weight;
    if (withCap && typeof entry.cap === 'number' && entry.cap < -1) {
      throw new InvalidSpec(`The 'cap' of '${name}' in '${key}' must be >= -1.`);
    }
  }
  if (total <= 0) {
    throw new InvalidSpec(`At least one item of '${key}' must have a 'weight' > 0.`);
  }
}
