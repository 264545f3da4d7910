/**
 * A small JSONPath reader for attribute paths (`GET /v1/clusters/{id}/attrs/{path}`): the
 * subset of jsonpath-rw's syntax that clients use. Supported: `$`, field names (bare or
 * quoted), `*`, comma-separated field lists, `.` children, `..` descendants, and brackets
 * holding an index (`[0]`, `[-1]`), `*` or a slice (`[1:3]`). Syntax errors carry messages in
 * jsonpath-rw's wording (`3 near token . (.)`, `Unexpected character: ?`).
 */

/** A path that cannot be read; the message is what follows "Invalid attribute path - ". */
export class JsonPathError extends Error {}

type Token = { type: string; value: string; pos: number };

/** One step of a parsed path. */
type Node =
  | { kind: 'root' }
  | { kind: 'fields'; names: readonly string[] }
  | { kind: 'index'; index: number }
  | { kind: 'slice'; start: number | null; end: number | null }
  | { kind: 'child'; left: Node; right: Node }
  | { kind: 'descendants'; left: Node; right: Node };

/** A parsed path: `find` returns every matching value, in document order. */
export interface JsonPath {
  find(document: unknown): unknown[];
}

const ID_START = /[a-zA-Z_@]/;
const ID_PART = /[a-zA-Z0-9_@-]/;
const LITERALS = new Set(['*', '.', '[', ']', '(', ')', '$', ',', ':', '|', '&']);

function readQuoted(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  let value = '';
  let i = start + 1;
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\\' && i + 1 < text.length) i++;
    value += text[i];
    i++;
  }
  if (i >= text.length) throw new JsonPathError(`Unexpected character: ${quote}`);
  return { value, end: i + 1 };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === ' ' || ch === '\t') {
      i++;
    } else if (text.startsWith('..', i)) {
      tokens.push({ type: 'DOUBLEDOT', value: '..', pos: i });
      i += 2;
    } else if (LITERALS.has(ch)) {
      tokens.push({ type: ch, value: ch, pos: i });
      i++;
    } else if (ch === "'" || ch === '"') {
      const { value, end } = readQuoted(text, i);
      tokens.push({ type: 'ID', value, pos: i });
      i = end;
    } else if (/[-\d]/.test(ch) && /^-?\d/.test(text.slice(i, i + 2))) {
      const m = /^-?\d+/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ type: 'NUMBER', value: m[0], pos: i });
      i += m[0].length;
    } else if (ID_START.test(ch)) {
      let j = i + 1;
      while (j < text.length && ID_PART.test(text[j] ?? '')) j++;
      const value = text.slice(i, j);
      tokens.push({ type: value === 'where' ? 'WHERE' : 'ID', value, pos: i });
      i = j;
    } else if (ch === '`') {
      throw new JsonPathError('Unexpected character: `');
    } else {
      throw new JsonPathError(`Unexpected character: ${ch}`);
    }
  }
  return tokens;
}

class Parser {
  #pos = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  #peek(): Token | undefined {
    return this.tokens[this.#pos];
  }

  #next(): Token {
    const token = this.tokens[this.#pos++];
    if (!token) throw new JsonPathError('unexpected end of path');
    return token;
  }

  #fail(token: Token): never {
    throw new JsonPathError(`${token.pos} near token ${token.value} (${token.type})`);
  }

  #expect(type: string): Token {
    const token = this.#next();
    if (token.type !== type) this.#fail(token);
    return token;
  }

  parse(): Node {
    let node = this.#step();
    for (let token = this.#peek(); token; token = this.#peek()) {
      if (token.type === '.') {
        this.#pos++;
        node = { kind: 'child', left: node, right: this.#step() };
      } else if (token.type === 'DOUBLEDOT') {
        this.#pos++;
        node = { kind: 'descendants', left: node, right: this.#step() };
      } else {
        this.#fail(token);
      }
    }
    return node;
  }

  /** A field list, `*`, `$` or a bracket, followed by any number of brackets. */
  #step(): Node {
    const token = this.#next();
    let node: Node;
    if (token.type === '$') node = { kind: 'root' };
    else if (token.type === '*') node = { kind: 'fields', names: ['*'] };
    else if (token.type === 'ID') node = this.#fields(token.value);
    else if (token.type === '[') node = this.#bracket();
    else this.#fail(token);
    while (this.#peek()?.type === '[') {
      this.#pos++;
      node = { kind: 'child', left: node, right: this.#bracket() };
    }
    return node;
  }

  #fields(first: string): Node {
    const names = [first];
    while (this.#peek()?.type === ',') {
      this.#pos++;
      names.push(this.#expect('ID').value);
    }
    return { kind: 'fields', names };
  }

  /** The inside of `[...]` and the closing bracket. */
  #bracket(): Node {
    const token = this.#next();
    let node: Node;
    if (token.type === '*') {
      node = { kind: 'slice', start: null, end: null };
    } else if (token.type === ':') {
      node = { kind: 'slice', start: null, end: this.#maybeInt() };
    } else if (token.type === 'NUMBER') {
      if (this.#peek()?.type === ':') {
        this.#pos++;
        node = { kind: 'slice', start: Number(token.value), end: this.#maybeInt() };
      } else {
        node = { kind: 'index', index: Number(token.value) };
      }
    } else {
      this.#fail(token);
    }
    this.#expect(']');
    return node;
  }

  #maybeInt(): number | null {
    if (this.#peek()?.type !== 'NUMBER') return null;
    return Number(this.#next().value);
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sliceIndex(index: number, length: number): number {
  return index < 0 ? Math.max(length + index, 0) : Math.min(index, length);
}

function evaluate(node: Node, value: unknown, root: unknown): unknown[] {
  switch (node.kind) {
    case 'root':
      return [root];
    case 'fields': {
      if (!isMap(value)) return [];
      const names = node.names.includes('*') ? Object.keys(value) : node.names;
      return names.filter((n) => Object.hasOwn(value, n)).map((n) => value[n]);
    }
    case 'index': {
      if (!Array.isArray(value) && typeof value !== 'string') return [];
      const i = node.index < 0 ? value.length + node.index : node.index;
      return i >= 0 && i < value.length ? [value[i]] : [];
    }
    case 'slice': {
      // Maps and scalars count as one-element lists, as in jsonpath-rw.
      if (!Array.isArray(value)) {
        const wrapped = ['object', 'number', 'string', 'boolean'].includes(typeof value);
        return wrapped && value !== null ? evaluate(node, [value], root) : [];
      }
      const start = node.start === null ? 0 : sliceIndex(node.start, value.length);
      const end = node.end === null ? value.length : sliceIndex(node.end, value.length);
      return value.slice(start, Math.max(start, end));
    }
    case 'child':
      return evaluate(node.left, value, root).flatMap((m) => evaluate(node.right, m, root));
    case 'descendants': {
      const below = (v: unknown): unknown[] => {
        const here = evaluate(node.right, v, root);
        const children = Array.isArray(v) ? v : isMap(v) ? Object.values(v) : [];
        return [...here, ...children.flatMap(below)];
      };
      return evaluate(node.left, value, root).flatMap(below);
    }
  }
}

/** Parses a path; throws JsonPathError with jsonpath-rw's wording when it is not valid. */
export function parseJsonPath(text: string): JsonPath {
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new JsonPathError('unexpected end of path');
  const node = new Parser(tokens).parse();
  return { find: (document) => evaluate(node, document, document) };
}
