/** The OrchestrationDriver of the fake cloud (Heat). */
import { CloudError, type OrchestrationDriver, type Resource } from '../../types.js';
import { badRequest, findDoc, isoZ, str } from '../common.js';
import { K } from '../kinds.js';
import { hintsFromMap, hintsFromTags, mergeHints } from '../simulate.js';
import type { FakeWorld } from '../world.js';
import {
  checkStack,
  createStack,
  deleteStack,
  parseStackInput,
  stackMissing,
  updateStack,
} from './stacks.js';
import { templateResources } from './template.js';

/** The stack a preview would create (nothing is stored). */
function previewStack(body: Record<string, unknown>, projectId: string): Resource {
  const input = parseStackInput(body);
  const hints = mergeHints(hintsFromMap(input.params), hintsFromTags(input.tags));
  if (hints.fail.has('preview')) throw new CloudError(400, 'Simulated failure of stack preview.');
  const name = str(body, 'stack_name') ?? '';
  if (!name) throw badRequest('Invalid stack name  must contain only alphanumeric characters.');
  return {
    id: 'None',
    stack_name: name,
    description: String(input.template.description ?? 'No description'),
    parameters: input.params,
    tags: input.tags,
    timeout_mins: input.timeoutMins,
    disable_rollback: input.disableRollback,
    project: projectId,
    resources: templateResources(input.template).map(([resourceName, type]) => ({
      resource_name: resourceName,
      resource_type: type,
      resource_action: 'INIT',
      resource_status: 'COMPLETE',
      physical_resource_id: '',
    })),
  };
}

const FAILED = (status: string): boolean => status.endsWith('_FAILED');

/** Heat calls for one caller. */
export function createOrchestrationDriver(
  world: FakeWorld,
  caller: { userId: string; projectId: string },
): OrchestrationDriver {
  const store = world.store;
  const need = (id: string) => world.need(K.stack, id, stackMissing(id));
  return {
    async createStack(body, options = {}) {
      if (options.preview) return previewStack(body, caller.projectId);
      return createStack(world, caller, body);
    },
    async getStack(id) {
      return need(id).r;
    },
    async findStack(nameOrId) {
      return findDoc(store, K.stack, nameOrId, 'stack')?.r ?? null;
    },
    async updateStack(id, body) {
      updateStack(world, id, body);
    },
    async deleteStack(id) {
      deleteStack(world, id);
    },
    async checkStack(id) {
      checkStack(world, id);
    },
    async abandonStack(id) {
      return store.tx(() => {
        const doc = need(id);
        const resources =
          (doc.x.resources as { name: string; type: string; physicalId: string }[]) ?? [];
        store.remove(K.stack, id);
        world.touch(K.stack, id);
        const [action = 'CREATE', status = 'COMPLETE'] = String(doc.r.stack_status).split('_');
        return {
          id,
          name: doc.r.stack_name,
          action,
          status,
          template: doc.x.template,
          environment: doc.x.environment,
          files: doc.x.files,
          project_id: doc.r.project,
          stack_user_project_id: doc.r.stack_user_project_id,
          tags: doc.r.tags,
          abandoned_at: isoZ(world.now()),
          resources: Object.fromEntries(
            resources.map((r) => [
              r.name,
              {
                resource_id: r.physicalId,
                type: r.type,
                action,
                status,
                metadata: {},
                resource_data: {},
              },
            ]),
          ),
        };
      });
    },
    async getStackTemplate(id) {
      return (need(id).x.template as Record<string, unknown>) ?? {};
    },
    async getStackEnvironment(id) {
      const env = (need(id).x.environment as Record<string, unknown>) ?? {};
      return {
        parameters: {},
        parameter_defaults: {},
        resource_registry: { resources: {} },
        event_sinks: [],
        encrypted_param_names: [],
        ...env,
      };
    },
    async getStackFiles(id) {
      return (need(id).x.files as Record<string, unknown>) ?? {};
    },
    async waitForStack(id, status, options) {
      const doc = await world.waitStatus(
        {
          kind: K.stack,
          id,
          field: 'stack_status',
          target: status,
          label: 'Stack',
          missing: stackMissing(id),
          fails: FAILED,
          reason: (d) => String(d.r.stack_status_reason ?? ''),
        },
        options,
      );
      return doc.r;
    },
    async waitForStackDelete(id, options) {
      await world.waitGone(K.stack, id, options, 'Stack', (d) =>
        d.r.stack_status === 'DELETE_FAILED' ? String(d.r.stack_status_reason) : null,
      );
    },
  };
}
