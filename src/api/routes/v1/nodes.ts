/** /v1/nodes */
import { HTTPBadRequest } from '../../../common/errors.js';
import { pyStr } from '../../../common/py-repr.js';
import type { Conductor } from '../../../conductor/index.js';
import type { NodeUpdateInput } from '../../../conductor/nodes.js';
import { parseBoolParam, parseListQuery } from '../../listing.js';
import type { ApiCall, RouteDef } from '../../route.js';
import { parseWrapped } from '../../schemas/common.js';
import {
  NodeAdoptPreviewRequest,
  NodeAdoptRequest,
  NodeCheckRequest,
  NodeCreateRequest,
  NodeDeleteRequest,
  NodeGetRequest,
  NodeOperationRequest,
  NodeRecoverRequest,
  NodeUpdateRequest,
  nodeList,
} from '../../schemas/nodes.js';
import { isJsonObject, singleKey, updateBody } from '../../schemas/nodes-body.js';
import { parseRequest } from '../../validation/request-object.js';
import { nodeView } from '../../views/nodes.js';

type Json = Record<string, unknown>;

function lastQuery(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.at(-1) : value;
}

/** `force` of a node delete: only from the JSON body, strict `true`/`false` (any case). */
function deleteForce(body: unknown): boolean | null {
  if (!isJsonObject(body) || Object.keys(body).length === 0) return null;
  const force = body.force;
  if (force === undefined || force === null) return null;
  return parseBoolParam('force', pyStr(force));
}

