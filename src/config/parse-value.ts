/**
 * Conversion of option values from their text in senlin.conf to typed values, following
 * oslo.config's types (Boolean, Integer, Float, Port, IPAddress, HostAddress, List, ...).
 */
import { isIP } from 'node:net';
import type { OptionDef, OptionKind } from './option.js';

/**
 * The text of a value could not be converted. The message is `subject predicate`, e.g.
 * `'abc' is not an integer`; the predicate alone is shown for secret options.
 */
export class ValueParseError extends Error {
  readonly subject: string;
  readonly predicate: string;

  constructor(subject: string, predicate: string) {
    super(`${subject} ${predicate}`);
    this.name = 'ValueParseError';
    this.subject = subject;
    this.predicate = predicate;
  }
}

/** Marker returned for an empty number: oslo.config reads it as "no value". */
export const EMPTY_NUMBER = Symbol('empty number');

const TRUE_WORDS = ['true', '1', 'on', 'yes'];
const FALSE_WORDS = ['false', '0', 'off', 'no'];
const INTEGER = /^[+-]?\d+(?:_\d+)*$/;
const DIGITS = String.raw`\d+(?:_\d+)*`;
const FLOAT = new RegExp(
  String.raw`^[+-]?(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`,
);
const HOST_LABEL = /^(?!-)[A-Z0-9-]{1,63}(?<!-)$/i;
const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\S/;

/** Human names of the kinds, as oslo-config-generator prints them. */
export const KIND_NAMES: Readonly<Record<OptionKind, string>> = {
  str: 'string',
  int: 'integer',
  float: 'floating point',
  bool: 'boolean',
  list: 'list',
  multistr: 'multi-valued',
  port: 'port number',
  ip: 'IP address',
  host: 'host address',
  uri: 'URI',
};

function quoted(text: string): string {
  return `'${text}'`;
}

function checkBounds(def: OptionDef<unknown>, n: number, text: string): number {
  const min = def.min ?? (def.kind === 'port' ? 0 : undefined);
  const max = def.max ?? (def.kind === 'port' ? 65535 : undefined);
  if (min !== undefined && n < min) {
    throw new ValueParseError(quoted(text), `is less than the minimum ${min}`);
  }
  if (max !== undefined && n > max) {
    throw new ValueParseError(quoted(text), `is greater than the maximum ${max}`);
  }
  return n;
}

function parseInteger(def: OptionDef<unknown>, text: string): number | typeof EMPTY_NUMBER {
  const s = text.trim();
  if (s === '') return EMPTY_NUMBER;
  const n = INTEGER.test(s) ? Number(s.replaceAll('_', '')) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new ValueParseError(quoted(text), `is not an integer`);
  return checkBounds(def, n, text);
}

function parseDecimal(def: OptionDef<unknown>, text: string): number | typeof EMPTY_NUMBER {
  const s = text.trim();
  if (s === '') return EMPTY_NUMBER;
  const n = FLOAT.test(s) ? Number(s.replaceAll('_', '')) : Number.NaN;
  if (!Number.isFinite(n)) throw new ValueParseError(quoted(text), `is not a number`);
  return checkBounds(def, n, text);
}

function parseBool(text: string): boolean {
  const s = text.toLowerCase();
  if (TRUE_WORDS.includes(s)) return true;
  if (FALSE_WORDS.includes(s)) return false;
  throw new ValueParseError(
    quoted(text),
    `is not a boolean (use true/false, yes/no, on/off or 1/0)`,
  );
}

function parseIp(text: string): string {
  if (isIP(text) === 0) throw new ValueParseError(quoted(text), `is not an IPv4 or IPv6 address`);
  return text;
}

/** Host name rules of RFC 1123 as oslo.config checks them; a trailing dot is dropped. */
function parseHost(text: string): string {
  if (text !== '' && isIP(text) !== 0) return text;
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  const labels = name.split('.');
  const valid =
    text.length > 0 &&
    text.length <= 253 &&
    /[a-zA-Z-]/.test(labels.at(-1) ?? '') &&
    labels.every((label) => HOST_LABEL.test(label));
  if (!valid) throw new ValueParseError(quoted(text), `is not a valid host name or address`);
  return name;
}

function parseUri(text: string): string {
  if (!URI_SCHEME.test(text)) {
    throw new ValueParseError(quoted(text), `is not a URI (expected scheme://...)`);
  }
  return text;
}

function checkChoice(def: OptionDef<unknown>, text: string): string {
  if (def.choices !== undefined && !def.choices.includes(text)) {
    throw new ValueParseError(quoted(text), `is not one of: ${def.choices.join(', ')}`);
  }
  return text;
}

/** Splits a list value like oslo.config: trailing commas dropped, items trimmed. */
export function splitList(text: string): string[] {
  const s = text.trim().replace(/,+$/, '');
  return s === '' ? [] : s.split(',').map((item) => item.trim());
}

/**
 * Converts one occurrence of an option's text to its value. Numbers that are empty give
 * `EMPTY_NUMBER` (the caller decides between "unset" and the default); multistr options are
 * converted per occurrence, so this returns one string for them.
 */
export function parseValue(
  def: OptionDef<unknown>,
  text: string,
): string | number | boolean | string[] | typeof EMPTY_NUMBER {
  switch (def.kind) {
    case 'str':
    case 'multistr':
      return checkChoice(def, text);
    case 'int':
    case 'port':
      return parseInteger(def, text);
    case 'float':
      return parseDecimal(def, text);
    case 'bool':
      return parseBool(text);
    case 'list':
      return splitList(text).map((item) => checkChoice(def, item));
    case 'ip':
      return parseIp(text);
    case 'host':
      return parseHost(text);
    case 'uri':
      return parseUri(text);
  }
}
