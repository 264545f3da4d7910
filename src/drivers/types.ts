/**
 * The cloud as senlin-ts sees it: one interface per OpenStack service, with the calls the
 * profiles, policies, receivers and the health manager make. Resources are the JSON objects
 * the OpenStack APIs return (keys as on the wire, e.g. `OS-EXT-AZ:availability_zone`), so the
 * REST drivers pass them through and the fake cloud produces the same shapes.
 *
 * Conventions:
 * - `get*` returns the resource or throws `CloudNotFound`; `find*` accepts a name or an id and
 *   returns `null` when nothing matches (and throws `CloudConflict` when a name is ambiguous).
 * - Every call may throw `CloudError` (HTTP status and message of the cloud).
 * - Waits take an AbortSignal: aborting rejects with the signal's reason.
 */

/** A resource as an OpenStack API returns it. */
export type Resource = { id: string; name?: string | null } & Record<string, unknown>;

/** Options of a wait for a status. */
export interface WaitOptions {
  /** Seconds before the wait fails with a timeout. */
  timeout: number;
  /** Statuses that end the wait with a failure. */
  failures?: readonly string[];
  /** Seconds between polls (drivers may poll faster). */
  interval?: number;
  signal?: AbortSignal;
}

/** Nova. */
export interface ComputeDriver {
  findFlavor(nameOrId: string): Promise<Resource | null>;
  findImage(nameOrId: string): Promise<Resource | null>;
  findKeypair(name: string): Promise<Resource | null>;
  availabilityZones(): Promise<{ zoneName: string; available: boolean }[]>;

  createServer(body: Record<string, unknown>): Promise<Resource>;
  getServer(id: string): Promise<Resource>;
  /**
   * Servers whose metadata contains all the given pairs (and, when given, with that name,
   * status, or owned by that project).
   */
  listServers(filter?: {
    metadata?: Record<string, string>;
    name?: string;
    status?: string;
    projectId?: string;
  }): Promise<Resource[]>;
  updateServer(id: string, changes: { name?: string }): Promise<Resource>;
  deleteServer(id: string, options?: { force?: boolean }): Promise<void>;
  waitForServer(id: string, status: string, options: WaitOptions): Promise<Resource>;
  /** Resolves when the server is gone (a 404). */
  waitForServerDelete(id: string, options: WaitOptions): Promise<void>;

  rebuildServer(
    id: string,
    options: { image: string; name?: string; adminPass?: string | null },
  ): Promise<void>;
  resizeServer(id: string, flavorId: string): Promise<void>;
  confirmServerResize(id: string): Promise<void>;
  revertServerResize(id: string): Promise<void>;
  rebootServer(id: string, type: 'SOFT' | 'HARD'): Promise<void>;
  changeServerPassword(id: string, adminPass: string): Promise<void>;
  /** pause, unpause, suspend, resume, lock, unlock, start, stop, unrescue. */
  serverAction(id: string, action: ServerSimpleAction): Promise<void>;
  rescueServer(id: string, options: { adminPass?: string; imageRef?: string }): Promise<void>;
  migrateServer(id: string, options?: { host?: string }): Promise<void>;
  liveMigrateServer(
    id: string,
    options: { host?: string | null; blockMigration?: boolean | 'auto' },
  ): Promise<void>;
  evacuateServer(
    id: string,
    options: { host?: string; adminPass?: string; force?: boolean },
  ): Promise<void>;
  /** Creates an image of the server; returns the image id. */
  createServerImage(id: string, name: string, metadata?: Record<string, string>): Promise<string>;

  getServerMetadata(id: string): Promise<Record<string, string>>;
  /** Replaces all metadata of the server. */
  setServerMetadata(id: string, metadata: Record<string, string>): Promise<void>;
  deleteServerMetadata(id: string, keys: readonly string[]): Promise<void>;

  listServerInterfaces(id: string): Promise<Resource[]>;
  createServerInterface(
    id: string,
    options: { portId?: string; netId?: string },
  ): Promise<Resource>;
  deleteServerInterface(id: string, portId: string): Promise<void>;
  attachVolume(serverId: string, volumeId: string, device?: string): Promise<Resource>;
  detachVolume(serverId: string, volumeId: string): Promise<void>;

  createServerGroup(name: string, policy: string): Promise<Resource>;
  findServerGroup(nameOrId: string): Promise<Resource | null>;
  /** A server group with its `members` (server ids). */
  getServerGroup(id: string): Promise<Resource>;
  deleteServerGroup(id: string): Promise<void>;

  listHypervisors(options?: { hostnamePattern?: string }): Promise<Resource[]>;
  getHypervisor(id: string): Promise<Resource>;
  listServices(options?: { binary?: string; host?: string }): Promise<Resource[]>;
  forceServiceDown(serviceId: string, host: string, binary: string): Promise<void>;
}

