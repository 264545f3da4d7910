/**
 * Request bodies as upstream reads them: JSON is parsed only when the body is not empty, the
 * content type is JSON, missing or text/plain, and the text starts with `{`; anything else
 * reaches the handler as "no body". Invalid JSON is a 400 whose message reads like Python's.
 */
import { HTTPBadRequest } from '../../common/errors.js';

function shouldParse(contentType: string | undefined, raw: string): boolean {
  if (raw.length === 0 || !raw.startsWith('{')) return false;
  if (contentType === undefined || contentType === '') return true;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type === 'json' || type.startsWith('text/plain');
}

function lineColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/** Python-style JSON decoder message for a V8 JSON.parse error. */
export function pythonJsonMessage(text: string, err: Error): string {
  const posMatch = /position (\d+)/.exec(err.message);
  let position = posMatch ? Number(posMatch[1]) : text.length;
  let what = 'Expecting value';
  const m = err.message;
  if (/property name/i.test(m)) what = 'Expecting property name enclosed in double quotes';
  else if (/Expected ':'/.test(m)) what = "Expecting ':' delimiter";
  else if (/Expected ',' or '}'/.test(m)) what = "Expecting ',' delimiter";
  else if (/Expected ',' or ']'/.test(m)) what = "Expecting ',' delimiter";
  else if (/non-whitespace character after JSON/.test(m)) what = 'Extra data';
  else if (/Unterminated string|Bad control character|Bad escaped character/i.test(m)) {
    what = /control/i.test(m) ? 'Invalid control character at' : 'Unterminated string starting at';
  } else if (/Unexpected end/.test(m)) position = text.length;
  const { line, column } = lineColumn(text, position);
  return `${what}: line ${line} column ${column} (char ${position})`;
}

/** Parses a raw request body by upstream's rules; undefined means "no body". */
export function parseJsonBody(contentType: string | undefined, raw: string | undefined): unknown {
  if (raw === undefined || !shouldParse(contentType, raw)) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch (err) {
    throw new HTTPBadRequest(pythonJsonMessage(raw, err as Error));
  }
}