/** Routes of nodes. */
export function nodeRoutes(conductor: Conductor): RouteDef[] {
  const ops = conductor.nodes;

  async function nodeAction({ ctx, params, body, version }: ApiCall) {
    const identity = params.node_id ?? '';
    const { key, value } = singleKey(body, {
      none: 'No action specified.',
      many: 'Multiple actions specified.',
    });
    if (key !== 'check' && key !== 'recover') {
      throw new HTTPBadRequest(`Unrecognized action '${key}' specified`);
    }
    if (!isJsonObject(value)) throw new HTTPBadRequest('The params provided is not a map.');
    const spec = key === 'check' ? NodeCheckRequest : NodeRecoverRequest;
    const parsed = parseRequest(spec, { identity, params: value }, version);
    const given = (parsed.params as Json | null | undefined) ?? null;
    const actionId =
      key === 'check'
        ? await ops.check(ctx, identity, given)
        : await ops.recover(ctx, identity, given);
    return { status: 202, body: { action: actionId }, location: `/v1/actions/${actionId}` };
  }

  return [
    {
      method: 'GET',
      url: '/v1/nodes',
      rule: 'nodes:index',
      handler: async ({ ctx, query, version }) => {
        const req = parseListQuery(nodeList, query, version);
        const nodes = await ops.list(ctx, req);
        return { status: 200, body: { nodes: nodes.map((n) => nodeView(n, version)) } };
      },
    },
    {
      method: 'POST',
      url: '/v1/nodes',
      rule: 'nodes:create',
      handler: async ({ ctx, body, version }) => {
        const input = parseWrapped(NodeCreateRequest, 'node', body, version);
        const { node, actionId } = await ops.create(ctx, {
          name: input.name as string,
          profileId: input.profile_id as string,
          clusterId: input.cluster_id as string | null | undefined,
          role: input.role as string | null | undefined,
          metadata: input.metadata as Json | null | undefined,
        });
        return {
          status: 202,
          body: { node: nodeView(node, version) },
          location: `/v1/actions/${actionId}`,
        };
      },
    },
    {
      method: 'POST',
      url: '/v1/nodes/adopt',
      rule: 'nodes:adopt',
      minVersion: '1.7',
      handler: async ({ ctx, body, version }) => {
        const input = parseRequest(NodeAdoptRequest, body, version);
        const node = await ops.adopt(ctx, {
          identity: input.identity as string,
          type: input.type as string,
          name: input.name as string | null | undefined,
          role: input.role as string | null | undefined,
          metadata: input.metadata as Json | null | undefined,
          overrides: input.overrides as Json | null | undefined,
          snapshot: input.snapshot as boolean | null | undefined,
        });
        return { status: 200, body: { node: nodeView(node, version) } };
      },
    },
    {
      method: 'POST',
      url: '/v1/nodes/adopt-preview',
      rule: 'nodes:adopt_preview',
      minVersion: '1.7',
      handler: async ({ ctx, body, version }) => {
        const input = parseRequest(NodeAdoptPreviewRequest, body, version);
        const preview = await ops.adoptPreview(ctx, {
          identity: input.identity as string,
          type: input.type as string,
          overrides: input.overrides as Json | null | undefined,
          snapshot: input.snapshot as boolean | null | undefined,
        });
        return { status: 200, body: { node_profile: { node_preview: preview } } };
      },
    },
    {
      method: 'GET',
      url: '/v1/nodes/:node_id',
      rule: 'nodes:get',
      handler: async ({ ctx, params, query, version }) => {
        const identity = params.node_id ?? '';
        const data: Json = { identity };
        const details = lastQuery(query.show_details);
        if (details !== undefined) data.show_details = parseBoolParam('show_details', details);
        const parsed = parseRequest(NodeGetRequest, data, version);
        const node = await ops.get(ctx, identity, parsed.show_details === true);
        return { status: 200, body: { node: nodeView(node, version) } };
      },
    },
    {
      method: 'PATCH',
      url: '/v1/nodes/:node_id',
      rule: 'nodes:update',
      handler: async ({ ctx, params, body, version }) => {
        const identity = params.node_id ?? '';
        const inner = updateBody('node', body);
        const input = parseRequest(NodeUpdateRequest, { ...inner, identity }, version);
        const changes: NodeUpdateInput = {};
        if ('name' in input) changes.name = input.name as string | null;
        if ('profile_id' in input) changes.profileId = input.profile_id as string | null;
        if ('role' in input) changes.role = input.role as string | null;
        if ('metadata' in input) changes.metadata = input.metadata as Json | null;
        if ('tainted' in input) changes.tainted = input.tainted as boolean | null;
        const { node, actionId } = await ops.update(ctx, identity, changes);
        return {
          status: 202,
          body: { node: nodeView(node, version) },
          location: `/v1/actions/${actionId}`,
        };
      },
    },
    {
      method: 'DELETE',
      url: '/v1/nodes/:node_id',
      rule: 'nodes:delete',
      handler: async ({ ctx, params, body, version }) => {
        const identity = params.node_id ?? '';
        const parsed = parseRequest(
          NodeDeleteRequest,
          { identity, force: deleteForce(body) },
          version,
        );
        const actionId = await ops.delete(ctx, identity, parsed.force === true);
        return { status: 202, body: null, location: `/v1/actions/${actionId}` };
      },
    },
    {
      method: 'POST',
      url: '/v1/nodes/:node_id/actions',
      rule: 'nodes:action',
      handler: nodeAction,
    },
    {
      method: 'POST',
      url: '/v1/nodes/:node_id/ops',
      rule: 'nodes:operation',
      minVersion: '1.4',
      handler: async ({ ctx, params, body, version }) => {
        const identity = params.node_id ?? '';
        const { key, value } = singleKey(body, {
          none: 'No operation specified.',
          many: 'Multiple operations specified.',
        });
        const parsed = parseRequest(
          NodeOperationRequest,
          { identity, operation: key, params: value },
          version,
        );
        const actionId = await ops.operation(
          ctx,
          identity,
          key,
          (parsed.params as Json | null | undefined) ?? null,
        );
        return { status: 202, body: { action: actionId }, location: `/v1/actions/${actionId}` };
      },
    },
  ];
}
