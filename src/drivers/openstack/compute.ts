/**
 * The ComputeDriver over Nova (and Glance for image lookups, which Nova no longer proxies).
 * Resources are Nova's own JSON at the negotiated microversion (see compute-api.ts); server
 * groups carry both `policy` and `policies`, interface attachments an `id` (the port id).
 */
import type { ComputeDriver } from '../types.js';
import * as actions from './compute-actions.js';
import { ComputeApi } from './compute-api.js';
import * as attachments from './compute-attachments.js';
import * as hosts from './compute-hosts.js';
import * as servers from './compute-servers.js';
import { createImageDriver } from './image.js';
import type { OpenStackDriverOptions } from './options.js';
import type { OpenStackSession } from './session.js';

/** Nova calls of one session. */
export function createComputeDriver(
  session: OpenStackSession,
  options: OpenStackDriverOptions,
): ComputeDriver {
  const api = new ComputeApi(session, options);
  const images = createImageDriver(session, options);
  return {
    findFlavor: (nameOrId) => hosts.findFlavor(api, nameOrId),
    findImage: (nameOrId) => images.findImage(nameOrId),
    findKeypair: (name) => hosts.findKeypair(api, name),
    availabilityZones: () => hosts.availabilityZones(api),

    createServer: (body) => servers.createServer(api, body),
    getServer: (id) => servers.getServer(api, id),
    listServers: (filter = {}) => servers.listServers(api, filter),
    updateServer: (id, changes) => servers.updateServer(api, id, changes),
    deleteServer: (id, opts) => servers.deleteServer(api, id, opts),
    waitForServer: (id, status, wait) => servers.waitForServer(api, id, status, wait),
    waitForServerDelete: (id, wait) => servers.waitForServerDelete(api, id, wait),

    rebuildServer: (id, opts) => actions.rebuild(api, id, opts),
    resizeServer: async (id, flavorId) => {
      await api.action(id, { resize: { flavorRef: flavorId } });
    },
    confirmServerResize: async (id) => {
      await api.action(id, { confirmResize: null });
    },
    revertServerResize: async (id) => {
      await api.action(id, { revertResize: null });
    },
    rebootServer: (id, type) => actions.reboot(api, id, type),
    changeServerPassword: async (id, adminPass) => {
      await api.action(id, { changePassword: { adminPass } });
    },
    serverAction: (id, action) => actions.simpleAction(api, id, action),
    rescueServer: (id, opts) => actions.rescue(api, id, opts),
    migrateServer: (id, opts) => actions.migrate(api, id, opts),
    liveMigrateServer: (id, opts) => actions.liveMigrate(api, id, opts),
    evacuateServer: (id, opts) => actions.evacuate(api, id, opts),
    createServerImage: (id, name, metadata) => actions.createImage(api, id, name, metadata),

    getServerMetadata: (id) => attachments.getMetadata(api, id),
    setServerMetadata: (id, metadata) => attachments.setMetadata(api, id, metadata),
    deleteServerMetadata: (id, keys) => attachments.deleteMetadata(api, id, keys),
    listServerInterfaces: (id) => attachments.listInterfaces(api, id),
    createServerInterface: (id, opts) => attachments.createInterface(api, id, opts),
    deleteServerInterface: (id, portId) => attachments.deleteInterface(api, id, portId),
    attachVolume: (serverId, volumeId, device) =>
      attachments.attachVolume(api, serverId, volumeId, device),
    detachVolume: (serverId, volumeId) => attachments.detachVolume(api, serverId, volumeId),

    createServerGroup: (name, policy) => attachments.createServerGroup(api, name, policy),
    findServerGroup: (nameOrId) => attachments.findServerGroup(api, nameOrId),
    getServerGroup: (id) => attachments.getServerGroup(api, id),
    deleteServerGroup: (id) => attachments.deleteServerGroup(api, id),

    listHypervisors: (opts) => hosts.listHypervisors(api, opts),
    getHypervisor: (id) => hosts.getHypervisor(api, id),
    listServices: (opts) => hosts.listServices(api, opts),
    forceServiceDown: (serviceId, host, binary) =>
      hosts.forceServiceDown(api, serviceId, host, binary),
  };
}
