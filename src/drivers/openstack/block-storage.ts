/** The BlockStorageDriver over Cinder (API v3; the catalog endpoint carries the project). */
import { type BlockStorageDriver, CloudError, type Resource, type WaitOptions } from '../types.js';
import { findByNameOrId, seg } from './find.js';
import type { OpenStackDriverOptions } from './options.js';
import type { OpenStackSession } from './session.js';
import { waitForStatus, waitTiming } from './wait.js';

type Json = Record<string, unknown>;

const SERVICE = 'block-storage';

/** The Cinder microversion that extends attached (`in-use`) volumes. */
const EXTEND_IN_USE_MICROVERSION = '3.42';

/** Volume statuses a volume does not leave by itself. */
const VOLUME_FAILED = ['error', 'error_deleting', 'error_extending', 'error_restoring'];

function member(body: unknown, key: string): Resource {
  const value = (body as Json | null)?.[key] as Resource | undefined;
  if (!value || typeof value.id !== 'string') {
    throw new CloudError(502, `Cinder answered without '${key}'.`);
  }
  return value;
}

function metadataMatches(volume: Resource, wanted: Record<string, string>): boolean {
  const md = (volume.metadata ?? {}) as Record<string, unknown>;
  return Object.entries(wanted).every(([k, v]) => md[k] === v);
}

/** Cinder calls of one session. */
export function createBlockStorageDriver(
  session: OpenStackSession,
  options: OpenStackDriverOptions,
): BlockStorageDriver {
  const path = (...parts: string[]): string => `/v3/${parts.map(seg).join('/')}`;
  const get = async (kind: 'volumes' | 'snapshots', id: string, signal?: AbortSignal) =>
    member(
      (await session.request(SERVICE, path(kind, id), signal ? { signal } : {})).body,
      kind === 'volumes' ? 'volume' : 'snapshot',
    );
  const timing = (wait: WaitOptions) =>
    waitTiming(wait, { timeoutSeconds: options.actionTimeout, intervalMs: options.waitIntervalMs });

  return {
    getVolume: (id) => get('volumes', id),
    async listVolumes(filter = {}) {
      const query: Record<string, string> = {};
      if (filter.status !== undefined) query.status = filter.status;
      if (filter.name !== undefined) query.name = filter.name;
      if (filter.metadata && Object.keys(filter.metadata).length > 0) {
        query.metadata = JSON.stringify(filter.metadata);
      }
      const volumes = await session.list<Resource>(SERVICE, '/v3/volumes/detail', 'volumes', {
        query,
      });
      return volumes
        .filter((v) => filter.status === undefined || v.status === filter.status)
        .filter((v) => filter.name === undefined || v.name === filter.name)
        .filter((v) => metadataMatches(v, filter.metadata ?? {}));
    },
    async createVolume(body) {
      const { body: answer } = await session.request(SERVICE, '/v3/volumes', {
        method: 'POST',
        body: { volume: body },
      });
      return member(answer, 'volume');
    },
    async extendVolume(id, size) {
      // Volumes attached to a server can only be extended from microversion 3.42 on.
      await session.request(SERVICE, path('volumes', id, 'action'), {
        method: 'POST',
        body: { 'os-extend': { new_size: size } },
        microversion: EXTEND_IN_USE_MICROVERSION,
      });
    },
    async deleteVolume(id) {
      await session.request(SERVICE, path('volumes', id), { method: 'DELETE' });
    },
    async createSnapshot(body) {
      const { body: answer } = await session.request(SERVICE, '/v3/snapshots', {
        method: 'POST',
        body: { snapshot: body },
      });
      return member(answer, 'snapshot');
    },
    getSnapshot: (id) => get('snapshots', id),
    async deleteSnapshot(id) {
      await session.request(SERVICE, path('snapshots', id), { method: 'DELETE' });
    },
    findVolumeType(nameOrId) {
      return findByNameOrId(
        nameOrId,
        'volume type',
        async (id) =>
          member((await session.request(SERVICE, path('types', id))).body, 'volume_type'),
        async () =>
          (await session.request<{ volume_types?: Resource[] }>(SERVICE, '/v3/types')).body
            ?.volume_types ?? [],
      );
    },
    waitForVolume(id, status, wait) {
      return waitForStatus(
        () => get('volumes', id, wait.signal),
        (v) => String(v.status),
        {
          until: [status],
          failOn: [...VOLUME_FAILED, ...(wait.failures ?? [])].filter((s) => s !== status),
          what: `Volume ${id}`,
          ...timing(wait),
        },
      );
    },
    async waitForVolumeDelete(id, wait) {
      await waitForStatus(
        () => get('volumes', id, wait.signal),
        (v) => String(v.status),
        {
          until: ['deleted'],
          failOn: ['error_deleting', ...(wait.failures ?? [])],
          notFoundIsDone: true,
          what: `Volume ${id}`,
          ...timing(wait),
        },
      );
    },
    waitForSnapshot(id, status, wait) {
      return waitForStatus(
        () => get('snapshots', id, wait.signal),
        (s) => String(s.status),
        {
          until: [status],
          failOn: ['error', 'error_deleting', ...(wait.failures ?? [])].filter((s) => s !== status),
          what: `Snapshot ${id}`,
          ...timing(wait),
        },
      );
    },
  };
}
