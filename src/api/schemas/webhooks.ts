/** Request objects of `POST /v1/webhooks/{id}/trigger`. */
import type { RequestObjectSpec } from '../validation/fields.js';

/** Microversions 1.0–1.9 with `V=1`: the body must be `{"params": {...}}`. */
export const WebhookTriggerRequest: RequestObjectSpec = {
  name: 'WebhookTriggerRequest',
  fields: {
    identity: { kind: 'string' },
    body: {
      kind: 'object',
      body: {
        name: 'WebhookTriggerRequestBody',
        fields: { params: { kind: 'json', nullable: true, default: {} } },
      },
    },
  },
};

/** Otherwise the whole body is the params. */
export const WebhookTriggerRequestParamsInBody: RequestObjectSpec = {
  name: 'WebhookTriggerRequestParamsInBody',
  fields: {
    identity: { kind: 'string' },
    body: { kind: 'json', nullable: true, default: {} },
  },
};
