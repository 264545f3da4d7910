/**
 * Lookups shared by the node, action, event, receiver and webhook operations: finding
 * clusters, nodes and profiles in the caller's scope, and upstream's "enhanced" not-found
 * messages for identities given in a request body.
 */
import type { Kysely } from 'kysely';
import type { RequestContext } from '../common/context.js';
import { BadRequest, MultipleChoices, ResourceNotFound } from '../common/errors.js';
import type { ClusterRecord } from '../db/queries/clusters.js';
import { decodeCluster } from '../db/queries/clusters.js';
import { findRow } from '../db/queries/find.js';
import type { NodeRecord } from '../db/queries/nodes.js';
import { decodeNode } from '../db/queries/nodes.js';
import type { ProfileRecord } from '../db/queries/profiles.js';
import { decodeProfile } from '../db/queries/profiles.js';
import type { Database } from '../db/schema.js';
import { projectScope } from './deps.js';

/**
 * Upstream's message enhancement: the word is spliced in after the fourth character of the
 * original message. For not-found messages that reads `The specified cluster '…' …`; for an
 * ambiguous name it yields `Multspecified iple results …`, which clients see as is.
 */
export function enhanceMessage(word: string, message: string): string {
  return `${message.slice(0, 4)}${word} ${message.slice(4)}`;
}

/**
 * Runs a lookup of an identity taken from a request body: not found (and, when `ambiguous`
 * is set, more than one match) become a 400 with the enhanced message.
 */
export async function findReferenced<T>(
  word: 'specified' | 'referenced',
  lookup: () => Promise<T>,
  options: { ambiguous?: boolean } = {},
): Promise<T> {
  try {
    return await lookup();
  } catch (err) {
    if (
      err instanceof ResourceNotFound ||
      (options.ambiguous === true && err instanceof MultipleChoices)
    ) {
      throw new BadRequest(enhanceMessage(word, err.message));
    }
    throw err;
  }
}

/** A cluster by id, name or short id within the caller's scope (admins: any project). */
export async function findCluster(
  db: Kysely<Database>,
  ctx: RequestContext,
  identity: string,
): Promise<ClusterRecord> {
  const project = projectScope(ctx);
  return decodeCluster(await findRow(db, 'cluster', identity, { kind: 'cluster', project }));
}

/** A node by id, name or short id within the caller's scope. */
export async function findNode(
  db: Kysely<Database>,
  ctx: RequestContext,
  identity: string,
): Promise<NodeRecord> {
  const project = projectScope(ctx);
  return decodeNode(await findRow(db, 'node', identity, { kind: 'node', project }));
}

/** A profile by id, name or short id within the caller's scope. */
export async function findProfile(
  db: Kysely<Database>,
  ctx: RequestContext,
  identity: string,
): Promise<ProfileRecord> {
  const project = projectScope(ctx);
  return decodeProfile(await findRow(db, 'profile', identity, { kind: 'profile', project }));
}

/** A profile by exact id (any project), or undefined when it is gone. */
export async function getProfileById(
  db: Kysely<Database>,
  id: string,
): Promise<ProfileRecord | undefined> {
  const row = await db.selectFrom('profile').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? decodeProfile(row) : undefined;
}

/** Names of the given profiles by id (missing ones are absent from the map). */
export async function profileNames(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    if (chunk.length === 0) continue;
    const rows = await db
      .selectFrom('profile')
      .select(['id', 'name'])
      .where('id', 'in', chunk)
      .execute();
    for (const r of rows) out.set(r.id, r.name);
  }
  return out;
}

/** A node with what its views add: the profile name and, on request, the resource details. */
export interface NodeInfo extends NodeRecord {
  profileName: string;
  details?: Record<string, unknown>;
}

/** Adds profile names to node records ('Unknown' when the profile is gone). */
export async function withProfileNames(
  db: Kysely<Database>,
  nodes: readonly NodeRecord[],
): Promise<NodeInfo[]> {
  const names = await profileNames(
    db,
    nodes.map((n) => n.profileId),
  );
  return nodes.map((n) => ({ ...n, profileName: names.get(n.profileId) ?? 'Unknown' }));
}

/**
 * Cluster ids for identities given as a list filter; null when one of them does not resolve
 * (the listing is then empty, as upstream answers). Ambiguous names stay a 400.
 */
export async function resolveClusterIds(
  db: Kysely<Database>,
  ctx: RequestContext,
  identities: readonly string[],
): Promise<string[] | null> {
  const ids: string[] = [];
  for (const identity of identities) {
    try {
      ids.push((await findCluster(db, ctx, identity)).id);
    } catch (err) {
      if (err instanceof ResourceNotFound) return null;
      throw err;
    }
  }
  return ids;
}

/** Deep equality of JSON values, key order ignored (Python's `==` on dicts and lists). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  const ka = Object.keys(a as Record<string, unknown>);
  const kb = Object.keys(b as Record<string, unknown>);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) =>
      Object.hasOwn(b, k) &&
      jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}
