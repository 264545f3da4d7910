/**
 * Docker daemons of the fake cloud: containers are kept per daemon URL. A daemon at an
 * address of the cloud's networks answers only while the server (or stack) owning that address
 * is running, so containers on a stopped host fail like on a real one.
 */
import { randomBytes } from 'node:crypto';
import { CloudError, type ContainerDriver } from '../../types.js';
import { badRequest, conflict, notFound } from '../common.js';
import { K } from '../kinds.js';
import { addressState } from '../neutron/liveness.js';
import type { Doc } from '../store.js';
import type { FakeWorld } from '../world.js';

const NAME_RE = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

function daemonHost(url: string): string {
  const match = /^[a-z+]+:\/\/\[?([^\]/:]+)/i.exec(url);
  return match?.[1] ?? '';
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function state(
  status: string,
  ms: number,
  previous: Record<string, unknown>,
): Record<string, unknown> {
  const running = status === 'running' || status === 'paused';
  return {
    ...previous,
    Status: status,
    Running: running,
    Paused: status === 'paused',
    Restarting: false,
    OOMKilled: false,
    Dead: false,
    Pid: running ? 1000 + Math.floor(Math.random() * 30000) : 0,
    ExitCode: 0,
    Error: '',
    ...(status === 'running' && previous.Status !== 'paused' ? { StartedAt: iso(ms) } : {}),
    ...(status === 'exited' ? { FinishedAt: iso(ms) } : {}),
  };
}

/** A Docker client for the daemon at `url`. */
export function createContainerDriver(world: FakeWorld, url: string): ContainerDriver {
  const store = world.store;
  const reachable = (): void => {
    const host = daemonHost(url);
    if (addressState(world, host) === 'down')
      throw new CloudError(
        503,
        `Cannot connect to the Docker daemon at ${url}. Is the docker daemon running?`,
      );
  };
  const find = (ref: string): Doc => {
    reachable();
    const mine = store.byParent(K.container, url);
    const hit =
      mine.find((d) => d.r.Id === ref) ??
      mine.find((d) => d.r.Name === `/${ref.replace(/^\//, '')}`) ??
      mine.filter((d) => String(d.r.Id).startsWith(ref))[0];
    if (!hit || ref === '') throw notFound(`No such container: ${ref}`);
    return hit;
  };
  const checkName = (name: string, self: string | null): string => {
    if (!NAME_RE.test(name))
      throw badRequest(
        `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
      );
    const full = `/${name.replace(/^\//, '')}`;
    const taken = store
      .byName(K.container, full)
      .find((d) => d.x.daemon === url && d.r.Id !== self);
    if (taken)
      throw conflict(
        `Conflict. The container name "${full}" is already in use by container "${String(taken.r.Id)}". You have to remove (or rename) that container to be able to reuse that name.`,
      );
    return full;
  };
  const mutate = (ref: string, fn: (doc: Doc) => void): void => {
    store.tx(() => {
      const doc = find(ref);
      fn(doc);
      world.save(K.container, doc);
    });
  };
  const status = (doc: Doc): string => String((doc.r.State as { Status: string }).Status);
  const setStatus = (doc: Doc, s: string): void => {
    doc.r.State = state(s, world.now(), doc.r.State as Record<string, unknown>);
  };
  return {
    async createContainer(options) {
      if (!options.image) throw badRequest('image is required');
      return store.tx(() => {
        reachable();
        const id = randomBytes(32).toString('hex');
        const name = checkName(options.name ?? `container_${id.slice(0, 8)}`, null);
        const now = world.now();
        const cmd = options.command ? options.command.split(' ').filter(Boolean) : [];
        const doc: Doc = {
          r: {
            id,
            Id: id,
            Name: name,
            Created: iso(now),
            Path: cmd[0] ?? '',
            Args: cmd.slice(1),
            Image: `sha256:${randomBytes(32).toString('hex')}`,
            Config: {
              Image: options.image,
              Cmd: cmd.length > 0 ? cmd : null,
              Hostname: id.slice(0, 12),
            },
            State: state('created', now, {}),
            RestartCount: 0,
            HostConfig: {},
            NetworkSettings: {},
          },
          x: { daemon: url },
          p: [],
        };
        world.save(K.container, doc);
        return id;
      });
    },
    async startContainer(id) {
      mutate(id, (doc) => {
        if (status(doc) === 'paused')
          throw conflict('cannot start a paused container, try unpause instead');
        if (status(doc) !== 'running') setStatus(doc, 'running');
      });
    },
    async stopContainer(id) {
      mutate(id, (doc) => {
        if (status(doc) === 'running' || status(doc) === 'paused') setStatus(doc, 'exited');
      });
    },
    async restartContainer(id) {
      mutate(id, (doc) => {
        setStatus(doc, 'running');
        doc.r.RestartCount = Number(doc.r.RestartCount ?? 0) + 1;
      });
    },
    async pauseContainer(id) {
      mutate(id, (doc) => {
        if (status(doc) === 'paused')
          throw conflict(`Container ${String(doc.r.Id)} is already paused`);
        if (status(doc) !== 'running')
          throw conflict(`Container ${String(doc.r.Id)} is not running`);
        setStatus(doc, 'paused');
      });
    },
    async unpauseContainer(id) {
      mutate(id, (doc) => {
        if (status(doc) !== 'paused') throw conflict(`Container ${String(doc.r.Id)} is not paused`);
        setStatus(doc, 'running');
      });
    },
    async renameContainer(id, name) {
      mutate(id, (doc) => {
        doc.r.Name = checkName(name, String(doc.r.Id));
      });
    },
    async removeContainer(id, options = {}) {
      store.tx(() => {
        const doc = find(id);
        const s = status(doc);
        if ((s === 'running' || s === 'paused') && !options.force)
          throw conflict(
            `You cannot remove a running container ${String(doc.r.Id)}. Stop the container before attempting removal or force remove`,
          );
        store.remove(K.container, doc.r.id);
        world.touch(K.container, doc.r.id);
      });
    },
    async inspectContainer(id) {
      const { id: _omit, ...rest } = find(id).r;
      return rest;
    },
  };
}
