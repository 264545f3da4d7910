/** The ImageDriver over Glance v2. */
import { CloudError, type ImageDriver, type Resource } from '../types.js';
import { findByNameOrId, seg } from './find.js';
import type { OpenStackDriverOptions } from './options.js';
import type { OpenStackSession } from './session.js';
import { waitForStatus, waitTiming } from './wait.js';

/** Image statuses after which an image never becomes usable. */
const FAILED = ['killed', 'deleted', 'deactivated'];

function imageOf(body: unknown): Resource {
  const image = body as Resource | null;
  if (!image || typeof image.id !== 'string') {
    throw new CloudError(502, 'Glance answered without an image.');
  }
  return image;
}

/** Glance calls of one session. */
export function createImageDriver(
  session: OpenStackSession,
  options: OpenStackDriverOptions,
): ImageDriver {
  const getImage = async (id: string, signal?: AbortSignal): Promise<Resource> =>
    imageOf(
      (await session.request('image', `/v2/images/${seg(id)}`, signal ? { signal } : {})).body,
    );
  return {
    findImage(nameOrId) {
      return findByNameOrId(
        nameOrId,
        'image',
        (id) => getImage(id),
        async (name) =>
          (
            await session.list<Resource>('image', '/v2/images', 'images', { query: { name } })
          ).filter((image) => image.status !== 'deleted'),
      );
    },
    getImage(id) {
      return getImage(id);
    },
    async deleteImage(id) {
      await session.request('image', `/v2/images/${seg(id)}`, { method: 'DELETE' });
    },
    waitForImage(id, status, wait) {
      return waitForStatus(
        () => getImage(id, wait.signal),
        (image) => String(image.status),
        {
          until: [status],
          failOn: [...FAILED, ...(wait.failures ?? [])].filter((s) => s !== status),
          what: `Image ${id}`,
          ...waitTiming(wait, {
            timeoutSeconds: options.actionTimeout,
            intervalMs: options.waitIntervalMs,
          }),
        },
      );
    },
  };
}
