/** Microversions of the Clustering API. */

/** A parsed `major.minor` microversion. */
export class ApiVersion {
  readonly major: number;
  readonly minor: number;

  constructor(major: number, minor: number) {
    this.major = major;
    this.minor = minor;
  }

  /** Parses `X.Y`; returns null when the string is not of that form. */
  static parse(text: string): ApiVersion | null {
    const m = /^([1-9]\d*)\.([1-9]\d*|0)$/.exec(text);
    if (!m) return null;
    return new ApiVersion(Number(m[1]), Number(m[2]));
  }

  /** Parses a version known to be valid (constants in code). */
  static of(text: string): ApiVersion {
    const v = ApiVersion.parse(text);
    if (!v) throw new Error(`invalid API version constant ${text}`);
    return v;
  }

  /** Negative, zero or positive as this version is lower than, equal to or above `other`. */
  compare(other: ApiVersion): number {
    return this.major === other.major ? this.minor - other.minor : this.major - other.major;
  }

  /** True when this version is at least `other` (`'1.4'` or an ApiVersion). */
  atLeast(other: ApiVersion | string): boolean {
    return this.compare(typeof other === 'string' ? ApiVersion.of(other) : other) >= 0;
  }

  toString(): string {
    return `${this.major}.${this.minor}`;
  }
}

/** Lowest microversion served; also the default when a client sends none. */
export const MIN_API_VERSION = ApiVersion.of('1.0');
/** Highest microversion of upstream Senlin 14. */
export const UPSTREAM_MAX_API_VERSION = ApiVersion.of('1.14');
/**
 * Highest microversion served. 1.15 is the first senlin-ts extension (advanced list filters);
 * behaviour at 1.14 and below is upstream's.
 */
export const MAX_API_VERSION = ApiVersion.of('1.15');
