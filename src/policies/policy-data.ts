/**
 * The envelope a policy keeps its per-cluster data in (`cluster_policy.data`):
 * `{"<key>": {"version": "<version>", "data": {...}}}`, with key and version from the policy
 * type's `dataEnvelope`. Reading gives null when the key is absent or the version differs.
 */
import { isPlainObject } from '../common/spec-schema/index.js';
import { policyTypes } from './registry.js';

/** Key and version of a policy data envelope. */
export interface PolicyDataEnvelope {
  readonly key: string;
  readonly version: string;
}

/**
 * The envelope of a policy type, by `<type>-<version>` (or a type name without version, which
 * takes its first registered version). Throws for an unknown type.
 */
export function envelopeOf(typeName: string): PolicyDataEnvelope {
  const exact = policyTypes.get(typeName);
  const type = exact ?? policyTypes.list().find((t) => t.name === typeName);
  if (!type) throw new Error(`Unknown policy type '${typeName}'.`);
  return type.dataEnvelope;
}

/** Wraps a policy's data in its envelope, ready to be stored as binding data. */
export function wrapPolicyData(
  envelope: PolicyDataEnvelope,
  data: Record<string, unknown>,
): Record<string, unknown> {
  return { [envelope.key]: { version: envelope.version, data } };
}

/** The policy's data inside binding data, or null when absent or of another version. */
export function readPolicyData(
  envelope: PolicyDataEnvelope,
  bindingData: Readonly<Record<string, unknown>> | null | undefined,
): Record<string, unknown> | null {
  const entry = bindingData?.[envelope.key];
  if (!isPlainObject(entry) || entry.version !== envelope.version) return null;
  return isPlainObject(entry.data) ? { ...entry.data } : null;
}

/** The data a binding keeps for its policy (by the binding's `type`), or null. */
export function readBindingData(binding: {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
}): Record<string, unknown> | null {
  return readPolicyData(envelopeOf(binding.type), binding.data);
}

/**
 * Adds per-node placement entries to an action's `data.placement` (`{count, placements}`),
 * entry by entry: entry `m` is for the `m`-th node the action creates. A key an earlier policy
 * already chose for that node is kept unless `replaces(key, earlier)` says the new entry wins.
 * The region, zone and affinity policies all write through such a merge so that their
 * decisions add up.
 */
export function mergePlacements(
  actionData: Record<string, unknown>,
  entries: readonly Readonly<Record<string, unknown>>[],
  replaces: (key: string, earlier: unknown) => boolean = () => false,
): void {
  const existing = isPlainObject(actionData.placement) ? actionData.placement : {};
  const prior = Array.isArray(existing.placements) ? existing.placements : [];
  const length = Math.max(prior.length, entries.length);
  const placements: Record<string, unknown>[] = [];
  for (let m = 0; m < length; m++) {
    const merged: Record<string, unknown> = isPlainObject(prior[m]) ? { ...prior[m] } : {};
    for (const [key, value] of Object.entries(entries[m] ?? {})) {
      if (!(key in merged) || replaces(key, merged[key])) merged[key] = value;
    }
    placements.push(merged);
  }
  actionData.placement = { ...existing, count: length, placements };
}