/** The simple server actions without parameters. */
export type ServerSimpleAction =
  | 'pause'
  | 'unpause'
  | 'suspend'
  | 'resume'
  | 'lock'
  | 'unlock'
  | 'start'
  | 'stop'
  | 'unrescue';

/** Neutron. */
export interface NetworkDriver {
  findNetwork(nameOrId: string): Promise<Resource | null>;
  findSubnet(nameOrId: string): Promise<Resource | null>;
  findPort(nameOrId: string): Promise<Resource | null>;
  getPort(id: string): Promise<Resource>;
  listPorts(filter?: Record<string, string>): Promise<Resource[]>;
  createPort(body: Record<string, unknown>): Promise<Resource>;
  updatePort(id: string, changes: Record<string, unknown>): Promise<Resource>;
  deletePort(id: string): Promise<void>;
  findSecurityGroup(nameOrId: string, projectId?: string): Promise<Resource | null>;
  findFloatingIp(address: string): Promise<Resource | null>;
  createFloatingIp(body: Record<string, unknown>): Promise<Resource>;
  updateFloatingIp(id: string, changes: Record<string, unknown>): Promise<Resource>;
  deleteFloatingIp(id: string): Promise<void>;
  /** Floating IPs whose top-level fields equal the given values (e.g. `port_id`). */
  listFloatingIps(filter?: Record<string, string>): Promise<Resource[]>;
}

/** Glance. */
export interface ImageDriver {
  findImage(nameOrId: string): Promise<Resource | null>;
  getImage(id: string): Promise<Resource>;
  deleteImage(id: string): Promise<void>;
  /** Waits for the image `status` (e.g. `active` after a server snapshot). */
  waitForImage(id: string, status: string, options: WaitOptions): Promise<Resource>;
}

/** Cinder. */
export interface BlockStorageDriver {
  getVolume(id: string): Promise<Resource>;
  listVolumes(filter?: {
    status?: string;
    metadata?: Record<string, string>;
    name?: string;
  }): Promise<Resource[]>;
  createVolume(body: Record<string, unknown>): Promise<Resource>;
  extendVolume(id: string, size: number): Promise<void>;
  deleteVolume(id: string): Promise<void>;
  createSnapshot(body: Record<string, unknown>): Promise<Resource>;
  getSnapshot(id: string): Promise<Resource>;
  deleteSnapshot(id: string): Promise<void>;
  findVolumeType(nameOrId: string): Promise<Resource | null>;
  /** Waits for the volume `status` (`available`, `in-use`, …). */
  waitForVolume(id: string, status: string, options: WaitOptions): Promise<Resource>;
  waitForVolumeDelete(id: string, options: WaitOptions): Promise<void>;
  /** Waits for the snapshot `status`. */
  waitForSnapshot(id: string, status: string, options: WaitOptions): Promise<Resource>;
}

/** Heat. */
export interface OrchestrationDriver {
  /** `preview: true` validates the stack without creating it. */
  createStack(body: Record<string, unknown>, options?: { preview?: boolean }): Promise<Resource>;
  getStack(id: string): Promise<Resource>;
  findStack(nameOrId: string): Promise<Resource | null>;
  updateStack(id: string, body: Record<string, unknown>): Promise<void>;
  deleteStack(id: string): Promise<void>;
  checkStack(id: string): Promise<void>;
  abandonStack(id: string): Promise<Record<string, unknown>>;
  getStackTemplate(id: string): Promise<Record<string, unknown>>;
  getStackEnvironment(id: string): Promise<Record<string, unknown>>;
  getStackFiles(id: string): Promise<Record<string, unknown>>;
  /** Waits for `stack_status`. */
  waitForStack(id: string, status: string, options: WaitOptions): Promise<Resource>;
  waitForStackDelete(id: string, options: WaitOptions): Promise<void>;
}

/** Octavia. */
export interface LoadBalancerDriver {
  findLoadBalancer(nameOrId: string): Promise<Resource | null>;
  getLoadBalancer(id: string): Promise<Resource>;
  /** Waits for the load balancer's `provisioning_status` (usually `ACTIVE`). */
  waitForLoadBalancer(id: string, status: string, options: WaitOptions): Promise<Resource>;
  waitForLoadBalancerDelete(id: string, options: WaitOptions): Promise<void>;
  getListener(id: string): Promise<Resource>;
  getPool(id: string): Promise<Resource>;
  getMember(poolId: string, memberId: string): Promise<Resource>;
  getHealthMonitor(id: string): Promise<Resource>;
  createLoadBalancer(body: Record<string, unknown>): Promise<Resource>;
  deleteLoadBalancer(id: string, options?: { cascade?: boolean }): Promise<void>;
  createListener(body: Record<string, unknown>): Promise<Resource>;
  deleteListener(id: string): Promise<void>;
  createPool(body: Record<string, unknown>): Promise<Resource>;
  deletePool(id: string): Promise<void>;
  createMember(poolId: string, body: Record<string, unknown>): Promise<Resource>;
  listMembers(poolId: string): Promise<Resource[]>;
  deleteMember(poolId: string, memberId: string): Promise<void>;
  createHealthMonitor(body: Record<string, unknown>): Promise<Resource>;
  deleteHealthMonitor(id: string): Promise<void>;
  findFlavor(nameOrId: string): Promise<Resource | null>;
  findAvailabilityZone(name: string): Promise<Resource | null>;
}

