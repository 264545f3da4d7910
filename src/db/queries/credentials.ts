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

/**
 * Stores the trust of a user in a project, replacing the credential document of an existing
 * row (upstream's `cred_create_update`). Call it in a transaction, or retry on a duplicate key
 * when two requests of the same user race.
 */
export async function upsertCredential(
  db: Kysely<Database>,
  user: string,
  project: string,
  trustId: string,
  data: Record<string, unknown> | null = null,
): Promise<void> {
  const cred = toDbJson({ openstack: { trust: trustId } }) as string;
  const res = await db
    .updateTable('credential')
    .set({ cred, ...(data !== null ? { data: toDbJson(data) } : {}) })
    .where('user', '=', user)
    .where('project', '=', project)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) > 0) return;
  await db
    .insertInto('credential')
    .values({ user, project, cred, data: toDbJson(data) })
    .execute();
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
