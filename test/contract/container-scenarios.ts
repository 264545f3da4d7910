/** The Docker part of the driver contract: a container's life on one daemon. */
import { afterEach, expect, it } from 'vitest';
import { CloudConflict, CloudNotFound } from '../../src/drivers/types.js';
import { type ServicesTargetRef, serviceName } from './services-target.js';
import { Cleanup } from './target.js';

function status(details: Record<string, unknown>): string {
  return String((details.State as { Status?: string } | undefined)?.Status);
}

/** Registers the Docker scenarios (skipped when the target has no daemon). */
export function containerScenarios(target: ServicesTargetRef): void {
  let cleanup = new Cleanup();
  afterEach(async () => {
    const failures = await cleanup.run();
    cleanup = new Cleanup();
    expect(failures).toEqual([]);
  });

  it('runs a container through its life: start, pause, rename, restart, stop, remove', async (ctx) => {
    const t = target();
    if (t.dockerUrl === null) {
      ctx.skip();
      return;
    }
    const docker = t.drivers.container(t.dockerUrl);
    const name = serviceName(t, 'box');
    const id = await docker.createContainer({ image: t.dockerImage, name, command: 'sleep 600' });
    cleanup.add(() => docker.removeContainer(id, { force: true }));
    const created = await docker.inspectContainer(id);
    expect([created.Id, created.Name, status(created)]).toEqual([id, `/${name}`, 'created']);
    expect((created.Config as { Image: string }).Image).toBe(t.dockerImage);

    await docker.startContainer(id);
    expect(status(await docker.inspectContainer(id))).toBe('running');
    await docker.startContainer(id);
    await docker.pauseContainer(id);
    expect(status(await docker.inspectContainer(id))).toBe('paused');
    await expect(docker.pauseContainer(id)).rejects.toBeInstanceOf(CloudConflict);
    await docker.unpauseContainer(id);
    await docker.renameContainer(id, `${name}-renamed`);
    expect((await docker.inspectContainer(name.concat('-renamed'))).Id).toBe(id);
    await docker.restartContainer(id, 1);
    expect(status(await docker.inspectContainer(id))).toBe('running');
    await expect(docker.removeContainer(id)).rejects.toBeInstanceOf(CloudConflict);
    await docker.stopContainer(id, 1);
    expect(status(await docker.inspectContainer(id))).toBe('exited');
    await docker.removeContainer(id);
    await expect(docker.inspectContainer(id)).rejects.toBeInstanceOf(CloudNotFound);
  });
}
