/** The parsed form of oslo.policy check strings. */

/** A parsed check string. */
export type Check =
  | { readonly kind: 'always' }
  | { readonly kind: 'never' }
  | { readonly kind: 'role'; readonly match: string }
  | { readonly kind: 'rule'; readonly match: string }
  /** `<attr>:<match>`: a credential (or a Python-style literal) compared with the match. */
  | { readonly kind: 'generic'; readonly attr: string; readonly match: string }
  | { readonly kind: 'not'; readonly check: Check }
  | { readonly kind: 'and'; readonly checks: readonly Check[] }
  | { readonly kind: 'or'; readonly checks: readonly Check[] };

/** A check that everyone passes. */
export const ALWAYS: Check = Object.freeze({ kind: 'always' });

/** A check that no one passes. */
export const NEVER: Check = Object.freeze({ kind: 'never' });

/** A check string back in text form (normalised: explicit parentheses around groups). */
export function checkToString(check: Check): string {
  switch (check.kind) {
    case 'always':
      return '@';
    case 'never':
      return '!';
    case 'role':
    case 'rule':
      return `${check.kind}:${check.match}`;
    case 'generic':
      return `${check.attr}:${check.match}`;
    case 'not':
      return `not ${checkToString(check.check)}`;
    case 'and':
    case 'or':
      return `(${check.checks.map(checkToString).join(` ${check.kind} `)})`;
  }
}
