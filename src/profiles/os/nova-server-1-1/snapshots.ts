/** Snapshots of a node's server, recorded in the node's `data.snapshots` (oldest first). */
import { isPlainObject } from '../../../common/spec-schema/index.js';

/** A recorded snapshot: the Glance image made from the server. */
export interface SnapshotRecord {
  id: string;
  name: string;
  server_id: string;
  created_at: string;
}

/** The recorded snapshots of a node's data. */
export function snapshotsOf(data: Readonly<Record<string, unknown>>): SnapshotRecord[] {
  const list = data.snapshots;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (s): s is SnapshotRecord => isPlainObject(s) && typeof s.id === 'string',
  ) as SnapshotRecord[];
}

/** The latest recorded snapshot, or null. */
export function latestSnapshot(data: Readonly<Record<string, unknown>>): SnapshotRecord | null {
  return snapshotsOf(data).at(-1) ?? null;
}
