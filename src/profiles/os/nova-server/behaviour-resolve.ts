/**
 * Looking up what a Nova server spec names (flavor, image, key pair, availability zone,
 * volumes), with the error each phase reports: EResourceCreation while creating,
 * EResourceUpdate while updating, InvalidSpec while validating a profile.
 */
import {
  EResourceCreation,
  EResourceUpdate,
  InternalError,
  InvalidSpec,
  type SenlinError,
} from '../../../common/errors.js';
import type { CloudDrivers, Resource } from '../../../drivers/types.js';
import { isNotFound, reasonOf } from '../../behaviour-support.js';

/** Why a lookup is made: it decides the error raised when it fails. */
export type Phase = 'create' | 'update' | 'validate';

/** The error of a failed check in a phase (`serverId` names the server while updating). */
export function phaseError(phase: Phase, serverId: string | null, message: string): SenlinError {
  if (phase === 'create') return new EResourceCreation('server', message.replace(/\.+$/, ''));
  if (phase === 'update') {
    return new EResourceUpdate('server', serverId ?? '', message.replace(/\.+$/, ''));
  }
  return new InvalidSpec(message);
}

/**
 * The error of a failed cloud call in a phase: a 404 reads `notFound`; while validating other
 * failures are internal errors rather than a bad spec.
 */
export function phaseCloudError(
  phase: Phase,
  serverId: string | null,
  err: unknown,
  notFound: string,
): SenlinError {
  if (isNotFound(err)) return phaseError(phase, serverId, notFound);
  if (phase === 'validate') return new InternalError(reasonOf(err));
  return phaseError(phase, serverId, reasonOf(err));
}

/** Where lookups report to. */
export interface LookupScope {
  readonly drivers: CloudDrivers;
  readonly phase: Phase;
  /** The server being updated, if any. */
  readonly serverId: string | null;
}

async function lookup(
  scope: LookupScope,
  notFound: string,
  find: () => Promise<Resource | null>,
): Promise<Resource> {
  let found: Resource | null;
  try {
    found = await find();
  } catch (err) {
    throw phaseCloudError(scope.phase, scope.serverId, err, notFound);
  }
  if (found === null) throw phaseError(scope.phase, scope.serverId, notFound);
  return found;
}

/** The flavor named by `nameOrId`; it must exist and not be disabled. */
export async function resolveFlavor(scope: LookupScope, nameOrId: string): Promise<Resource> {
  const flavor = await lookup(scope, `The specified flavor '${nameOrId}' could not be found.`, () =>
    scope.drivers.compute.findFlavor(nameOrId),
  );
  if (flavor['OS-FLV-DISABLED:disabled'] === true || flavor.is_disabled === true) {
    throw phaseError(scope.phase, scope.serverId, `The specified flavor '${nameOrId}' is disabled`);
  }
  return flavor;
}

/** The image named by `nameOrId` (Glance). */
export function resolveImage(scope: LookupScope, nameOrId: string): Promise<Resource> {
  return lookup(scope, `The specified image '${nameOrId}' could not be found.`, () =>
    scope.drivers.image.findImage(nameOrId),
  );
}

/** The key pair called `name`. */
export function resolveKeypair(scope: LookupScope, name: string): Promise<Resource> {
  return lookup(scope, `The specified key_name '${name}' could not be found.`, () =>
    scope.drivers.compute.findKeypair(name),
  );
}

/** Checks that `zone` is an available availability zone. */
export async function checkZone(scope: LookupScope, zone: string): Promise<void> {
  let zones: { zoneName: string; available: boolean }[];
  try {
    zones = await scope.drivers.compute.availabilityZones();
  } catch (err) {
    if (scope.phase === 'validate') throw new InternalError(reasonOf(err));
    throw phaseError(scope.phase, scope.serverId, reasonOf(err));
  }
  if (!zones.some((z) => z.available && z.zoneName === zone)) {
    throw phaseError(
      scope.phase,
      scope.serverId,
      `The specified availability_zone '${zone}' could not be found`,
    );
  }
}

/** The volume `id`; it must be `available` to boot a new server from it. */
export async function resolveVolume(scope: LookupScope, id: string): Promise<Resource> {
  let volume: Resource;
  try {
    volume = await scope.drivers.blockStorage.getVolume(id);
  } catch (err) {
    throw phaseCloudError(
      scope.phase,
      scope.serverId,
      err,
      `The specified volume '${id}' could not be found.`,
    );
  }
  if (volume.status !== 'available') {
    throw phaseError(
      scope.phase,
      scope.serverId,
      `The volume ${id} should be in 'available' status but is in '${String(volume.status)}' status.`,
    );
  }
  return volume;
}

/**
 * The block device mappings of a spec as Nova takes them: keys without a value dropped, the
 * images and volumes they name checked.
 */
export async function resolveBlockDevices(
  scope: LookupScope,
  mappings: readonly unknown[],
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const raw of mappings) {
    const bd: Record<string, unknown> = {};
    for (const [k, v] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
      if (v !== null && v !== undefined) bd[k] = v;
    }
    if (typeof bd.uuid === 'string' && bd.source_type === 'image') {
      await resolveImage(scope, bd.uuid);
    } else if (typeof bd.uuid === 'string' && bd.source_type === 'volume') {
      await resolveVolume(scope, bd.uuid);
    }
    out.push(bd);
  }
  return out;
}

/** Ids of the volumes attached to a server. */
export function attachedVolumeIds(server: Resource): string[] {
  const attached = server['os-extended-volumes:volumes_attached'] ?? server.attached_volumes;
  if (!Array.isArray(attached)) return [];
  return attached
    .map((v) => (typeof v === 'object' && v !== null ? (v as { id?: unknown }).id : undefined))
    .filter((id): id is string => typeof id === 'string');
}

/**
 * The image a server runs: its `image.id`, or for a server booted from a volume the image the
 * bootable attached volume was made from; null when there is neither. Volume lookups may throw.
 */
export async function currentImageId(
  drivers: CloudDrivers,
  server: Resource,
): Promise<string | null> {
  const image = server.image;
  if (
    typeof image === 'object' &&
    image !== null &&
    typeof (image as { id?: unknown }).id === 'string'
  ) {
    return (image as { id: string }).id;
  }
  if (typeof image === 'string' && image !== '') return image;
  let found: string | null = null;
  for (const id of attachedVolumeIds(server)) {
    const volume = await drivers.blockStorage.getVolume(id);
    const bootable = volume.bootable === true || String(volume.bootable).toLowerCase() === 'true';
    const meta = volume.volume_image_metadata;
    if (bootable && typeof meta === 'object' && meta !== null) {
      const imageId = (meta as { image_id?: unknown }).image_id;
      if (typeof imageId === 'string') found = imageId;
    }
  }
  return found;
}
