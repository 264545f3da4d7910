/** The registry of profile behaviour: what each built-in profile type does at run time. */
import type { ProfileBehaviour } from '../engine/contracts.js';
import { dockerBehaviour } from './container/docker-behaviour.js';
import { heatStackBehaviour } from './os/heat-stack-behaviour.js';
import { novaServerBehaviour } from './os/nova-server/behaviour.js';
import { novaServer11Behaviour } from './os/nova-server-1-1/behaviour.js';

/** Lookup of profile behaviour by type name (`<type>-<version>`). */
export interface ProfileBehaviourRegistry {
  /** The behaviour of `typeName`, if any. */
  get(typeName: string): ProfileBehaviour | undefined;
  /** Type names that have behaviour, sorted. */
  typeNames(): readonly string[];
}

/** A registry over `entries` (type name → behaviour); later entries replace earlier ones. */
export function createProfileBehaviourRegistry(
  entries: Readonly<Record<string, ProfileBehaviour>>,
): ProfileBehaviourRegistry {
  const byName = new Map(Object.entries(entries));
  const names = Object.freeze([...byName.keys()].sort());
  return {
    get: (typeName) => byName.get(typeName),
    typeNames: () => names,
  };
}

/** Behaviour of the built-in profile types. */
export const builtinProfileBehaviours: Readonly<Record<string, ProfileBehaviour>> = Object.freeze({
  'container.dockerinc.docker-1.0': dockerBehaviour,
  'os.heat.stack-1.0': heatStackBehaviour,
  'os.nova.server-1.0': novaServerBehaviour,
  'os.nova.server-1.1': novaServer11Behaviour,
});

/** The registry of the built-in profile behaviour. */
export const profileBehaviours: ProfileBehaviourRegistry =
  createProfileBehaviourRegistry(builtinProfileBehaviours);
