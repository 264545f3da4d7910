/** The envelope of a profile or policy spec: `type`, `version`, `properties` (…). */
import { ESchema } from '../errors.js';
import { pyStr } from '../py-repr.js';
import { isPlainObject } from './coerce.js';

/**
 * The version of a spec as a string. Strings are kept as they are. JSON numbers are printed
 * like Python's `str()` of a float would print them, so that `"version": 1.0` and
 * `"version": 1` both give `1.0` (a JSON parser cannot tell these two apart; upstream finds
 * the type for `1.0` only). Other values are printed like Python's `str()`.
 */
export function specVersionText(version: unknown): string {
  if (typeof version === 'string') return version;
  if (typeof version === 'number' && Number.isInteger(version)) return `${version}.0`;
  return pyStr(version);
}

/** Type name and version read from a spec envelope. */
export interface SpecTypeVersion {
  /** The spec's type, e.g. `os.nova.server`. */
  readonly type: string;
  /** The spec's version as a string, e.g. `1.0`. */
  readonly version: string;
  /** `<type>-<version>`, the key of the type registries. */
  readonly typeName: string;
}

/**
 * Reads `type` and `version` of a spec. Raises `ESchema` with upstream's messages when the spec
 * is not an object or lacks either key.
 */
export function readSpecTypeVersion(spec: unknown): SpecTypeVersion {
  if (!isPlainObject(spec)) throw new ESchema('The provided spec is not a map.');
  if (!Object.hasOwn(spec, 'type')) {
    throw new ESchema("The 'type' key is missing from the provided spec map.");
  }
  if (!Object.hasOwn(spec, 'version')) {
    throw new ESchema("The 'version' key is missing from the provided spec map.");
  }
  const type = pyStr(spec.type);
  const version = specVersionText(spec.version);
  return { type, version, typeName: `${type}-${version}` };
}
