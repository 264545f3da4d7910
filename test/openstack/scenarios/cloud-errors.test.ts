import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/drivers/types.js';
import { adminCloud, clusterServers, serverOrNull } from '../support/cloud-checks.js';
import { ACCOUNTS, labSession, uniqueName } from '../support/lab.js';
import { runCleanups, SenlinClient } from '../support/senlin.js';
import { novaSpec } from '../support/specs.js';

// Failures of the real cloud reach the user as clear reasons on the node and the action, and
// leave no half-made server behind: a quota Nova refuses, a flavor no host can take, an image
// that was deleted after the profile was made, and an image that never existed.
const api = new SenlinClient();
const admin = labSession(ACCOUNTS.admin);
const demo = labSession(ACCOUNTS.demo);
const cleanups: (() => Promise<unknown>)[] = [];
const flavors: Record<string, Resource> = {};

async function makeFlavor(name: string, ram: number, disk: number): Promise<void> {
  const res = await admin.request<{ flavor: Resource }>('compute', '/flavors', {
    method: 'POST',
    body: { flavor: { name, ram, vcpus: 1, disk } },
  });
  flavors[name] = res.body.flavor;
  cleanups.push(() =>
    admin.request('compute', `/flavors/${res.body.flavor.id}`, { method: 'DELETE' }),
  );
}

/** Ids of the demo project's ports. */
async function demoPorts(): Promise<Set<string>> {
  const ports = await demo.list<Resource>('network', '/v2.0/ports', 'ports');
  return new Set(ports.map((p) => p.id));
}

/** A cluster of one node from `profile`; the failed creation, the node and its NODE_CREATE. */
async function failedCluster(prefix: string, profile: string) {
  const created = await api.createCluster({
    name: uniqueName(prefix),
    profile_id: profile,
    desired_capacity: 1,
    min_size: 0,
    max_size: 2,
  });
  cleanups.push(() => api.deleteCluster(created.id));
  const [node] = await api.clusterNodes(created.id);
  const actions = await api.expect(200, 'GET', `/v1/actions?target=${node.id}&action=NODE_CREATE`);
  const [nodeAction] = actions.body.actions as { status: string; status_reason: string }[];
  return { clusterId: created.id, action: created.action, node, nodeAction };
}

/** A failed cluster of one node from `spec`, with its ports checked too (see below). */
async function failedClusterOf(prefix: string, spec: Record<string, unknown>) {
  const profile = await api.createProfile(uniqueName(`${prefix}-p`), spec);
  cleanups.push(() => api.request('DELETE', `/v1/profiles/${profile}`));
  const portsBefore = await demoPorts();
  const failed = await failedCluster(prefix, profile);
  return { ...failed, portsBefore };
}

/**
 * The failed node left nothing: no server of the cluster, none of the ports made for it (they
 * are deleted when the create fails, before the node is), and deleting the cluster works.
 */
async function expectNothingLeft(clusterId: string, portsBefore: Set<string>): Promise<void> {
  expect((await clusterServers(clusterId)).map((s) => s.status)).toEqual([]);
  expect([...(await demoPorts())].filter((id) => !portsBefore.has(id))).toEqual([]);
  expect(await api.deleteCluster(clusterId)).toBe(true);
  expect(await clusterServers(clusterId)).toEqual([]);
}

beforeAll(async () => {
  // more memory than the demo project's quota; more disk than either fake host has
  await makeFlavor(uniqueName('lab-huge-ram'), 300_000, 1);
  await makeFlavor(uniqueName('lab-huge-disk'), 512, 900_000);
});

afterAll(async () => {
  await runCleanups(cleanups);
});

describe('errors of the cloud', () => {
  it('says when the quota is exceeded and leaves no server', async () => {
    const name = Object.keys(flavors).find((n) => n.startsWith('lab-huge-ram')) ?? '';
    const failed = await failedClusterOf('quota', novaSpec({ flavor: name }));
    expect(failed.action.status).toBe('FAILED');
    expect(failed.node.status).toBe('ERROR');
    expect(failed.node.status_reason).toMatch(/^Failed in creating server: Quota exceeded for ram/);
    expect(failed.nodeAction?.status).toBe('FAILED');
    expect(failed.nodeAction?.status_reason).toBe(failed.node.status_reason);
    await expectNothingLeft(failed.clusterId, failed.portsBefore);
  });

  it('says when no host is valid and deletes the failed server', async () => {
    const name = Object.keys(flavors).find((n) => n.startsWith('lab-huge-disk')) ?? '';
    const failed = await failedClusterOf('nohost', novaSpec({ flavor: name }));
    expect(failed.action.status).toBe('FAILED');
    expect(failed.node.status).toBe('ERROR');
    expect(failed.node.status_reason).toMatch(/no valid host/i);
    expect(failed.nodeAction?.status).toBe('FAILED');
    expect(failed.nodeAction?.status_reason).toBe(failed.node.status_reason);
    // Nova made the server (in ERROR): the reason names it, and it is deleted
    const serverId = /Server ([0-9a-f-]{36}) went to status ERROR/.exec(failed.node.status_reason);
    expect(serverId).not.toBeNull();
    expect(await serverOrNull(String(serverId?.[1]))).toBeNull();
    await expectNothingLeft(failed.clusterId, failed.portsBefore);
  });

  it('says when the image is gone by the time a node is made', async () => {
    const image = await admin.request<Resource>('image', '/v2/images', {
      method: 'POST',
      body: {
        name: uniqueName('short-lived'),
        disk_format: 'raw',
        container_format: 'bare',
        visibility: 'public',
      },
    });
    const imageId = image.body.id;
    await admin.request('image', `/v2/images/${imageId}/file`, {
      method: 'PUT',
      rawBody: new Uint8Array(4096),
    });
    await adminCloud.image.waitForImage(imageId, 'active', { timeout: 60 });
    const profile = await api.createProfile(uniqueName('gone-p'), novaSpec({ image: imageId }));
    cleanups.push(() => api.request('DELETE', `/v1/profiles/${profile}`));
    await adminCloud.image.deleteImage(imageId);
    const portsBefore = await demoPorts();
    const failed = await failedCluster('gone', profile);
    expect(failed.action.status).toBe('FAILED');
    expect(failed.node.status).toBe('ERROR');
    expect(failed.node.status_reason).toBe(
      `Failed in creating server: The specified image '${imageId}' could not be found.`,
    );
    expect(failed.nodeAction?.status).toBe('FAILED');
    expect(failed.nodeAction?.status_reason).toBe(failed.node.status_reason);
    await expectNothingLeft(failed.clusterId, portsBefore);
  });

  it('refuses a profile naming an image that does not exist', async () => {
    const answer = await api.request('POST', '/v1/profiles', {
      profile: { name: uniqueName('noimg'), spec: novaSpec({ image: 'no-such-image-anywhere' }) },
    });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toMatch(/no-such-image-anywhere/);
    expect(JSON.stringify(answer.body)).toMatch(/could not be found/);
  });
});
