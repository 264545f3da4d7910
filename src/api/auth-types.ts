/** Contracts between the API server and its authentication strategies. */

/** Who a request comes from, as established by an authentication strategy. */
export interface Identity {
  userId: string | null;
  userName: string | null;
  projectId: string | null;
  projectName: string | null;
  domainId: string | null;
  userDomainId: string | null;
  userDomainName: string | null;
  projectDomainId: string | null;
  projectDomainName: string | null;
  roles: string[];
  /** The token the request carried (keystone strategy), passed on to later calls. */
  authToken: string | null;
  /** Trust id when the token is trust-scoped. */
  trustId: string | null;
}

/** The subset of a request that authentication looks at. */
export interface AuthRequest {
  /** Header names in lower case. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** An authentication strategy (`[DEFAULT] auth_strategy`). */
export interface Authenticator {
  /** Establishes the caller's identity or throws `Unauthorized`. */
  authenticate(request: AuthRequest): Promise<Identity>;
  /** Releases timers and connections. */
  close(): Promise<void>;
  /** Drops what is cached about a token that Keystone refused in a later call. */
  forget?(token: string): void;
}

/**
 * 401 in keystonemiddleware's format: body
 * `{"error": {"code": 401, "title": "Unauthorized", "message": ...}}` and a
 * `WWW-Authenticate: Keystone uri="<www_authenticate_uri>"` header.
 */
export class Unauthorized extends Error {
  readonly wwwAuthenticate: string;

  constructor(message: string, wwwAuthenticate: string) {
    super(message);
    this.name = 'Unauthorized';
    this.wwwAuthenticate = wwwAuthenticate;
  }
}
