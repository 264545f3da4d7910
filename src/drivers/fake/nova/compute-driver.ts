/** The ComputeDriver of the fake cloud (Nova). */
import type { ComputeDriver } from '../../types.js';
import { ZONES } from '../catalogue.js';
import { findDoc, notFound } from '../common.js';
import { K } from '../kinds.js';
import type { Doc } from '../store.js';
import type { Caller, FakeWorld } from '../world.js';
import {
  attachVolume,
  createServerInterface,
  deleteServerInterface,
  detachVolume,
  listServerInterfaces,
} from './attachments.js';
import { forceServiceDown, hypervisorView, serviceView, zoneList } from './hosts.js';
import {
  changeServerPassword,
  deleteServerMetadata,
  rebootServer,
  rebuildServer,
  rescueServer,
  setServerMetadata,
  simpleServerAction,
  updateServer,
} from './server-actions.js';
import { createServer } from './server-create.js';
import { deleteServer } from './server-delete.js';
import {
  createServerGroup,
  createServerImage,
  deleteServerGroup,
  findServerGroup,
  getServerGroup,
} from './server-images.js';
import {
  confirmServerResize,
  evacuateServer,
  liveMigrateServer,
  migrateServer,
  resizeServer,
  revertServerResize,
} from './server-moves.js';
import { serverView } from './server-view.js';
import { serverMissing } from './transition.js';

function nameMatches(pattern: string, name: unknown): boolean {
  if (typeof name !== 'string') return false;
  try {
    return new RegExp(pattern).test(name);
  } catch {
    return name.includes(pattern);
  }
}

/** Servers matching a listing filter (Nova treats `name` as a regular expression). */
export function filterServers(
  docs: Doc[],
  filter: { metadata?: Record<string, string>; name?: string; status?: string },
): Doc[] {
  return docs.filter((d) => {
    if (filter.name !== undefined && !nameMatches(filter.name, d.r.name)) return false;
    if (filter.status !== undefined && d.r.status !== filter.status) return false;
    const md = (d.r.metadata as Record<string, string>) ?? {};
    return Object.entries(filter.metadata ?? {}).every(([k, v]) => md[k] === v);
  });
}

/** Nova calls for one caller. */
export function createComputeDriver(world: FakeWorld, caller: Caller): ComputeDriver {
  const store = world.store;
  return {
    async findFlavor(nameOrId) {
      return findDoc(store, K.flavor, nameOrId, 'flavor')?.r ?? null;
    },
    async findImage(nameOrId) {
      return findDoc(store, K.image, nameOrId, 'image', (d) => d.r.status !== 'deleted')?.r ?? null;
    },
    async findKeypair(name) {
      return store.get(K.keypair, name)?.r ?? null;
    },
    async availabilityZones() {
      return zoneList(world, ZONES);
    },
    async createServer(body) {
      return createServer(world, caller, body);
    },
    async getServer(id) {
      return serverView(world, world.need(K.server, id, serverMissing(id)));
    },
    async listServers(filter = {}) {
      return filterServers(store.list(K.server, filter.projectId), filter).map((d) =>
        serverView(world, d),
      );
    },
    async updateServer(id, changes) {
      updateServer(world, id, changes);
      return serverView(world, world.need(K.server, id, serverMissing(id)));
    },
    async deleteServer(id, options) {
      deleteServer(world, id, options);
    },
    async waitForServer(id, status, options) {
      const doc = await world.waitStatus(
        {
          kind: K.server,
          id,
          target: status,
          label: 'Server',
          missing: serverMissing(id),
          fails: (s) => s === 'ERROR',
          reason: (d) => String((d.r.fault as { message?: string } | undefined)?.message ?? ''),
        },
        options,
      );
      return serverView(world, doc);
    },
    async waitForServerDelete(id, options) {
      await world.waitGone(K.server, id, options, 'Server');
    },
    async rebuildServer(id, options) {
      rebuildServer(world, id, options);
    },
    async resizeServer(id, flavorId) {
      resizeServer(world, id, flavorId);
    },
    async confirmServerResize(id) {
      confirmServerResize(world, id);
    },
    async revertServerResize(id) {
      revertServerResize(world, id);
    },
    async rebootServer(id, type) {
      rebootServer(world, id, type);
    },
    async changeServerPassword(id, adminPass) {
      changeServerPassword(world, id, adminPass);
    },
    async serverAction(id, action) {
      simpleServerAction(world, id, action);
    },
    async rescueServer(id, options) {
      rescueServer(world, id, options);
    },
    async migrateServer(id, options) {
      migrateServer(world, id, options);
    },
    async liveMigrateServer(id, options) {
      liveMigrateServer(world, id, options);
    },
    async evacuateServer(id, options) {
      evacuateServer(world, id, options);
    },
    async createServerImage(id, name, metadata) {
      return createServerImage(world, caller, id, name, metadata);
    },
    async getServerMetadata(id) {
      return {
        ...(world.need(K.server, id, serverMissing(id)).r.metadata as Record<string, string>),
      };
    },
    async setServerMetadata(id, metadata) {
      setServerMetadata(world, id, metadata);
    },
    async deleteServerMetadata(id, keys) {
      deleteServerMetadata(world, id, keys);
    },
    async listServerInterfaces(id) {
      return listServerInterfaces(world, id);
    },
    async createServerInterface(id, options) {
      return createServerInterface(world, caller, id, options);
    },
    async deleteServerInterface(id, portId) {
      deleteServerInterface(world, id, portId);
    },
    async attachVolume(serverId, volumeId, device) {
      return attachVolume(world, serverId, volumeId, device);
    },
    async detachVolume(serverId, volumeId) {
      detachVolume(world, serverId, volumeId);
    },
    async createServerGroup(name, policy) {
      return createServerGroup(world, caller, name, policy);
    },
    async findServerGroup(nameOrId) {
      return findServerGroup(world, nameOrId);
    },
    async getServerGroup(id) {
      return getServerGroup(world, id);
    },
    async deleteServerGroup(id) {
      deleteServerGroup(world, id);
    },
    async listHypervisors(options = {}) {
      const pattern = options.hostnamePattern;
      return store
        .list(K.hypervisor)
        .filter((d) => pattern === undefined || String(d.r.hypervisor_hostname).includes(pattern))
        .map((d) => hypervisorView(world, d));
    },
    async getHypervisor(id) {
      const doc = store.get(K.hypervisor, id);
      if (!doc) throw notFound(`Hypervisor ${id} could not be found.`);
      return hypervisorView(world, doc);
    },
    async listServices(options = {}) {
      return store
        .list(K.service)
        .filter((d) => options.binary === undefined || d.r.binary === options.binary)
        .filter((d) => options.host === undefined || d.r.host === options.host)
        .map(serviceView);
    },
    async forceServiceDown(serviceId, host, binary) {
      forceServiceDown(world, serviceId, host, binary);
    },
  };
}
