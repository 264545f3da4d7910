/**
 * Conversions of raw spec values to the property kinds, with upstream's error messages. Values
 * in messages are printed the way Python's `str()` prints them (`None`, `True`, `{'a': 1}`).
 */
import { ESchema } from '../errors.js';
import { pyStr } from '../py-repr.js';

const TRUE_WORDS = new Set(['1', 't', 'true', 'on', 'y', 'yes']);
const FALSE_WORDS = new Set(['0', 'f', 'false', 'off', 'n', 'no']);
const INTEGER_TEXT = /^[+-]?\d+(?:_\d+)*$/;
const DECIMAL_TEXT =
  /^[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+)?$/;

/** True for a non-null object that is not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Python truthiness of a JSON value: null, false, 0, '', [] and {} are false. */
export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/**
 * A Boolean: booleans as they are; other values by their text, which must be one of
 * 1/t/true/on/y/yes or 0/f/false/off/n/no (case and surrounding blanks ignored).
 */
export function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const word = pyStr(value).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new ESchema(`The value '${pyStr(value)}' is not a valid Boolean`);
}

/**
 * An Integer: integral numbers and integer strings (`' 42 '`, `'-7'`, `'1_000'`); `null` stays
 * `null`. Fractions, booleans and other types are rejected (upstream would truncate fractions
 * and take booleans as 0/1).
 */
export function toInteger(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (INTEGER_TEXT.test(text)) return Number.parseInt(text.replaceAll('_', ''), 10);
  }
  throw new ESchema(`The value '${pyStr(value)}' is not a valid Integer`);
}

/** A Number: finite numbers and decimal strings (`'1.5'`, `'2e3'`, `' 7 '`). */
export function toNumber(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (DECIMAL_TEXT.test(text)) {
      const n = Number(text.replaceAll('_', ''));
      if (Number.isFinite(n)) return n;
    }
  }
  throw new ESchema(`The value '${pyStr(value)}' is not a valid number.`);
}

/** A String: strings as they are, other values converted as Python's `str()` would. */
export function toText(value: unknown): string {
  return pyStr(value);
}

/** A map: objects as they are, or a string holding a JSON object. */
export function toMap(value: unknown): Record<string, unknown> {
  if (isPlainObject(value)) return value;
  if (typeof value === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    if (isPlainObject(parsed)) return parsed;
  }
  throw new ESchema(`'${pyStr(value)}' is not a Map`);
}

/** A list: arrays only. */
export function toList(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  throw new ESchema(`'${pyStr(value)}' is not a List`);
}
