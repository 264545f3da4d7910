/**
 * INI parser with oslo.config's dialect, so that every senlin.conf upstream Senlin reads is
 * read the same way:
 * - `[section]` headers; the name is everything between the brackets, kept as written;
 * - `key = value` or `key: value` (whichever separator comes first); key and value trimmed;
 *   a value wholly enclosed in matching single or double quotes loses them;
 * - lines starting with `#` or `;` are comments, blank lines end a value;
 * - lines starting with a space or tab continue the previous value (joined with a newline);
 * - repeated keys are all kept, in order.
 */

/** One `key = value` assignment. */
export interface IniEntry {
  /** Section name as written in the file. */
  readonly section: string;
  readonly key: string;
  /** The value, continuation lines joined with `\n`. */
  readonly value: string;
  /** 1-based line of the key. */
  readonly line: number;
}

/** One `[section]` header. */
export interface IniSection {
  readonly name: string;
  readonly line: number;
}

/** A parsed INI text: headers and assignments in file order. */
export interface IniDocument {
  readonly sections: readonly IniSection[];
  readonly entries: readonly IniEntry[];
}

/** A syntax error: what is wrong, the 1-based line and the offending text. */
export class IniParseError extends Error {
  readonly reason: string;
  readonly line: number;
  readonly text: string;
  readonly source: string | undefined;

  constructor(reason: string, line: number, text: string, source?: string) {
    const where = source === undefined ? `line ${line}` : `${source}:${line}`;
    super(`${reason} (${where}): ${JSON.stringify(text)}`);
    this.name = 'IniParseError';
    this.reason = reason;
    this.line = line;
    this.text = text;
    this.source = source;
  }
}

interface Pending {
  key: string;
  parts: string[];
  line: number;
}

function splitAssignment(text: string): { key: string; value: string } | null {
  const colon = text.indexOf(':');
  const equal = text.indexOf('=');
  if (colon < 0 && equal < 0) return null;
  const at = colon < 0 || (equal >= 0 && equal < colon) ? equal : colon;
  const key = text.slice(0, at).trim();
  let value = text.slice(at + 1).trim();
  const first = value[0];
  if ((first === '"' || first === "'") && value.endsWith(first)) value = value.slice(1, -1);
  return { key, value };
}

/** Parses INI text. `source` (a file name) only appears in error messages. */
export function parseIni(text: string, source?: string): IniDocument {
  const sections: IniSection[] = [];
  const entries: IniEntry[] = [];
  let section: string | null = null;
  let pending: Pending | null = null;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();

  const flush = (): void => {
    if (pending === null) return;
    if (section === null) {
      throw new IniParseError(
        'Section must be started before assignment',
        pending.line,
        pending.key,
        source,
      );
    }
    entries.push({
      section,
      key: pending.key,
      value: pending.parts.join('\n'),
      line: pending.line,
    });
    pending = null;
  };

  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trimEnd();
    if (line === '') {
      flush();
      return;
    }
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (pending === null) {
        throw new IniParseError('Unexpected continuation line', lineNo, line, source);
      }
      pending.parts.push(line.trimStart());
      return;
    }
    flush();
    if (line.startsWith('[')) {
      if (!line.endsWith(']')) {
        throw new IniParseError('Invalid section (must end with ])', lineNo, line, source);
      }
      if (line.length <= 2) throw new IniParseError('Empty section name', lineNo, line, source);
      section = line.slice(1, -1);
      sections.push({ name: section, line: lineNo });
      return;
    }
    if (line.startsWith('#') || line.startsWith(';')) return;
    const assignment = splitAssignment(line);
    if (assignment === null) {
      throw new IniParseError("No ':' or '=' found in assignment", lineNo, line, source);
    }
    if (assignment.key === '') throw new IniParseError('Key cannot be empty', lineNo, line, source);
    pending = { key: assignment.key, parts: [assignment.value], line: lineNo };
  });
  flush();
  return { sections, entries };
}
