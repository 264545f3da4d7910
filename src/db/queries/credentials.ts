/**
 * Credential rows: one per (user, project), holding the Keystone trust from the user to
 * senlin's service user as `{"openstack": {"trust": "<trust id>"}}` (upstream's layout).
 */
import type { Kysely } from 'kysely';
import { fromDbJson, toDbJson } from '../codec.js';
import type { Database } from '../schema.js';

/** The stored credential document. */
export interface CredentialDoc {
  openstack?: { trust?: string | null } & Record<string, unknown>;
  [key: string]: unknown;
}

/** A stored credential. */
export interface CredentialRecord {
  user: string;
  project: string;
  cred: CredentialDoc;
  data: Record<string, unknown> | null;
}

/** The credential of a user in a project, or undefined. */
export async function getCredential(
  db: Kysely<Database>,
  user: string,
  project: string,
): Promise<CredentialRecord | undefined> {
  const row = await db
    .selectFrom('credential')
    .selectAll()
    .where('user', '=', user)
    .where('project', '=', project)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    user: row.user,
    project: row.project,
    cred: fromDbJson<CredentialDoc>(row.cred) ?? {},
    data: fromDbJson<Record<string, unknown>>(row.data),
  };
}

/** The trust id stored for a user in a project, or null. */
export async function getTrustId(
  db: Kysely<Database>,
  user: string,
  project: string,
): Promise<string | null> {
  const cred = await getCredential(db, user, project);
  const trust = cred?.cred.openstack?.trust;
  return typeof trust === 'string' && trust !== '' ? trust : null;
}

function isDuplicateKey(err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown } | null;
  return (
    e?.code === '23505' ||
    e?.code === 'ER_DUP_ENTRY' ||
    e?.errno === 1062 ||
    (typeof e?.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT'))
  );
}

/**
 * Stores the trust of a user in a project, replacing the credential document of an existing
 * row (upstream's `cred_create_update`). Two requests of the same user racing to insert the
 * row are fine: the one that finds the row taken updates it instead.
 */
export async function upsertCredential(
  db: Kysely<Database>,
  user: string,
  project: string,
  trustId: string,
  data: Record<string, unknown> | null = null,
): Promise<void> {
  const cred = toDbJson({ openstack: { trust: trustId } }) as string;
  const update = async (): Promise<boolean> => {
    const res = await db
      .updateTable('credential')
      .set({ cred, ...(data !== null ? { data: toDbJson(data) } : {}) })
      .where('user', '=', user)
      .where('project', '=', project)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  };
  if (await update()) return;
  try {
    await db
      .insertInto('credential')
      .values({ user, project, cred, data: toDbJson(data) })
      .execute();
  } catch (err) {
    if (!isDuplicateKey(err) || !(await update())) throw err;
  }
}

/**
 * Points the webhook receivers that act with trust `oldId` at `newId` (the trust that replaced
 * it); returns how many were changed.
 */
export async function replaceReceiverTrust(
  db: Kysely<Database>,
  oldId: string,
  newId: string,
): Promise<number> {
  // The actor column is JSON text: narrow with LIKE (for ids without LIKE wildcards, as
  // Keystone's are), then compare the decoded value.
  let query = db.selectFrom('receiver').select(['id', 'actor']);
  if (/^[A-Za-z0-9-]+$/.test(oldId)) query = query.where('actor', 'like', `%${oldId}%`);
  const rows = await query.execute();
  let changed = 0;
  for (const row of rows) {
    const actor = fromDbJson<Record<string, unknown>>(row.actor) ?? {};
    if (actor.trust_id !== oldId) continue;
    await db
      .updateTable('receiver')
      .set({ actor: toDbJson({ ...actor, trust_id: newId }) })
      .where('id', '=', row.id)
      .execute();
    changed += 1;
  }
  return changed;
}

/** Deletes the credential of a user in a project. */
export async function deleteCredential(
  db: Kysely<Database>,
  user: string,
  project: string,
): Promise<void> {
  await db
    .deleteFrom('credential')
    .where('user', '=', user)
    .where('project', '=', project)
    .execute();
}
