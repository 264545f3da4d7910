/** Helpers shared by the services of the fake cloud. */
import { createHash, randomUUID } from 'node:crypto';
import { CloudConflict, CloudError, CloudNotFound, type Resource } from '../types.js';
import type { Doc, FakeStore } from './store.js';

/** A fresh UUID. */
export function newUuid(): string {
  return randomUUID();
}

/** A UUID derived from a name: the same name gives the same id in every run. */
export function stableUuid(name: string): string {
  const h = createHash('sha1').update(`senlin-ts-fake:${name}`).digest('hex');
  const variant = ((Number.parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A MAC address in OpenStack's `fa:16:3e` range. */
export function newMac(): string {
  const hex = (): string =>
    Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0');
  return `fa:16:3e:${hex()}:${hex()}:${hex()}`;
}

/** Random letters and digits (not for secrets: the fake cloud has none). */
export function randomText(
  length: number,
  alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789',
): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}

/** `YYYY-MM-DDTHH:MM:SSZ` (Nova, Neutron, Heat, Octavia). */
export function isoZ(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** `YYYY-MM-DDTHH:MM:SS.ffffff` (Cinder, Glance-like). */
export function isoMicro(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000`;
}

/** A 400 of the cloud. */
export function badRequest(message: string): CloudError {
  return new CloudError(400, message);
}

/** A 404 of the cloud. */
export function notFound(message: string): CloudNotFound {
  return new CloudNotFound(message);
}

/** A 409 of the cloud. */
export function conflict(message: string): CloudConflict {
  return new CloudConflict(message);
}

/** A 403 of the cloud. */
export function forbidden(message: string): CloudError {
  return new CloudError(403, message);
}

/** Deep copy of a resource for callers (they may change it freely). */
export function copy<T>(value: T): T {
  return structuredClone(value);
}

/**
 * A document by id, else by name: null when nothing matches, CloudConflict when a name
 * matches several.
 */
export function findDoc<R extends Resource>(
  store: FakeStore,
  kind: string,
  nameOrId: string,
  label: string,
  accept: (doc: Doc<R>) => boolean = () => true,
): Doc<R> | null {
  const byId = store.get<R>(kind, nameOrId);
  if (byId && accept(byId)) return byId;
  const named = store.byName<R>(kind, nameOrId).filter(accept);
  if (named.length > 1)
    throw conflict(
      `Multiple ${label} matches found for '${nameOrId}', use an ID to be more specific.`,
    );
  return named[0] ?? null;
}

/** A string property of a body, or undefined. */
export function str(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  return typeof v === 'string' ? v : undefined;
}

/** A plain object property of a body, or undefined. */
export function obj(
  body: Record<string, unknown>,
  key: string,
): Record<string, unknown> | undefined {
  const v = body[key];
  return v && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/** The id at the end of an id or a link (`http://…/flavors/1` → `1`). */
export function refId(ref: unknown): string | null {
  if (typeof ref !== 'string' || ref === '') return null;
  const slash = ref.lastIndexOf('/');
  return slash >= 0 ? ref.slice(slash + 1) : ref;
}
