/**
 * Nova server actions (`POST /servers/{id}/action`). Bodies follow the negotiated microversion:
 * `force` of evacuate and live migration exists from 2.29/2.30 to 2.67 only; a target host of a
 * cold migration needs 2.56; createImage answers the image id in the body from 2.45 (in the
 * Location header before).
 */
import { CloudError, type ServerSimpleAction } from '../types.js';
import type { ComputeApi } from './compute-api.js';
import { seg } from './find.js';

const SIMPLE: Readonly<Record<ServerSimpleAction, string>> = {
  pause: 'pause',
  unpause: 'unpause',
  suspend: 'suspend',
  resume: 'resume',
  lock: 'lock',
  unlock: 'unlock',
  start: 'os-start',
  stop: 'os-stop',
  unrescue: 'unrescue',
};

/** An action without parameters (pause, start, lock, …). */
export async function simpleAction(
  api: ComputeApi,
  id: string,
  action: ServerSimpleAction,
): Promise<void> {
  const name = SIMPLE[action];
  if (!name) throw new CloudError(400, `Unknown server action ${String(action)}.`);
  await api.action(id, { [name]: null });
}

/** Rebuilds a server from an image (optionally renaming it and setting its password). */
export async function rebuild(
  api: ComputeApi,
  id: string,
  options: { image: string; name?: string; adminPass?: string | null },
): Promise<void> {
  const body: Record<string, unknown> = { imageRef: options.image };
  if (options.name) body.name = options.name;
  if (options.adminPass) body.adminPass = options.adminPass;
  await api.action(id, { rebuild: body });
}

/** Soft or hard reboot. */
export async function reboot(api: ComputeApi, id: string, type: 'SOFT' | 'HARD'): Promise<void> {
  await api.action(id, { reboot: { type } });
}

/** Rescue mode, optionally with a password and a rescue image. */
export async function rescue(
  api: ComputeApi,
  id: string,
  options: { adminPass?: string; imageRef?: string },
): Promise<void> {
  const body: Record<string, unknown> = {};
  if (options.adminPass) body.adminPass = options.adminPass;
  if (options.imageRef) body.rescue_image_ref = options.imageRef;
  await api.action(id, { rescue: Object.keys(body).length > 0 ? body : null });
}

/** Cold migration, to a named host when given (microversion 2.56 or later). */
export async function migrate(
  api: ComputeApi,
  id: string,
  options: { host?: string } = {},
): Promise<void> {
  if (options.host && !(await api.atLeast('2.56'))) {
    throw new CloudError(400, 'This cloud cannot migrate a server to a named host.');
  }
  await api.action(id, { migrate: options.host ? { host: options.host } : null });
}

/** Live migration (`block_migration` defaults to `auto`). */
export async function liveMigrate(
  api: ComputeApi,
  id: string,
  options: { host?: string | null; blockMigration?: boolean | 'auto' },
): Promise<void> {
  const auto = await api.atLeast('2.25');
  const block = options.blockMigration ?? (auto ? 'auto' : false);
  const body: Record<string, unknown> = { host: options.host ?? null, block_migration: block };
  if (!auto) body.disk_over_commit = false;
  await api.action(id, { 'os-migrateLive': body });
}

/** Evacuation from a failed host. */
export async function evacuate(
  api: ComputeApi,
  id: string,
  options: { host?: string; adminPass?: string; force?: boolean },
): Promise<void> {
  const body: Record<string, unknown> = {};
  if (options.host) body.host = options.host;
  if (options.adminPass) body.adminPass = options.adminPass;
  if (options.force && options.host && (await api.atLeast('2.29'))) {
    if (!(await api.atLeast('2.68'))) body.force = true;
  }
  if (!(await api.atLeast('2.14'))) body.onSharedStorage = false;
  await api.action(id, { evacuate: body });
}

/** Makes an image of a server; returns the image id. */
export async function createImage(
  api: ComputeApi,
  id: string,
  name: string,
  metadata: Record<string, string> = {},
): Promise<string> {
  const response = await api.request<{ image_id?: unknown } | null>(`/servers/${seg(id)}/action`, {
    method: 'POST',
    body: { createImage: { name, metadata } },
  });
  const fromBody = response.body?.image_id;
  if (typeof fromBody === 'string') return fromBody;
  const location = response.headers.get('location') ?? '';
  const fromHeader = location.replace(/\/+$/, '').split('/').pop();
  if (fromHeader) return fromHeader;
  throw new CloudError(502, 'Nova did not say which image it made.');
}
