/** Wire shape of profile types and policy types. */
import type { ApiVersion } from '../../common/api-version.js';
import type {
  OperationMap,
  PropertyMap,
  SupportStatusMap,
} from '../../common/spec-schema/index.js';
import { operationsToWire, toWire } from '../../common/spec-schema/index.js';

/** What profile and policy type descriptors have in common. */
interface TypeDescriptor {
  readonly name: string;
  readonly version: string;
  readonly typeName: string;
  readonly supportStatus: SupportStatusMap;
  readonly schema: PropertyMap;
}

/** A list entry: `name-version` up to 1.4; name, version and this version's status from 1.5. */
export function typeListEntry(t: TypeDescriptor, version: ApiVersion): Record<string, unknown> {
  if (!version.atLeast('1.5')) return { name: t.typeName };
  return {
    name: t.name,
    version: t.version,
    support_status: { [t.version]: structuredClone(t.supportStatus[t.version] ?? []) },
  };
}

/** A show body: the name as requested, the schema and (from 1.5) the full status map. */
export function typeShow(
  t: TypeDescriptor,
  requestedName: string,
  version: ApiVersion,
): Record<string, unknown> {
  return {
    name: requestedName,
    schema: toWire(t.schema),
    ...(version.atLeast('1.5') ? { support_status: structuredClone(t.supportStatus) } : {}),
  };
}

/** The operations of a profile type. */
export function operationsView(operations: OperationMap): Record<string, unknown> {
  return operationsToWire(operations);
}
