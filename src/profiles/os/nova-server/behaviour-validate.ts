/** Checking a Nova server spec against the cloud when a profile is created. */
import { isPlainObject } from '../../../common/spec-schema/index.js';
import type { ProfileCallContext } from '../../../engine/contracts.js';
import { textOf } from '../../behaviour-support.js';
import { resolveNetworkEntry } from './behaviour-network.js';
import {
  checkZone,
  type LookupScope,
  resolveFlavor,
  resolveImage,
  resolveKeypair,
} from './behaviour-resolve.js';

/**
 * Checks that the availability zone, flavor (not disabled), image, key pair and every network
 * entry of a spec exist in the cloud; raises InvalidSpec with upstream's messages.
 */
export async function validateServerSpec(
  properties: Readonly<Record<string, unknown>>,
  ctx: ProfileCallContext,
): Promise<void> {
  const scope: LookupScope = { drivers: ctx.drivers, phase: 'validate', serverId: null };
  const zone = textOf(properties.availability_zone);
  if (zone !== null) await checkZone(scope, zone);
  await resolveFlavor(scope, textOf(properties.flavor) ?? '');
  const image = textOf(properties.image);
  if (image !== null) await resolveImage(scope, image);
  const keyName = textOf(properties.key_name);
  if (keyName !== null) await resolveKeypair(scope, keyName);
  const networks = properties.networks;
  if (!Array.isArray(networks)) return;
  for (const entry of networks) {
    await resolveNetworkEntry(scope, isPlainObject(entry) ? entry : {});
  }
}
