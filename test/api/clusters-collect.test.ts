import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { JsonPathError, parseJsonPath } from '../../src/common/json-path.js';
import { getAction } from '../../src/db/queries/actions.js';
import { DEMO, errorMessage, NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();

const profile = (
  await api.call('POST', '/v1/profiles', { body: { profile: { name: 'p', spec: NOVA_SPEC } } })
).data.profile;

/** A cluster whose create action has finished, with member nodes N01, N02, … */
async function clusterWithNodes(
  nodes: { role?: string; physicalId?: string; metadata?: object }[],
) {
  const res = await api.call('POST', '/v1/clusters', {
    body: { cluster: { name: 'c', profile_id: profile.id } },
  });
  expect(res.statusCode).toBe(202);
  const cluster = res.data.cluster;
  const k = api.db.kysely;
  await k
    .updateTable('action')
    .set({ status: 'SUCCEEDED' })
    .where('target', '=', cluster.id)
    .execute();
  await k.updateTable('cluster').set({ status: 'ACTIVE' }).where('id', '=', cluster.id).execute();
  const ids: string[] = [];
  for (const [i, n] of nodes.entries()) {
    const id = randomUUID();
    ids.push(id);
    await k
      .insertInto('node')
      .values({
        id,
        name: `N0${i + 1}`,
        cluster_id: cluster.id,
        profile_id: profile.id,
        index: i + 1,
        role: n.role ?? '',
        physical_id: n.physicalId ?? null,
        status: 'ACTIVE',
        user: DEMO.user ?? '',
        project: DEMO.project ?? '',
        meta_data: JSON.stringify(n.metadata ?? {}),
      })
      .execute();
  }
  return { cluster, ids };
}

function expect400(res: { statusCode: number; data: any }, message: string) {
  expect(res.statusCode, JSON.stringify(res.data)).toBe(400);
  expect(errorMessage(res)).toBe(message);
}

describe('cluster collect', () => {
  it('is not served below microversion 1.2', async () => {
    const res = await api.call('GET', '/v1/clusters/FAKE_CLUSTER/attrs/name', { version: '1.1' });
    expect400(res, "API version '1.1' is not supported on this method.");
  });

  it.each(['None', '%20', '%20None%20'])('refuses the empty path %j', async (path) => {
    const res = await api.call('GET', `/v1/clusters/FAKE_CLUSTER/attrs/${path}`, {
      version: '1.2',
    });
    expect400(res, 'Required path attribute is missing.');
  });

  it('refuses a path that is not valid JSONPath before looking the cluster up', async () => {
    const res = await api.call('GET', '/v1/clusters/FAKE_CLUSTER/attrs/name!', { version: '1.2' });
    expect400(res, 'Invalid attribute path - Unexpected character: !.');
  });

  it('answers 404 for an unknown cluster', async () => {
    const res = await api.call(
      'GET',
      '/v1/clusters/a3d59666-93be-47ee-a484-c248ed2f49fe/attrs/name',
      { version: '1.2' },
    );
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(
      "The cluster 'a3d59666-93be-47ee-a484-c248ed2f49fe' could not be found.",
    );
  });

  it('collects a value from each member node that has it', async () => {
    const { cluster, ids } = await clusterWithNodes([
      { metadata: { k: 'one' } },
      {},
      { metadata: { k: ['x', 'y'] } },
    ]);
    const names = await api.call('GET', `/v1/clusters/${cluster.id}/attrs/name`, {
      version: '1.2',
    });
    expect(names.statusCode).toBe(200);
    expect(names.data).toEqual({
      cluster_attributes: [
        { id: ids[0], value: 'N01' },
        { id: ids[1], value: 'N02' },
        { id: ids[2], value: 'N03' },
      ],
    });
    const meta = await api.call('GET', `/v1/clusters/${cluster.id}/attrs/metadata.k`, {
      version: '1.2',
    });
    expect(meta.data.cluster_attributes).toEqual([
      { id: ids[0], value: 'one' },
      { id: ids[2], value: ['x', 'y'] },
    ]);
    const indexed = await api.call('GET', `/v1/clusters/${cluster.id}/attrs/metadata.k[1]`, {
      version: '1.2',
    });
    // Strings index like lists, as in jsonpath-rw.
    expect(indexed.data.cluster_attributes).toEqual([
      { id: ids[0], value: 'n' },
      { id: ids[2], value: 'y' },
    ]);
  });

  it('adds the resource details for paths that mention them', async () => {
    const drivers = api.conductor.deps.backend.drivers({
      userId: DEMO.user ?? '',
      projectId: DEMO.project ?? '',
      trustId: null,
      context: {},
    });
    const flavor = await drivers.compute.findFlavor('m1.tiny');
    const image = await drivers.compute.findImage('cirros');
    const server = await drivers.compute.createServer({
      name: 'srv',
      flavorRef: flavor?.id,
      imageRef: image?.id,
    });
    const { cluster, ids } = await clusterWithNodes([
      { physicalId: String(server.id) },
      { physicalId: 'no-such-server' },
      {},
    ]);
    const res = await api.call('GET', `/v1/clusters/${cluster.id}/attrs/details.status`, {
      version: '1.2',
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.cluster_attributes.map((a: any) => a.id)).toEqual([ids[0]]);
    expect(typeof res.data.cluster_attributes[0].value).toBe('string');
    const errors = await api.call('GET', `/v1/clusters/${cluster.id}/attrs/details.Error.code`, {
      version: '1.2',
    });
    expect(errors.data.cluster_attributes).toEqual([{ id: ids[1], value: 404 }]);
  });
});

describe('cluster operations', () => {
  it('are not served below microversion 1.4', async () => {
    const res = await api.call('POST', '/v1/clusters/c/ops', {
      version: '1.3',
      body: { reboot: {} },
    });
    expect400(res, "API version '1.3' is not supported on this method.");
  });

  it.each([
    [{}, 'No operation specified'],
    [{ reboot: {}, stop: {} }, 'Multiple operations specified'],
    [{ reboot: 'now' }, 'The data provided is not a map'],
    [{ reboot: { params: 'x' } }, 'The value (x) is not a valid JSON.'],
  ])('validates %j before looking the cluster up', async (body, message) => {
    expect400(await api.call('POST', '/v1/clusters/FAKE/ops', { body }), message);
  });

  it('answers 404 for an unknown cluster', async () => {
    const res = await api.call('POST', '/v1/clusters/FAKE/ops', { body: { dance: {} } });
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe("The cluster 'FAKE' could not be found.");
  });

  it('refuses operations and parameters the profile type does not offer', async () => {
    const { cluster } = await clusterWithNodes([{}]);
    const url = `/v1/clusters/${cluster.id}/ops`;
    expect400(
      await api.call('POST', url, { body: { dance: {} } }),
      "The requested operation 'dance' is not supported by the profile type 'os.nova.server-1.0'.",
    );
    expect400(
      await api.call('POST', url, { body: { reboot: { params: { type: 'Unknown' } } } }),
      "'Unknown' must be one of the allowed values: SOFT, HARD.",
    );
  });

  it('refuses unsupported filters and filters that match no node', async () => {
    const { cluster } = await clusterWithNodes([{ role: 'worker' }]);
    const url = `/v1/clusters/${cluster.id}/ops`;
    expect400(
      await api.call('POST', url, { body: { reboot: { filters: { bogus: 1, index: 2 } } } }),
      "Filter key 'bogus' is unsupported\nFilter key 'index' is unsupported.",
    );
    expect400(
      await api.call('POST', url, { body: { reboot: { filters: { role: 'master' } } } }),
      'No node (matching the filter) could be found.',
    );
  });

  it('queues CLUSTER_OPERATION on the matching nodes', async () => {
    const { cluster, ids } = await clusterWithNodes([
      { role: 'master' },
      { role: 'worker' },
      { role: 'worker' },
    ]);
    const res = await api.call('POST', `/v1/clusters/${cluster.id}/ops`, {
      body: { reboot: { params: { type: 'SOFT' }, filters: { role: 'worker' } } },
    });
    expect(res.statusCode).toBe(202);
    expect(String(res.headers.location)).toMatch(new RegExp(`/v1/actions/${res.data.action}$`));
    expect(await getAction(api.db.kysely, res.data.action)).toMatchObject({
      name: `cluster_reboot_${cluster.id.slice(0, 8)}`,
      action: 'CLUSTER_OPERATION',
      status: 'READY',
      inputs: { operation: 'reboot', params: { type: 'SOFT' }, nodes: [ids[1], ids[2]] },
    });
  });

  it('runs on every node when no filter is given', async () => {
    const { cluster, ids } = await clusterWithNodes([{}, {}]);
    const res = await api.call('POST', `/v1/clusters/${cluster.id}/ops`, {
      body: { stop: { filters: { name: ['N01', 'N02'] } } },
    });
    expect((await getAction(api.db.kysely, res.data.action))?.inputs).toEqual({
      operation: 'stop',
      params: {},
      nodes: ids,
    });
  });
});

describe('attribute paths', () => {
  const doc = {
    name: 'n1',
    metadata: { a: { b: [10, 20, 30] }, c: null },
    data: { list: [{ x: 1 }, { x: 2 }] },
  };
  const find = (path: string) => parseJsonPath(path).find(doc);

  it('reads dotted fields, including null values', () => {
    expect(find('name')).toEqual(['n1']);
    expect(find('metadata.a.b')).toEqual([[10, 20, 30]]);
    expect(find('metadata.c')).toEqual([null]);
    expect(find('metadata.missing')).toEqual([]);
  });

  it('reads indexes, slices and wildcards', () => {
    expect(find('metadata.a.b[1]')).toEqual([20]);
    expect(find('metadata.a.b[-1]')).toEqual([30]);
    expect(find('metadata.a.b[5]')).toEqual([]);
    expect(find('metadata.a.b[1:]')).toEqual([20, 30]);
    expect(find('data.list[*].x')).toEqual([1, 2]);
    expect(find('metadata.*')).toEqual([{ b: [10, 20, 30] }, null]);
  });

  it('reads the root, quoted names, field lists and descendants', () => {
    expect(find('$.name')).toEqual(['n1']);
    expect(find("'name'")).toEqual(['n1']);
    expect(find('name,missing')).toEqual(['n1']);
    expect(find('missing,metadata.c')).toEqual([null]);
    expect(find('data..x')).toEqual([1, 2]);
  });

  it.each([
    ['name!', 'Unexpected character: !'],
    ['a.', 'unexpected end of path'],
    ['[x]', '1 near token x (ID)'],
    ['a.b]', '3 near token ] (])'],
    ['$[0:3:2]', '5 near token : (:)'],
    ['a | b', '2 near token | (|)'],
  ])('explains why %j is not a path', (path, message) => {
    expect(() => parseJsonPath(path)).toThrow(new JsonPathError(message));
  });
});
