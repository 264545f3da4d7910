/** The image and identity parts of the driver contract. */
import { afterEach, expect, it } from 'vitest';
import { CloudNotFound } from '../../src/drivers/types.js';
import { Cleanup, type TargetRef } from './target.js';

/** Registers the image scenarios. */
export function imageScenarios(target: TargetRef): void {
  it('finds an image by name and by id, and nothing for an unknown name', async () => {
    const t = target();
    const { image } = t.drivers;
    const found = await image.findImage(t.image);
    expect([found?.name, found?.status]).toEqual([t.image, 'active']);
    const id = String(found?.id);
    expect((await image.findImage(id))?.name).toBe(t.image);
    expect((await image.getImage(id)).name).toBe(t.image);
    expect((await image.waitForImage(id, 'active', t.wait)).id).toBe(id);
    expect(await image.findImage('no-such-image')).toBeNull();
    await expect(image.getImage('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(
      CloudNotFound,
    );
  });
}

/** Registers the identity scenarios. */
export function identityScenarios(target: TargetRef): void {
  let cleanup = new Cleanup();
  afterEach(async () => {
    const failures = await cleanup.run();
    cleanup = new Cleanup();
    expect(failures).toEqual([]);
  });

  it('creates, finds and deletes a trust to the service user', async () => {
    const t = target();
    const identity = t.trust.trustorDrivers.identity;
    const trustee = await identity.serviceUserId();
    expect(trustee).toMatch(/\S/);
    const trust = await identity.createTrust({
      trustorUserId: t.trust.trustorUserId,
      trusteeUserId: trustee,
      projectId: t.trust.projectId,
      roles: t.trust.roles,
    });
    cleanup.add(() => identity.deleteTrust(trust.id));
    expect([trust.trustor_user_id, trust.trustee_user_id, trust.project_id]).toEqual([
      t.trust.trustorUserId,
      trustee,
      t.trust.projectId,
    ]);
    expect(trust.impersonation).toBe(true);
    const roles = (trust.roles as { name: string }[]).map((r) => r.name);
    expect(roles).toEqual([...t.trust.roles]);

    // The trustor may hold other trusts to the same trustee (senlin-ts reuses the first one).
    const found = await identity.findTrust(t.trust.trustorUserId, trustee, t.trust.projectId);
    expect([found?.trustor_user_id, found?.trustee_user_id, found?.project_id]).toEqual([
      t.trust.trustorUserId,
      trustee,
      t.trust.projectId,
    ]);
    expect(await identity.findTrust(t.trust.trustorUserId, trustee, 'no-such-project')).toBeNull();

    await identity.deleteTrust(trust.id);
    const after = await identity.findTrust(t.trust.trustorUserId, trustee, t.trust.projectId);
    expect(after?.id).not.toBe(trust.id);
    await expect(identity.deleteTrust(trust.id)).rejects.toBeInstanceOf(CloudNotFound);
  });

  it('lists the regions of the cloud', async () => {
    const t = target();
    expect(await t.drivers.identity.listRegions()).toContain(t.region);
  });
}
