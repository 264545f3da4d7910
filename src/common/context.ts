/** The request context: who is calling, for which project, with which roles. */
import { type ApiVersion, MIN_API_VERSION } from './api-version.js';
import { newRequestId } from './ids.js';

/** Fields a context is built from; every field is optional except where noted. */
export interface RequestContextInit {
  userId?: string | null;
  userName?: string | null;
  projectId?: string | null;
  projectName?: string | null;
  domainId?: string | null;
  userDomainId?: string | null;
  userDomainName?: string | null;
  projectDomainId?: string | null;
  projectDomainName?: string | null;
  roles?: readonly string[];
  isAdmin?: boolean;
  authToken?: string | null;
  authUrl?: string | null;
  regionName?: string | null;
  requestId?: string;
  globalRequestId?: string | null;
  apiVersion?: ApiVersion;
  trusts?: string | null;
}

/** Immutable request context handed from the API to the conductor and the engine. */
export class RequestContext {
  readonly userId: string | null;
  readonly userName: string | null;
  readonly projectId: string | null;
  readonly projectName: string | null;
  readonly domainId: string | null;
  readonly userDomainId: string | null;
  readonly userDomainName: string | null;
  readonly projectDomainId: string | null;
  readonly projectDomainName: string | null;
  readonly roles: readonly string[];
  readonly isAdmin: boolean;
  readonly authToken: string | null;
  readonly authUrl: string | null;
  readonly regionName: string | null;
  readonly requestId: string;
  readonly globalRequestId: string | null;
  readonly apiVersion: ApiVersion;
  readonly trusts: string | null;

  constructor(init: RequestContextInit = {}) {
    this.userId = init.userId ?? null;
    this.userName = init.userName ?? null;
    this.projectId = init.projectId ?? null;
    this.projectName = init.projectName ?? null;
    this.domainId = init.domainId ?? null;
    this.userDomainId = init.userDomainId ?? null;
    this.userDomainName = init.userDomainName ?? null;
    this.projectDomainId = init.projectDomainId ?? null;
    this.projectDomainName = init.projectDomainName ?? null;
    this.roles = Object.freeze([...(init.roles ?? [])]);
    this.isAdmin = init.isAdmin ?? false;
    this.authToken = init.authToken ?? null;
    this.authUrl = init.authUrl ?? null;
    this.regionName = init.regionName ?? null;
    this.requestId = init.requestId ?? newRequestId();
    this.globalRequestId = init.globalRequestId ?? null;
    this.apiVersion = init.apiVersion ?? MIN_API_VERSION;
    this.trusts = init.trusts ?? null;
    Object.freeze(this);
  }

  /** A copy with some fields replaced. */
  with(changes: RequestContextInit): RequestContext {
    return new RequestContext({ ...this.toInit(), ...changes });
  }

  /** The fields of this context as a plain object. */
  toInit(): RequestContextInit {
    return { ...this };
  }

  /** The context of the service itself: admin, no project. */
  static admin(init: RequestContextInit = {}): RequestContext {
    return new RequestContext({ roles: ['admin'], isAdmin: true, ...init });
  }
}
