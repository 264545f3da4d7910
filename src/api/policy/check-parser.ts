/**
 * Parser of oslo.policy check strings: `@` or the empty string (always), `!` (never),
 * `role:<name>`, `rule:<name>`, `<attr>:<value or %(target attr)s>`, combined with `not`, `and`,
 * `or` (binding in that order, tightest first) and parentheses. Tokens are separated by
 * whitespace; opening parentheses may lead a token and closing ones may trail it, as in
 * oslo.policy. The older list form (a list of lists of check strings: OR of ANDs) is accepted
 * too.
 */
import { ALWAYS, type Check, NEVER } from './checks.js';

/** A check string that cannot be parsed. */
export class PolicySyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicySyntaxError';
  }
}

type Token =
  | { type: '(' | ')' | 'and' | 'or' | 'not' }
  | { type: 'check'; check: Check }
  | { type: 'string'; text: string };

/** Kinds that oslo.policy knows but senlin-ts does not evaluate (remote HTTP checks). */
const UNSUPPORTED_KINDS = new Set(['http', 'https']);

/** Parses one atom such as `role:admin`; malformed atoms become checks no one passes. */
export function parseAtom(text: string, warn: (message: string) => void = () => {}): Check {
  if (text === '@') return ALWAYS;
  if (text === '!') return NEVER;
  const colon = text.indexOf(':');
  if (colon < 0) {
    warn(`check "${text}" has no kind (expected <kind>:<match>); it never passes`);
    return NEVER;
  }
  const kind = text.slice(0, colon);
  const match = text.slice(colon + 1);
  if (kind === 'role' || kind === 'rule') return { kind, match };
  if (UNSUPPORTED_KINDS.has(kind)) {
    warn(`check kind "${kind}" is not supported; "${text}" never passes`);
    return NEVER;
  }
  return { kind: 'generic', attr: kind, match };
}

function tokenize(text: string, warn: (message: string) => void): Token[] {
  const tokens: Token[] = [];
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    const core = word.replace(/^\(+/, '');
    for (let i = core.length; i < word.length; i++) tokens.push({ type: '(' });
    const inner = core.replace(/\)+$/, '');
    if (inner !== '') {
      const lowered = inner.toLowerCase();
      if (lowered === 'and' || lowered === 'or' || lowered === 'not') {
        tokens.push({ type: lowered });
      } else if (/^(['"]).*\1$/.test(inner) && inner.length >= 2) {
        tokens.push({ type: 'string', text: inner.slice(1, -1) });
      } else {
        tokens.push({ type: 'check', check: parseAtom(inner, warn) });
      }
    }
    for (let i = inner.length; i < core.length; i++) tokens.push({ type: ')' });
  }
  return tokens;
}

class Parser {
  #pos = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): Check {
    const check = this.#or();
    if (this.#pos < this.tokens.length) this.#fail(`unexpected "${this.#describe()}"`);
    return check;
  }

  #or(): Check {
    const checks = [this.#and()];
    while (this.#peek() === 'or') {
      this.#pos++;
      checks.push(this.#and());
    }
    return checks.length === 1 ? (checks[0] as Check) : { kind: 'or', checks };
  }

  #and(): Check {
    const checks = [this.#not()];
    while (this.#peek() === 'and') {
      this.#pos++;
      checks.push(this.#not());
    }
    return checks.length === 1 ? (checks[0] as Check) : { kind: 'and', checks };
  }

  #not(): Check {
    if (this.#peek() === 'not') {
      this.#pos++;
      return { kind: 'not', check: this.#not() };
    }
    return this.#atom();
  }

  #atom(): Check {
    const token = this.tokens[this.#pos];
    if (token === undefined) return this.#fail('unexpected end');
    this.#pos++;
    if (token.type === 'check') return token.check;
    if (token.type === '(') {
      const inner = this.#or();
      if (this.#peek() !== ')') this.#fail('missing ")"');
      this.#pos++;
      return inner;
    }
    this.#pos--;
    return this.#fail(`unexpected "${this.#describe()}"`);
  }

  #peek(): Token['type'] | undefined {
    return this.tokens[this.#pos]?.type;
  }

  #describe(): string {
    const token = this.tokens[this.#pos];
    if (token === undefined) return 'end';
    if (token.type === 'string') return `'${token.text}'`;
    return token.type === 'check' ? 'check' : token.type;
  }

  #fail(problem: string): never {
    throw new PolicySyntaxError(`invalid check string "${this.source}": ${problem}`);
  }
}

/**
 * Parses a check string; throws PolicySyntaxError when it is not well formed. The empty
 * string means "always". `warn` hears about atoms that parse but can never pass.
 */
export function parseCheckString(text: string, warn: (message: string) => void = () => {}): Check {
  if (text === '') return ALWAYS;
  return new Parser(tokenize(text, warn), text).parse();
}

/** Parses the list form: `[["a", "b"], ["c"]]` means `(a and b) or c`; `[]` means always. */
export function parseCheckList(
  list: readonly unknown[],
  warn: (message: string) => void = () => {},
): Check {
  if (list.length === 0) return ALWAYS;
  const alternatives: Check[] = [];
  for (const inner of list) {
    const items = Array.isArray(inner) ? inner : [inner];
    if (items.length === 0) continue;
    const atoms = items.map((item) => {
      if (typeof item !== 'string') throw new PolicySyntaxError('list rules hold only strings');
      return parseAtom(item, warn);
    });
    alternatives.push(atoms.length === 1 ? (atoms[0] as Check) : { kind: 'and', checks: atoms });
  }
  if (alternatives.length === 0) return NEVER;
  return alternatives.length === 1
    ? (alternatives[0] as Check)
    : { kind: 'or', checks: alternatives };
}