/** Keystone (what senlin-ts needs beyond token validation). */
export interface IdentityDriver {
  /** Region ids known to Keystone. */
  listRegions(): Promise<string[]>;
  /** The clustering endpoint of the catalog, or null. */
  clusteringEndpoint(): Promise<string | null>;
  findTrust(
    trustorUserId: string,
    trusteeUserId: string,
    projectId: string,
  ): Promise<Resource | null>;
  createTrust(body: {
    trustorUserId: string;
    trusteeUserId: string;
    projectId: string;
    roles: readonly string[];
  }): Promise<Resource>;
  /** The user id of senlin's service user. */
  serviceUserId(): Promise<string>;
  deleteTrust(id: string): Promise<void>;
}

/** A message of a Zaqar queue. */
export interface QueueMessage {
  id: string;
  body: unknown;
  ttl?: number;
}

/** Zaqar. */
export interface MessageDriver {
  createQueue(
    name: string,
    options?: { maxMessagesPostSize?: number; description?: string },
  ): Promise<void>;
  queueExists(name: string): Promise<boolean>;
  deleteQueue(name: string): Promise<void>;
  createSubscription(
    queue: string,
    body: { subscriber: string; ttl: number; options: Record<string, unknown> },
  ): Promise<string>;
  deleteSubscription(queue: string, subscriptionId: string): Promise<void>;
  postMessages(
    queue: string,
    messages: readonly { body: unknown; ttl?: number }[],
  ): Promise<string[]>;
  /** Claims up to `limit` messages; returns the claim id and the messages (empty: nothing to claim). */
  claimMessages(
    queue: string,
    options?: { limit?: number; ttl?: number; grace?: number },
  ): Promise<{ claimId: string | null; messages: QueueMessage[] }>;
  deleteMessage(queue: string, messageId: string, claimId?: string | null): Promise<void>;
  deleteClaim(queue: string, claimId: string): Promise<void>;
}

/** A Docker daemon (container profile), reached at `tcp://<host ip>:<port>`. */
export interface ContainerDriver {
  createContainer(options: {
    image: string;
    name?: string;
    command?: string | null;
  }): Promise<string>;
  startContainer(id: string): Promise<void>;
  stopContainer(id: string, timeout?: number): Promise<void>;
  restartContainer(id: string, timeout?: number): Promise<void>;
  pauseContainer(id: string): Promise<void>;
  unpauseContainer(id: string): Promise<void>;
  renameContainer(id: string, name: string): Promise<void>;
  removeContainer(id: string, options?: { force?: boolean }): Promise<void>;
  inspectContainer(id: string): Promise<Record<string, unknown>>;
}

/** Who the cloud calls act for: the owner of the object, through their trust. */
export interface CloudCredentials {
  userId: string;
  projectId: string;
  /** Trust of the user to senlin's service user (null: service credentials alone). */
  trustId?: string | null;
  /** Connection overrides from a profile's `context` property (e.g. `region_name`). */
  context?: Readonly<Record<string, unknown>>;
}

/** All drivers for one set of credentials. */
export interface CloudDrivers {
  readonly compute: ComputeDriver;
  readonly network: NetworkDriver;
  readonly image: ImageDriver;
  readonly blockStorage: BlockStorageDriver;
  readonly orchestration: OrchestrationDriver;
  readonly loadBalancer: LoadBalancerDriver;
  readonly identity: IdentityDriver;
  readonly message: MessageDriver;
  /** A Docker client for the daemon at `url` (e.g. `tcp://10.0.0.5:2375`). */
  container(url: string): ContainerDriver;
}

/** Builds drivers (the `cloud_backend`). */
export interface CloudBackend {
  readonly name: string;
  drivers(credentials: CloudCredentials): CloudDrivers;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** A failure reported by the cloud: HTTP status and message. */
export class CloudError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'CloudError';
    this.status = status;
  }
}

/** The resource does not exist (404). */
export class CloudNotFound extends CloudError {
  constructor(message: string) {
    super(404, message);
    this.name = 'CloudNotFound';
  }
}

/** A name matched more than one resource, or the resource is in a conflicting state (409). */
export class CloudConflict extends CloudError {
  constructor(message: string) {
    super(409, message);
    this.name = 'CloudConflict';
  }
}

/** A wait ended without reaching the status (timeout or failure status). */
export class CloudWaitFailed extends CloudError {
  constructor(message: string) {
    super(500, message);
    this.name = 'CloudWaitFailed';
  }
}
