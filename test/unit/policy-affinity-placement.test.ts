import { describe, expect, it } from 'vitest';
import { InvalidSpec } from '../../src/common/errors.js';
import { createFakeCloud } from '../../src/drivers/fake/index.js';
import {
  mergePlacement,
  validateAffinityWithCloud,
} from '../../src/policies/affinity-behaviour.js';

describe('affinity placement decisions', () => {
  it('gives every new node the server group', () => {
    expect(mergePlacement(undefined, 2, { servergroup: 'g1' })).toEqual({
      count: 2,
      placements: [{ servergroup: 'g1' }, { servergroup: 'g1' }],
    });
  });

  it('adds the zone of the spec', () => {
    expect(mergePlacement(undefined, 1, { servergroup: 'g1', zone: 'ZONE1' })).toEqual({
      count: 1,
      placements: [{ servergroup: 'g1', zone: 'ZONE1' }],
    });
  });

  it('merges into the placements another policy wrote, keeping their zones', () => {
    const existing = { count: 2, placements: [{ zone: 'ZONE1' }, { region_name: 'RegionTwo' }] };
    expect(mergePlacement(existing, 2, { servergroup: 'g1', zone: 'nova' })).toEqual({
      count: 2,
      placements: [
        { zone: 'ZONE1', servergroup: 'g1' },
        { region_name: 'RegionTwo', servergroup: 'g1', zone: 'nova' },
      ],
    });
  });

  it('lets a DRS host zone replace the zone of another policy', () => {
    const existing = { count: 1, placements: [{ zone: 'ZONE1' }] };
    expect(mergePlacement(existing, 1, { servergroup: 'g', zone: 'nova:drs1' }, true)).toEqual({
      count: 1,
      placements: [{ zone: 'nova:drs1', servergroup: 'g' }],
    });
  });
});

describe('affinity spec checks against the cloud', () => {
  const drivers = createFakeCloud().drivers({ userId: 'u1', projectId: 'p1' });

  it('accepts an available zone and no zone at all', async () => {
    await expect(
      validateAffinityWithCloud({ availability_zone: 'ZONE2' }, drivers),
    ).resolves.toBeUndefined();
    await expect(
      validateAffinityWithCloud({ availability_zone: null }, drivers),
    ).resolves.toBeUndefined();
  });

  it('refuses a zone Nova does not have', async () => {
    const err = await validateAffinityWithCloud({ availability_zone: 'ZONE7' }, drivers).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidSpec);
    expect((err as Error).message).toBe(
      "The specified availability_zone 'ZONE7' could not be found.",
    );
  });
});
