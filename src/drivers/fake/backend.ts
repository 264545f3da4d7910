/**
 * The fake cloud backend (`cloud_backend = openstack_test`): every driver of CloudDrivers over
 * one in-memory (or file-backed, shared between processes) state, with asynchronous status
 * transitions, failure injection and helpers that let tests inspect and break the cloud.
 */
import type {
  CloudBackend,
  CloudCredentials,
  CloudDrivers,
  QueueMessage,
  Resource,
} from '../types.js';
import { seedCatalogue } from './catalogue.js';
import { createBlockStorageDriver } from './cinder/block-storage-driver.js';
import { stableUuid } from './common.js';
import { createContainerDriver } from './docker/container-driver.js';
import { FaultRegistry, withFaults } from './faults.js';
import { createImageDriver } from './glance/image-driver.js';
import { createOrchestrationDriver } from './heat/orchestration-driver.js';
import { createIdentityDriver } from './keystone/identity-driver.js';
import { INDEXERS, K } from './kinds.js';
import { createNetworkDriver } from './neutron/network-driver.js';
import { createComputeDriver, filterServers } from './nova/compute-driver.js';
import { setHostState } from './nova/hosts.js';
import { deleteServer } from './nova/server-delete.js';
import { serverView } from './nova/server-view.js';
import { errorFields, restingFields } from './nova/states.js';
import { lbView } from './octavia/lb-common.js';
import { createLoadBalancerDriver } from './octavia/load-balancer-driver.js';
import { FakeStore } from './store.js';
import { WaitHub } from './waits.js';
import { FakeWorld, type PostedMessages } from './world.js';
import { createMessageDriver } from './zaqar/message-driver.js';

/** Options of a fake cloud. */
export interface FakeCloudOptions {
  /** SQLite file holding the state (shared by every process opening it); unset: in memory. */
  statePath?: string | null;
  /** What the identity driver reports as the clustering endpoint (default: none). */
  clusteringEndpoint?: string | null;
  /** Seconds every transition takes unless `simulated_wait_time` says otherwise (default 0). */
  defaultDelay?: number;
  /** User id of senlin's service user (default: a fixed UUID). */
  serviceUserId?: string;
  /** Milliseconds between checks for changes made by other processes (file state only; default 20). */
  pollInterval?: number;
}

/** Server listing filter of the inspection helpers. */
export interface ServerFilter {
  projectId?: string;
  metadata?: Record<string, string>;
  name?: string;
  status?: string;
}

/** The fake cloud: a CloudBackend plus helpers for tests. */
export class FakeCloud implements CloudBackend {
  readonly name = 'openstack_test';
  readonly faults = new FaultRegistry();
  readonly statePath: string | null;
  private readonly world: FakeWorld;
  private readonly cache = new Map<string, CloudDrivers>();

  constructor(options: FakeCloudOptions = {}) {
    this.statePath = options.statePath ?? null;
    const store = new FakeStore(this.statePath, INDEXERS);
    seedCatalogue(store);
    const hub = new WaitHub(
      this.statePath ? () => store.changedElsewhere() : null,
      options.pollInterval ?? 20,
    );
    this.world = new FakeWorld(
      store,
      hub,
      this.faults,
      options.defaultDelay ?? 0,
      options.clusteringEndpoint ?? null,
      options.serviceUserId ?? stableUuid('user:senlin'),
    );
  }

  /** Seconds transitions take by default. */
  get defaultDelay(): number {
    return this.world.defaultDelayMs / 1000;
  }

  set defaultDelay(seconds: number) {
    this.world.defaultDelayMs = Math.max(0, seconds) * 1000;
  }

