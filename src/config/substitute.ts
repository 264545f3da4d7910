/**
 * Variable substitution in option values, as oslo.config does it: `$name` or `${name}` is
 * replaced by the value of option `name` (of the same group, else of [DEFAULT]),
 * `${group.name}` by an option of another group; `$$` and `\$` stand for a literal `$`.
 * A `$` that starts no name is kept as it is.
 */
import { ValueParseError } from './parse-value.js';

const TEMPLATE = /\$(?:(\$)|([_a-z][._a-z0-9]*)|\{([_a-z][._a-z0-9]*)\})/gi;

/** Finds the text of a referenced option, or `undefined` when there is no such option. */
export type VariableLookup = (name: string) => string | undefined;

/** True when the text contains something substitution would change. */
export function hasTemplate(text: string): boolean {
  return text.includes('$');
}

/**
 * Replaces the variables in `text`. Throws `ValueParseError` naming the variable when
 * `lookup` knows no such option.
 */
export function substitute(text: string, lookup: VariableLookup): string {
  const escaped = text.replaceAll('\\$', '$$$$');
  return escaped.replace(
    TEMPLATE,
    (_match, dollar: string | undefined, named: string | undefined, braced?: string) => {
      if (dollar !== undefined) return '$';
      const name = named ?? braced ?? '';
      const value = lookup(name);
      if (value === undefined) {
        throw new ValueParseError(
          `'$${name}'`,
          `refers to an unknown option ${name} (write $$ for a literal $)`,
        );
      }
      return value;
    },
  );
}
