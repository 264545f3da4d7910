/** The ImageDriver of the fake cloud (Glance). */
import type { ImageDriver } from '../../types.js';
import { findDoc, forbidden } from '../common.js';
import { K } from '../kinds.js';
import type { FakeWorld } from '../world.js';

const FAILED = new Set(['killed', 'deleted', 'deactivated']);

/** Glance calls. */
export function createImageDriver(world: FakeWorld): ImageDriver {
  const store = world.store;
  const missing = (id: string) => `No image found with ID ${id}`;
  return {
    async findImage(nameOrId) {
      return findDoc(store, K.image, nameOrId, 'image', (d) => d.r.status !== 'deleted')?.r ?? null;
    },
    async getImage(id) {
      return world.need(K.image, id, missing(id)).r;
    },
    async deleteImage(id) {
      store.tx(() => {
        const doc = world.need(K.image, id, missing(id));
        if (doc.r.protected === true)
          throw forbidden(`Image ${id} is protected and cannot be deleted.`);
        store.remove(K.image, id);
        world.touch(K.image, id);
      });
    },
    async waitForImage(id, status, options) {
      const doc = await world.waitStatus(
        {
          kind: K.image,
          id,
          target: status,
          label: 'Image',
          missing: missing(id),
          fails: (s) => FAILED.has(s),
        },
        options,
      );
      return doc.r;
    },
  };
}
