/** /v1/receivers */
import type { Conductor } from '../../../conductor/index.js';
import type { ReceiverUpdateInput } from '../../../conductor/receivers.js';
import { parseListQuery } from '../../listing.js';
import type { RouteDef } from '../../route.js';
import { parseWrapped } from '../../schemas/common.js';
import { updateBody } from '../../schemas/nodes-body.js';
import {
  ReceiverCreateRequest,
  ReceiverUpdateRequest,
  receiverList,
} from '../../schemas/receivers.js';
import { parseRequest } from '../../validation/request-object.js';
import { receiverView } from '../../views/receivers.js';

type Json = Record<string, unknown>;

/** Routes of receivers. */
export function receiverRoutes(conductor: Conductor): RouteDef[] {
  const ops = conductor.receivers;
  return [
    {
      method: 'GET',
      url: '/v1/receivers',
      rule: 'receivers:index',
      handler: async ({ ctx, query, version }) => {
        const req = parseListQuery(receiverList, query, version);
        return { status: 200, body: { receivers: (await ops.list(ctx, req)).map(receiverView) } };
      },
    },
    {
      method: 'POST',
      url: '/v1/receivers',
      rule: 'receivers:create',
      handler: async ({ ctx, body, version }) => {
        const input = parseWrapped(ReceiverCreateRequest, 'receiver', body, version);
        const receiver = await ops.create(ctx, {
          name: input.name as string,
          type: input.type as 'webhook' | 'message',
          clusterId: input.cluster_id as string | null | undefined,
          action: input.action as string | null | undefined,
          params: input.params as Json | null | undefined,
        });
        return { status: 201, body: { receiver: receiverView(receiver) } };
      },
    },
    {
      method: 'GET',
      url: '/v1/receivers/:receiver_id',
      rule: 'receivers:get',
      handler: async ({ ctx, params }) => ({
        status: 200,
        body: { receiver: receiverView(await ops.get(ctx, params.receiver_id ?? '')) },
      }),
    },
    {
      method: 'PATCH',
      url: '/v1/receivers/:receiver_id',
      rule: 'receivers:update',
      handler: async ({ ctx, params, body, version }) => {
        const identity = params.receiver_id ?? '';
        const inner = updateBody('receiver', body);
        const input = parseRequest(ReceiverUpdateRequest, { ...inner, identity }, version);
        const changes: ReceiverUpdateInput = {};
        if ('name' in input) changes.name = input.name as string | null;
        if ('action' in input) changes.action = input.action as string | null;
        if ('params' in input) changes.params = input.params as Json | null;
        const receiver = await ops.update(ctx, identity, changes);
        return { status: 200, body: { receiver: receiverView(receiver) } };
      },
    },
    {
      method: 'DELETE',
      url: '/v1/receivers/:receiver_id',
      rule: 'receivers:delete',
      handler: async ({ ctx, params }) => {
        await ops.delete(ctx, params.receiver_id ?? '');
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      url: '/v1/receivers/:receiver_id/notify',
      rule: 'receivers:notify',
      handler: async ({ ctx, params }) => {
        await ops.notify(ctx, params.receiver_id ?? '');
        return { status: 204 };
      },
    },
  ];
}
