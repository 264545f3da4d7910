/** Identifiers: UUIDs, request ids and the "looks like a UUID" test used by find. */
import { randomUUID } from 'node:crypto';

const UUID_LIKE =
  /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/** A fresh UUID4 in canonical 36-character form. */
export function newId(): string {
  return randomUUID();
}

/** A fresh request id as oslo.middleware produces: `req-<uuid4>`. */
export function newRequestId(): string {
  return `req-${randomUUID()}`;
}

/** True when the value has the shape of a UUID (with or without dashes, any case). */
export function isUuidLike(value: string): boolean {
  return UUID_LIKE.test(value);
}

/** A random string of `length` characters: a letter first, then letters and digits. */
export function randomName(length = 8, lower = false): string {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const alnum = `${letters}0123456789`;
  const pick = (set: string): string => set[Math.floor(Math.random() * set.length)] ?? 'a';
  let out = length > 0 ? pick(letters) : '';
  for (let i = 1; i < length; i++) out += pick(alnum);
  return lower ? out.toLowerCase() : out;
}
