/**
 * Stacks of the fake Heat: `<ACTION>_IN_PROGRESS` until the transition time, then
 * `<ACTION>_COMPLETE` (or `<ACTION>_FAILED` when `simulated_fail` names the action in the
 * parameters or tags). Template, environment and files are stored as given.
 */
import type { Resource } from '../../types.js';
import { badRequest, conflict, isoZ, newUuid, obj, str } from '../common.js';
import { K } from '../kinds.js';
import { allocateIp } from '../neutron/ipam.js';
import { networkSubnets } from '../neutron/ports.js';
import { hintsFromMap, hintsFromTags, mergeHints, tagList } from '../simulate.js';
import { type Doc, schedule } from '../store.js';
import type { Caller, FakeWorld } from '../world.js';
import {
  ADDRESSED_TYPES,
  checkTemplate,
  evaluateOutputs,
  type StackResource,
  templateResources,
} from './template.js';

const NAME_RE = /^[a-zA-Z][a-zA-Z0-9_.-]{0,254}$/;

/** What a create or update request carries, checked. */
export interface StackInput {
  template: Record<string, unknown>;
  templateUrl: string | null;
  params: Record<string, unknown>;
  environment: Record<string, unknown>;
  files: Record<string, unknown>;
  tags: string[] | null;
  timeoutMins: number | null;
  disableRollback: boolean;
}

/** Message of a missing stack. */
export function stackMissing(id: string): string {
  return `The Stack (${id}) could not be found.`;
}

/** Checks a create request (the template is required unless `template_url` is given). */
export function parseStackInput(body: Record<string, unknown>): StackInput {
  const templateUrl = str(body, 'template_url') ?? null;
  const template =
    obj(body, 'template') ?? (templateUrl ? { heat_template_version: '2016-10-14' } : null);
  if (!template) throw badRequest('Need more arguments: no template or template_url given.');
  const environment = obj(body, 'environment') ?? {};
  const given = { ...(obj(environment, 'parameters') ?? {}), ...(obj(body, 'parameters') ?? {}) };
  const timeout = body.timeout_mins ?? body.timeout;
  return {
    template,
    templateUrl,
    params: checkTemplate(template, given),
    environment,
    files: obj(body, 'files') ?? {},
    tags: body.tags === undefined || body.tags === null ? null : tagList(body.tags),
    timeoutMins: typeof timeout === 'number' ? timeout : null,
    disableRollback: body.disable_rollback !== false,
  };
}

function stackHints(doc: Doc) {
  return mergeHints(hintsFromMap(doc.r.parameters), hintsFromTags(doc.r.tags));
}

function assignResources(
  world: FakeWorld,
  stackId: string,
  input: StackInput,
  previous: StackResource[],
): StackResource[] {
  const kept = new Map(previous.map((r) => [r.name, r]));
  const subnet = world.store.byName(K.network, 'private')[0];
  const privateSubnet = subnet ? networkSubnets(world, subnet.r.id)[0] : undefined;
  const out = templateResources(input.template).map(([name, type]): StackResource => {
    const old = kept.get(name);
    kept.delete(name);
    if (old && old.type === type) return old;
    const address =
      ADDRESSED_TYPES.has(type) && privateSubnet
        ? allocateIp(world.store, privateSubnet, stackId)
        : null;
    return { name, type, physicalId: newUuid(), address };
  });
  for (const gone of kept.values())
    if (gone.address && privateSubnet) world.store.releaseIp(privateSubnet.id, gone.address);
  return out;
}

/** The parameters Heat shows (with the pseudo parameters). */
function shownParameters(
  doc: Doc,
  params: Record<string, unknown>,
  projectId: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params))
    out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return {
    ...out,
    'OS::stack_id': doc.r.id,
    'OS::stack_name': doc.r.stack_name,
    'OS::project_id': projectId,
  };
}

function finish(
  world: FakeWorld,
  doc: Doc,
  action: string,
  extra: Record<string, unknown> = {},
): void {
  const hints = stackHints(doc);
  const at = world.readyAt(hints);
  const fails = hints.fail.has(action.toLowerCase());
  doc.r.stack_status = `${action}_IN_PROGRESS`;
  doc.r.stack_status_reason = `Stack ${action} started`;
  schedule(doc, {
    at,
    set: fails
      ? {
          stack_status: `${action}_FAILED`,
          stack_status_reason: `Resource ${action} failed: Simulated failure of ${action.toLowerCase()} of stack ${doc.r.id}.`,
        }
      : {
          stack_status: `${action}_COMPLETE`,
          stack_status_reason: `Stack ${action} completed successfully`,
          ...extra,
        },
  });
}

