/** /v1/events */
import type { Conductor } from '../../../conductor/index.js';
import { parseListQuery } from '../../listing.js';
import type { RouteDef } from '../../route.js';
import { eventList } from '../../schemas/events.js';
import { eventView } from '../../views/events.js';

/** Routes of events. */
export function eventRoutes(conductor: Conductor): RouteDef[] {
  const ops = conductor.events;
  return [
    {
      method: 'GET',
      url: '/v1/events',
      rule: 'events:index',
      handler: async ({ ctx, query, version }) => {
        const req = parseListQuery(eventList, query, version);
        return { status: 200, body: { events: (await ops.list(ctx, req)).map(eventView) } };
      },
    },
    {
      method: 'GET',
      url: '/v1/events/:event_id',
      rule: 'events:get',
      handler: async ({ ctx, params }) => ({
        status: 200,
        body: { event: eventView(await ops.get(ctx, params.event_id ?? '')) },
      }),
    },
  ];
}
