/**
 * The check made when a cluster or node update names a new profile of the same type: the
 * profile type may refuse the move (e.g. `os.nova.server-1.1` refuses to shrink a volume).
 */
import type { ProfileRecord } from '../db/queries/profiles.js';
import { parseProfileSpec, profileTypes } from '../profiles/index.js';

function propertiesOf(profile: ProfileRecord): Readonly<Record<string, unknown>> | null {
  try {
    return parseProfileSpec(profile.spec ?? {}, { profileName: profile.name ?? '' }).properties;
  } catch {
    return null;
  }
}

/** Raises the type's 400 (InvalidSpec) when nodes may not move from `current` to `next`. */
export function checkProfileMove(current: ProfileRecord, next: ProfileRecord): void {
  if (current.id === next.id) return;
  const type = profileTypes.get(next.type ?? '');
  if (type?.validateUpdate === undefined) return;
  const before = propertiesOf(current);
  const after = propertiesOf(next);
  if (before === null || after === null) return;
  type.validateUpdate(before, after);
}