/** Creates a stack. */
export function createStack(
  world: FakeWorld,
  caller: Caller,
  body: Record<string, unknown>,
): Resource {
  const name = str(body, 'stack_name') ?? '';
  if (!NAME_RE.test(name))
    throw badRequest(
      `Invalid stack name ${name} must contain only alphanumeric or "_-." characters, must start with alpha and must be 255 characters or less.`,
    );
  const input = parseStackInput(body);
  return world.store.tx(() => {
    if (world.store.byName(K.stack, name).some((d) => d.r.project === caller.projectId))
      throw conflict(`The Stack (${name}) already exists.`);
    const now = world.now();
    const doc: Doc = {
      r: {
        id: newUuid(),
        stack_name: name,
        description: String(input.template.description ?? 'No description'),
        template_description: String(input.template.description ?? 'No description'),
        stack_status: 'CREATE_IN_PROGRESS',
        stack_status_reason: 'Stack CREATE started',
        creation_time: isoZ(now),
        updated_time: null,
        deletion_time: null,
        parameters: {},
        outputs: [],
        tags: input.tags,
        timeout_mins: input.timeoutMins,
        disable_rollback: input.disableRollback,
        parent: null,
        project: caller.projectId,
        stack_owner: null,
        stack_user_project_id: caller.projectId,
        capabilities: [],
        notification_topics: [],
        links: [],
      },
      x: {},
      p: [],
    };
    doc.r.parameters = shownParameters(doc, input.params, caller.projectId);
    storeInput(world, doc, input, []);
    finish(world, doc, 'CREATE', { outputs: outputsOf(doc, input) });
    world.save(K.stack, doc);
    return { ...doc.r };
  });
}

function storeInput(
  world: FakeWorld,
  doc: Doc,
  input: StackInput,
  previous: StackResource[],
): void {
  doc.x.template = input.template;
  doc.x.templateUrl = input.templateUrl;
  doc.x.environment = input.environment;
  doc.x.files = input.files;
  doc.x.params = input.params;
  doc.x.resources = assignResources(world, doc.r.id, input, previous);
}

function outputsOf(doc: Doc, input: StackInput) {
  return evaluateOutputs(
    input.template,
    input.params,
    doc.x.resources as StackResource[],
    String(doc.r.stack_name),
  );
}

/** Refuses an action while another one is in progress. */
export function requireIdle(doc: Doc): void {
  const status = String(doc.r.stack_status);
  if (status.endsWith('_IN_PROGRESS'))
    throw conflict(
      `Stack ${String(doc.r.stack_name)} already has an action (${status.replace('_IN_PROGRESS', '')}) in progress.`,
    );
}

/** Updates a stack: given parts replace the stored ones, parameters are merged. */
export function updateStack(world: FakeWorld, id: string, body: Record<string, unknown>): void {
  world.change(K.stack, id, stackMissing(id), (doc) => {
    requireIdle(doc);
    const merged: Record<string, unknown> = {
      template: obj(body, 'template') ?? doc.x.template,
      environment: obj(body, 'environment') ?? doc.x.environment,
      files: obj(body, 'files') ?? doc.x.files,
      parameters: {
        ...(doc.x.params as Record<string, unknown>),
        ...(obj(body, 'parameters') ?? {}),
      },
      tags: 'tags' in body ? body.tags : doc.r.tags,
      timeout_mins: body.timeout_mins ?? doc.r.timeout_mins,
      disable_rollback: body.disable_rollback ?? doc.r.disable_rollback,
    };
    if (typeof body.template_url === 'string' && !obj(body, 'template'))
      merged.template_url = body.template_url;
    const input = parseStackInput(merged);
    storeInput(world, doc, input, (doc.x.resources as StackResource[]) ?? []);
    Object.assign(doc.r, {
      parameters: shownParameters(doc, input.params, String(doc.r.project)),
      tags: input.tags,
      timeout_mins: input.timeoutMins,
      disable_rollback: input.disableRollback,
      updated_time: isoZ(world.now()),
      description: String(input.template.description ?? 'No description'),
    });
    finish(world, doc, 'UPDATE', { outputs: outputsOf(doc, input) });
  });
}

/** Checks a stack: CHECK_IN_PROGRESS, then CHECK_COMPLETE. */
export function checkStack(world: FakeWorld, id: string): void {
  world.change(K.stack, id, stackMissing(id), (doc) => {
    requireIdle(doc);
    finish(world, doc, 'CHECK');
  });
}

/** Deletes a stack: DELETE_IN_PROGRESS, then gone (or DELETE_FAILED). */
export function deleteStack(world: FakeWorld, id: string): void {
  world.change(K.stack, id, stackMissing(id), (doc) => {
    if (doc.r.stack_status === 'DELETE_IN_PROGRESS') return;
    const hints = stackHints(doc);
    const at = world.readyAt(hints);
    doc.p = [];
    doc.r.stack_status = 'DELETE_IN_PROGRESS';
    doc.r.stack_status_reason = 'Stack DELETE started';
    if (hints.fail.has('delete')) {
      schedule(doc, {
        at,
        set: {
          stack_status: 'DELETE_FAILED',
          stack_status_reason: `Resource DELETE failed: Simulated failure of delete of stack ${id}.`,
        },
      });
      return;
    }
    world.store.releaseIps(id);
    schedule(doc, { at, del: true });
  });
}
