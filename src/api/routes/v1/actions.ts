/** /v1/actions */
import { Forbidden } from '../../../common/errors.js';
import type { Conductor } from '../../../conductor/index.js';
import { parseBoolParam, parseListQuery } from '../../listing.js';
import type { RouteDef } from '../../route.js';
import { ActionUpdateRequest, actionList } from '../../schemas/actions.js';
import { updateBody } from '../../schemas/nodes-body.js';
import { parseRequest } from '../../validation/request-object.js';
import { actionView } from '../../views/actions.js';
import { webobBody } from '../../webob.js';

/** Routes of actions. */
export function actionRoutes(conductor: Conductor): RouteDef[] {
  const ops = conductor.actions;
  return [
    {
      method: 'GET',
      url: '/v1/actions',
      rule: 'actions:index',
      handler: async ({ ctx, query, version }) => {
        const req = parseListQuery(actionList, query, version);
        const actions = await ops.list(ctx, req);
        return { status: 200, body: { actions: actions.map((a) => actionView(a, version)) } };
      },
    },
    {
      // Routed as upstream does, but its rule is not registered: everybody is refused.
      method: 'POST',
      url: '/v1/actions',
      rule: 'actions:create',
      handler: async () => {
        throw new Forbidden();
      },
    },
    {
      method: 'GET',
      url: '/v1/actions/:action_id',
      rule: 'actions:get',
      handler: async ({ ctx, params, version }) => ({
        status: 200,
        body: { action: actionView(await ops.get(ctx, params.action_id ?? ''), version) },
      }),
    },
    {
      method: 'PATCH',
      url: '/v1/actions/:action_id',
      rule: 'actions:update',
      minVersion: '1.12',
      handler: async ({ ctx, params, query, body, version }) => {
        const identity = params.action_id ?? '';
        const inner = updateBody('action', body);
        const forceParam = query.force;
        const forceText = Array.isArray(forceParam) ? forceParam.at(-1) : forceParam;
        const force = forceText === undefined ? false : parseBoolParam('force', forceText);
        const parsed = parseRequest(ActionUpdateRequest, { ...inner, force, identity }, version);
        await ops.update(ctx, identity, parsed.status as string, parsed.force === true, version);
        // Upstream answers with webob's 202 page and without the microversion headers.
        const page = webobBody(202, '', 'application/json');
        return {
          status: 202,
          body: JSON.parse(page.body) as unknown,
          microversionHeaders: false,
        };
      },
    },
  ];
}
