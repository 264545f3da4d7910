/**
 * /v1/webhooks/{id}/trigger: public, like upstream's trigger URL. No token is read, whatever
 * `[DEFAULT] auth_strategy` says; the receiver id in the URL is the credential, and the action
 * runs with the trust stored in the receiver: as the trust's owner when Keystone vouched for
 * it (auth_strategy = keystone), else as the receiver's owner.
 */
import { WebobError } from '../../../common/errors.js';
import type { Conductor } from '../../../conductor/index.js';
import type { ApiCall, RouteDef } from '../../route.js';
import {
  WebhookTriggerRequest,
  WebhookTriggerRequestParamsInBody,
} from '../../schemas/webhooks.js';
import { parseRequest } from '../../validation/request-object.js';

type Json = Record<string, unknown>;

/** Microversion from which the whole body is the params, whatever `V` says. */
export const PARAMS_IN_BODY_VERSION = '1.10';

/** The inputs a trigger request carries, by upstream's rules for each microversion. */
function triggerParams({ params, query, body, version }: ApiCall): Json | null {
  const identity = params.webhook_id ?? '';
  const v = query.V;
  const values = (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x) => x !== '');
  if (values.length === 0) {
    throw new WebobError(400, 'V query parameter is required in webhook trigger URL');
  }
  if (!version.atLeast(PARAMS_IN_BODY_VERSION) && values.length === 1 && values[0] === '1') {
    const parsed = parseRequest(
      WebhookTriggerRequest,
      { identity, body: body ?? { params: null } },
      version,
    );
    return ((parsed.body as Json | undefined)?.params as Json | null | undefined) ?? null;
  }
  const parsed = parseRequest(
    WebhookTriggerRequestParamsInBody,
    { identity, body: body ?? null },
    version,
  );
  return (parsed.body as Json | null | undefined) ?? null;
}

/** Routes of webhooks. */
export function webhookRoutes(conductor: Conductor): RouteDef[] {
  return [
    {
      method: 'POST',
      url: '/v1/webhooks/:webhook_id/trigger',
      rule: 'webhooks:trigger',
      public: true,
      handler: async (call) => {
        const inputs = triggerParams(call);
        const { userId, projectId, domainId } = call.ctx;
        const actionId = await conductor.webhooks.trigger(call.params.webhook_id ?? '', {
          params: inputs,
          requestId: call.ctx.requestId,
          apiVersion: call.version,
          // set when the receiver's trust was verified with Keystone (hooks/trust.ts)
          acting: userId && projectId ? { userId, projectId, domainId } : null,
        });
        return { status: 202, body: { action: actionId }, location: `/v1/actions/${actionId}` };
      },
    },
  ];
}
