/** An in-memory stand-in for Keystone's token API, used as the `fetch` of the authenticator. */

export interface FakeToken {
  userId: string;
  projectId: string | null;
  roles: string[];
  /** Milliseconds since the epoch. */
  expiresAt: number;
  trustId?: string;
  domainScoped?: string;
}

export class FakeKeystone {
  readonly tokens = new Map<string, FakeToken>();
  readonly serviceTokens = new Set<string>();
  /** Requests seen, as `METHOD path`. */
  readonly requests: string[] = [];
  serviceLifetimeMs = 3_600_000;
  /** When set, every request fails as a refused connection. */
  down = false;
  /** Answers with this status for the next `failures` requests. */
  failures = 0;
  failureStatus = 503;
  /** Answer to service authentication instead of issuing a token. */
  serviceAuthStatus: number | null = null;
  /** Answer to validation instead of checking the token. */
  validationStatus: number | null = null;
  #issued = 0;

  constructor(private readonly now: () => number) {}

  get validations(): number {
    return this.requests.filter((r) => r.startsWith('GET')).length;
  }

  get serviceAuths(): number {
    return this.requests.filter((r) => r.startsWith('POST')).length;
  }

  readonly fetch = async (url: string, init: RequestInit): Promise<Response> => {
    const method = init.method ?? 'GET';
    const path = new URL(url).pathname;
    this.requests.push(`${method} ${path}`);
    if (this.down) throw new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') });
    if (this.failures > 0) {
      this.failures--;
      return new Response('oops', { status: this.failureStatus });
    }
    const headers = new Headers(init.headers);
    if (method === 'POST' && path === '/v3/auth/tokens') return this.#serviceAuth(init);
    if (method === 'GET' && path === '/v3/auth/tokens') {
      return this.#validate(headers.get('x-auth-token'), headers.get('x-subject-token'));
    }
    return new Response('{}', { status: 404 });
  };

  #serviceAuth(init: RequestInit): Response {
    if (this.serviceAuthStatus !== null)
      return new Response('{}', { status: this.serviceAuthStatus });
    const body = JSON.parse(String(init.body)) as {
      auth: { identity: { password: { user: { name: string; password: string } } } };
    };
    const user = body.auth.identity.password.user;
    if (user.name !== 'senlin' || user.password !== 'secret') {
      return new Response('{}', { status: 401 });
    }
    const token = `svc-${++this.#issued}`;
    this.serviceTokens.add(token);
    const expiresAt = new Date(this.now() + this.serviceLifetimeMs).toISOString();
    return new Response(JSON.stringify({ token: { expires_at: expiresAt } }), {
      status: 201,
      headers: { 'X-Subject-Token': token, 'Content-Type': 'application/json' },
    });
  }

  #validate(serviceToken: string | null, subject: string | null): Response {
    if (this.validationStatus !== null)
      return new Response('{}', { status: this.validationStatus });
    if (serviceToken === null || !this.serviceTokens.has(serviceToken)) {
      return new Response('{}', { status: 401 });
    }
    const token = subject === null ? undefined : this.tokens.get(subject);
    if (token === undefined || token.expiresAt <= this.now()) {
      return new Response('{}', { status: 404 });
    }
    const body: Record<string, unknown> = {
      methods: ['password'],
      user: {
        id: token.userId,
        name: `name-${token.userId}`,
        domain: { id: 'default', name: 'Default' },
      },
      roles: token.roles.map((name, i) => ({ id: `r${i}`, name })),
      expires_at: new Date(token.expiresAt).toISOString(),
    };
    if (token.projectId !== null) {
      body.project = {
        id: token.projectId,
        name: `name-${token.projectId}`,
        domain: { id: 'default', name: 'Default' },
      };
    }
    if (token.domainScoped) body.domain = { id: token.domainScoped, name: 'D' };
    if (token.trustId) body['OS-TRUST:trust'] = { id: token.trustId, impersonation: true };
    return new Response(JSON.stringify({ token: body }), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });
  }
}
