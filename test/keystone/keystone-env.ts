/** Where the test Keystone runs and the accounts .ci/keystone.sh creates in it. */

const env = process.env;

/** Keystone's base URL (no /v3). */
export const KEYSTONE_URL = `http://127.0.0.1:${env.KEYSTONE_PORT ?? '35357'}`;

/** An account: user, password and the project it has a role in. */
export interface Account {
  user: string;
  password: string;
  project: string;
}

export const ACCOUNTS = {
  admin: { user: 'admin', password: env.KEYSTONE_ADMIN_PASSWORD ?? 'adminpass', project: 'admin' },
  senlin: {
    user: 'senlin',
    password: env.KEYSTONE_SENLIN_PASSWORD ?? 'senlinpass',
    project: 'service',
  },
  demo: { user: 'demo', password: env.KEYSTONE_DEMO_PASSWORD ?? 'demopass', project: 'demo' },
  alt: { user: 'alt', password: env.KEYSTONE_ALT_PASSWORD ?? 'altpass', project: 'alt' },
  demoAdmin: {
    user: 'demo-admin',
    password: env.KEYSTONE_DEMO_ADMIN_PASSWORD ?? 'demoadminpass',
    project: 'demo',
  },
} as const satisfies Record<string, Account>;

/** A token issued by Keystone with what Keystone said about it. */
export interface IssuedToken {
  token: string;
  userId: string;
  projectId: string;
  expiresAt: string;
  roles: string[];
}

async function issue(auth: Record<string, unknown>): Promise<IssuedToken> {
  const response = await fetch(`${KEYSTONE_URL}/v3/auth/tokens?nocatalog`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ auth }),
  });
  if (response.status !== 201) {
    throw new Error(`token request failed: ${response.status} ${await response.text()}`);
  }
  const body = (await response.json()) as {
    token: {
      user: { id: string };
      project: { id: string };
      expires_at: string;
      roles: { name: string }[];
    };
  };
  return {
    token: response.headers.get('x-subject-token') ?? '',
    userId: body.token.user.id,
    projectId: body.token.project.id,
    expiresAt: body.token.expires_at,
    roles: body.token.roles.map((r) => r.name),
  };
}

/** POST /v3/auth/tokens with a password, scoped to the account's project. */
export function issueToken(account: Account): Promise<IssuedToken> {
  return issue({
    identity: {
      methods: ['password'],
      password: {
        user: { name: account.user, domain: { id: 'default' }, password: account.password },
      },
    },
    scope: { project: { name: account.project, domain: { id: 'default' } } },
  });
}

/** POST /v3/auth/tokens with an application credential. */
export function issueAppCredentialToken(id: string, secret: string): Promise<IssuedToken> {
  return issue({
    identity: { methods: ['application_credential'], application_credential: { id, secret } },
  });
}

/** Creates an application credential of the token's user that expires at `expiresAt`. */
export async function createAppCredential(
  owner: IssuedToken,
  name: string,
  expiresAt: Date,
): Promise<{ id: string; secret: string }> {
  const response = await fetch(`${KEYSTONE_URL}/v3/users/${owner.userId}/application_credentials`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Auth-Token': owner.token },
    body: JSON.stringify({
      application_credential: { name, expires_at: expiresAt.toISOString() },
    }),
  });
  if (response.status !== 201) {
    throw new Error(`application credential: ${response.status} ${await response.text()}`);
  }
  const body = (await response.json()) as {
    application_credential: { id: string; secret: string };
  };
  return body.application_credential;
}

/** DELETE /v3/auth/tokens: revokes `subject`, authorised by `actor`. */
export async function revokeToken(actor: string, subject: string): Promise<void> {
  const response = await fetch(`${KEYSTONE_URL}/v3/auth/tokens`, {
    method: 'DELETE',
    headers: { 'X-Auth-Token': actor, 'X-Subject-Token': subject },
  });
  if (response.status !== 204) throw new Error(`revocation failed: ${response.status}`);
}

/** Deletes an application credential of the token's user. */
export async function deleteAppCredential(owner: IssuedToken, id: string): Promise<void> {
  const response = await fetch(
    `${KEYSTONE_URL}/v3/users/${owner.userId}/application_credentials/${id}`,
    { method: 'DELETE', headers: { 'X-Auth-Token': owner.token } },
  );
  if (response.status !== 204) throw new Error(`deletion failed: ${response.status}`);
}

/** A trust as Keystone lists it. */
export interface KeystoneTrust {
  id: string;
  trustor_user_id: string;
  trustee_user_id: string;
  project_id: string | null;
  impersonation: boolean;
  roles?: { name: string }[];
}

/** GET /v3/OS-TRUST/trusts?trustor_user_id=…, with the trustor's token. */
export async function listTrusts(owner: IssuedToken): Promise<KeystoneTrust[]> {
  const response = await fetch(
    `${KEYSTONE_URL}/v3/OS-TRUST/trusts?trustor_user_id=${owner.userId}`,
    { headers: { 'X-Auth-Token': owner.token } },
  );
  if (response.status !== 200) throw new Error(`trust listing failed: ${response.status}`);
  return ((await response.json()) as { trusts: KeystoneTrust[] }).trusts;
}

/** GET /v3/OS-TRUST/trusts/{id} with the trustor's token; null when Keystone says 404. */
export async function getTrust(owner: IssuedToken, id: string): Promise<KeystoneTrust | null> {
  const response = await fetch(`${KEYSTONE_URL}/v3/OS-TRUST/trusts/${id}`, {
    headers: { 'X-Auth-Token': owner.token },
  });
  if (response.status === 404) return null;
  if (response.status !== 200) throw new Error(`trust lookup failed: ${response.status}`);
  return ((await response.json()) as { trust: KeystoneTrust }).trust;
}

/** DELETE /v3/OS-TRUST/trusts/{id} with the trustor's token. */
export async function deleteTrust(owner: IssuedToken, id: string): Promise<void> {
  const remove = () =>
    fetch(`${KEYSTONE_URL}/v3/OS-TRUST/trusts/${id}`, {
      method: 'DELETE',
      headers: { 'X-Auth-Token': owner.token },
    });
  // uwsgi may drop a connection under the load of the parallel test files; a DELETE is safe to
  // send again (a trust already gone is a 404)
  const response = await remove().catch(() => remove());
  if (response.status !== 204 && response.status !== 404) {
    throw new Error(`trust deletion failed: ${response.status}`);
  }
}

/** Deletes every trust the account's user has given (a clean start for trust tests). */
export async function deleteAllTrusts(account: Account): Promise<void> {
  const owner = await issueToken(account);
  for (const trust of await listTrusts(owner)) await deleteTrust(owner, trust.id);
}

/** The user id of an account (from a token of it). */
export async function userIdOf(account: Account): Promise<string> {
  return (await issueToken(account)).userId;
}

/** [keystone_authtoken] and [authentication] for senlin-ts in front of this Keystone. */
export function keystoneConfig(): {
  keystone_authtoken: Record<string, string>;
  authentication: Record<string, string>;
} {
  return {
    keystone_authtoken: {
      auth_url: `${KEYSTONE_URL}/v3`,
      www_authenticate_uri: `${KEYSTONE_URL}/v3`,
      username: ACCOUNTS.senlin.user,
      password: ACCOUNTS.senlin.password,
      project_name: ACCOUNTS.senlin.project,
    },
    authentication: {
      auth_url: `${KEYSTONE_URL}/v3`,
      service_username: ACCOUNTS.senlin.user,
      service_password: ACCOUNTS.senlin.password,
      service_project_name: ACCOUNTS.senlin.project,
    },
  };
}