  /** Drivers acting for `credentials` (resources record their user and project). */
  drivers(credentials: CloudCredentials): CloudDrivers {
    const key = `${credentials.userId}\u0000${credentials.projectId}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const world = this.world;
    const caller = FakeWorld.caller(credentials);
    const f = this.faults;
    const containers = new Map<string, ReturnType<typeof createContainerDriver>>();
    const drivers: CloudDrivers = {
      compute: withFaults(f, 'compute', createComputeDriver(world, caller)),
      network: withFaults(f, 'network', createNetworkDriver(world, caller)),
      image: withFaults(f, 'image', createImageDriver(world)),
      blockStorage: withFaults(f, 'blockStorage', createBlockStorageDriver(world, caller)),
      orchestration: withFaults(f, 'orchestration', createOrchestrationDriver(world, caller)),
      loadBalancer: withFaults(f, 'loadBalancer', createLoadBalancerDriver(world, caller)),
      identity: withFaults(f, 'identity', createIdentityDriver(world)),
      message: withFaults(f, 'message', createMessageDriver(world, caller)),
      container(url: string) {
        let driver = containers.get(url);
        if (!driver) {
          driver = withFaults(f, 'container', createContainerDriver(world, url), [url]);
          containers.set(url, driver);
        }
        return driver;
      },
    };
    this.cache.set(key, drivers);
    return drivers;
  }

  /** Every server (as Nova shows it), optionally filtered. */
  listAllServers(filter: ServerFilter = {}): Resource[] {
    const docs = this.world.store.list(K.server, filter.projectId);
    return filterServers(docs, filter).map((d) => serverView(this.world, d));
  }

  /** Every document of a kind (`stack`, `volume`, `port`, `floating_ip`, `trust`, …). */
  listAll(kind: string): Resource[] {
    if (kind === K.server) return this.listAllServers();
    if (kind === K.loadBalancer)
      return this.world.store.list(kind).map((d) => lbView(this.world, d));
    return this.world.store.list(kind).map((d) => d.r);
  }

  /** Every stack. */
  listAllStacks(): Resource[] {
    return this.listAll(K.stack);
  }

  /** Every volume. */
  listAllVolumes(): Resource[] {
    return this.listAll(K.volume);
  }

  /** Every port. */
  listAllPorts(): Resource[] {
    return this.listAll(K.port);
  }

  /** Every load balancer. */
  listAllLoadBalancers(): Resource[] {
    return this.listAll(K.loadBalancer);
  }

  /** Every trust. */
  listAllTrusts(): Resource[] {
    return this.listAll(K.trust);
  }

  /** The messages of a queue, claimed or not, oldest first. */
  listQueueMessages(queue: string): (QueueMessage & { claimed: boolean })[] {
    const now = this.world.now();
    return this.world.store
      .byParent(K.message, queue)
      .sort((a, b) => Number(a.x.seq) - Number(b.x.seq))
      .map((d) => {
        const claim = d.x.claim as { expires: number } | null;
        return {
          id: d.r.id,
          body: d.r.body,
          ttl: Number(d.r.ttl),
          claimed: claim !== null && claim.expires > now,
        };
      });
  }

  /** Containers (as `inspect` shows them), of one daemon or of all. */
  listContainers(daemonUrl?: string): Record<string, unknown>[] {
    const docs =
      daemonUrl === undefined
        ? this.world.store.list(K.container)
        : this.world.store.byParent(K.container, daemonUrl);
    return docs.map((d) => ({ ...d.r, daemon: d.x.daemon }));
  }

  /** Puts a server in a status at once (e.g. ERROR or SHUTOFF behind senlin's back). */
  setServerStatus(id: string, status: string, fault = 'Status set by test.'): void {
    this.world.change(K.server, id, `Instance ${id} could not be found.`, (doc) => {
      doc.p = [];
      const now = this.world.now();
      Object.assign(
        doc.r,
        status === 'ERROR' ? errorFields(now, fault) : restingFields(status, now),
      );
    });
  }

  /** Deletes a server at once, as if someone else had deleted it. */
  destroyServer(id: string): void {
    deleteServer(this.world, id, { outOfBand: true });
  }

  /** Puts a stack in a status at once. */
  setStackStatus(id: string, status: string, reason = 'Status set by test.'): void {
    this.setField(
      K.stack,
      id,
      { stack_status: status, stack_status_reason: reason },
      `The Stack (${id}) could not be found.`,
    );
  }

  /** Puts a volume in a status at once. */
  setVolumeStatus(id: string, status: string): void {
    this.setField(K.volume, id, { status }, `Volume ${id} could not be found.`);
  }

  /** Sets the statuses of a load balancer at once. */
  setLoadBalancerStatus(id: string, provisioningStatus: string, operatingStatus?: string): void {
    const set: Record<string, unknown> = { provisioning_status: provisioningStatus };
    if (operatingStatus) set.operating_status = operatingStatus;
    this.setField(K.loadBalancer, id, set, `Load Balancer ${id} could not be found.`);
  }

  /** Takes a compute host down (or up), and/or disables (or enables) it. */
  setHypervisorState(host: string, state: 'up' | 'down', status?: 'enabled' | 'disabled'): void {
    setHostState(this.world, host, state, status);
  }

  /** Calls `listener` after every post of messages; returns the unsubscribe function. */
  onMessagesPosted(listener: (event: PostedMessages) => void): () => void {
    this.world.messageListeners.add(listener);
    return () => this.world.messageListeners.delete(listener);
  }

  private setField(kind: string, id: string, set: Record<string, unknown>, missing: string): void {
    this.world.change(kind, id, missing, (doc) => {
      doc.p = [];
      Object.assign(doc.r, set);
    });
  }

  /** Stops timers and closes the state. */
  async close(): Promise<void> {
    if (this.world.closed) return;
    this.world.closed = true;
    this.world.hub.notifyAll();
    this.world.hub.close();
    this.world.store.close();
  }
}

/** Makes a fake cloud. */
export function createFakeCloud(options: FakeCloudOptions = {}): FakeCloud {
  return new FakeCloud(options);
}
