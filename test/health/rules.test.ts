/**
 * The rules of the health manager without I/O: how registrations are read, how verdicts
 * combine, when the next run is, how the load is shared and when a manager is dead.
 */
import { describe, expect, it } from 'vitest';
import { readCheckPlan } from '../../src/health/check-plan.js';
import { liveManagers, nextDeadline, planTakeovers } from '../../src/health/distribution.js';
import { clampInterval } from '../../src/health/index.js';
import { expandPollUrl, withinGracePeriod } from '../../src/health/node-checks.js';
import { judgeAnswer } from '../../src/health/poll-url.js';
import type { RegistrationRecord } from '../../src/health/registry-store.js';
import { combine, healthy, unhealthy } from '../../src/health/verdict.js';
import { eventConcernsNode, nextDelayMs, transitionEvent } from '../../src/health/watch-rules.js';

function registration(over: Partial<RegistrationRecord> = {}): RegistrationRecord {
  return {
    id: 'r1',
    clusterId: 'c1',
    checkType: 'NODE_STATUS_POLLING',
    interval: 60,
    params: {},
    owner: null,
    enabled: true,
    ...over,
  };
}

const BOUNDS = { min: 60, max: 3600 };

describe('check plans', () => {
  it('clamp the interval between health_check_interval_min and check_interval_max', () => {
    expect(clampInterval(10, BOUNDS)).toBe(60);
    expect(clampInterval(120, BOUNDS)).toBe(120);
    expect(clampInterval(99999, BOUNDS)).toBe(3600);
    expect(clampInterval(0, BOUNDS)).toBe(60);
    expect(clampInterval(5, { min: 0, max: 3600 })).toBe(5);
  });

  it('read the detection modes and the recovery of the registration params', () => {
    const plan = readCheckPlan(
      registration({
        checkType: 'NODE_STATUS_POLL_URL,HYPERVISOR_STATUS_POLLING',
        interval: 90,
        params: {
          recover_action: [{ name: 'REBOOT', params: { type: 'SOFT' } }],
          fencing: ['COMPUTE'],
          node_delete_timeout: 7,
          node_force_recreate: true,
          recovery_conditional: 'ALL_FAILED',
          node_update_timeout: 42,
          detection_modes: [
            {
              type: 'NODE_STATUS_POLL_URL',
              poll_url: 'http://h/{nodename}',
              poll_url_ssl_verify: false,
              poll_url_conn_error_as_unhealthy: false,
              poll_url_healthy_response: 'ok',
              poll_url_retry_limit: 5,
              poll_url_retry_interval: 2,
            },
            { type: 'HYPERVISOR_STATUS_POLLING' },
          ],
        },
      }),
      BOUNDS,
    );
    expect(plan.polling.map((m) => m.type)).toEqual([
      'NODE_STATUS_POLL_URL',
      'HYPERVISOR_STATUS_POLLING',
    ]);
    expect(plan.polling[0]).toMatchObject({
      pollUrl: 'http://h/{nodename}',
      sslVerify: false,
      connErrorAsUnhealthy: false,
      healthyResponse: 'ok',
      retryLimit: 5,
      retryInterval: 2,
    });
    expect(plan).toMatchObject({
      events: false,
      interval: 90,
      nodeUpdateTimeout: 42,
      allFailed: true,
    });
    expect(plan.recovery).toEqual({
      operation: 'REBOOT',
      operation_params: { type: 'SOFT', fence_compute: true },
      delete_timeout: 7,
      force_recreate: true,
    });
  });

  it('fall back on the check type when the params list no detection modes', () => {
    const plan = readCheckPlan(registration({ checkType: 'LIFECYCLE_EVENTS' }), BOUNDS);
    expect(plan).toMatchObject({ events: true, polling: [], unknown: [], allFailed: false });
    const odd = readCheckPlan(registration({ checkType: 'LB_STATUS_POLLING' }), BOUNDS);
    expect(odd.unknown).toEqual(['LB_STATUS_POLLING']);
    expect(odd.polling).toEqual([]);
  });
});

describe('verdicts', () => {
  it('with ANY_FAILED fail as soon as one mode fails', () => {
    expect(combine([healthy('a'), unhealthy('b')], false)).toMatchObject({
      healthy: false,
      reason: 'b',
    });
    expect(combine([healthy('a'), healthy('b')], false).healthy).toBe(true);
  });

  it('with ALL_FAILED fail only when every mode fails', () => {
    expect(combine([unhealthy('a'), healthy('b')], true).healthy).toBe(true);
    expect(combine([unhealthy('a'), unhealthy('b')], true)).toMatchObject({
      healthy: false,
      reason: 'a; b',
    });
  });

  it('of a poll URL answer follow the pattern and the connection error setting', () => {
    const mode = readCheckPlan(
      registration({
        params: {
          detection_modes: [
            { type: 'NODE_STATUS_POLL_URL', poll_url_healthy_response: '^up(time)?$' },
          ],
        },
      }),
      BOUNDS,
    ).polling[0];
    if (!mode) throw new Error('no mode');
    expect(judgeAnswer(mode, { ok: true, status: 200, body: 'uptime' }).healthy).toBe(true);
    expect(judgeAnswer(mode, { ok: true, status: 200, body: 'down' }).healthy).toBe(false);
    expect(judgeAnswer(mode, { ok: false, error: 'refused' }).healthy).toBe(false);
    const lenient = { ...mode, connErrorAsUnhealthy: false };
    expect(judgeAnswer(lenient, { ok: false, error: 'refused' }).healthy).toBe(true);
    const broken = { ...mode, healthyResponse: '(' };
    expect(judgeAnswer(broken, { ok: true, status: 200, body: 'x' })).toMatchObject({
      healthy: true,
      unknown: true,
    });
  });

  it('spare a node updated within the grace period', () => {
    const now = new Date('2024-01-01T00:10:00Z');
    const node = { updatedAt: new Date('2024-01-01T00:09:00Z'), initAt: null };
    expect(withinGracePeriod(node, now, 120)).toBe(true);
    expect(withinGracePeriod(node, now, 60)).toBe(false);
    expect(
      withinGracePeriod({ updatedAt: null, initAt: new Date('2024-01-01T00:09:30Z') }, now, 60),
    ).toBe(true);
  });
});

describe('poll URLs', () => {
  it('get the node name, id and address', async () => {
    const node = { name: 'web-1', id: 'abc' } as never;
    expect(await expandPollUrl('http://x/{nodename}/{nodeid}', node, async () => null)).toBe(
      'http://x/web-1/abc',
    );
    expect(await expandPollUrl('http://{nodeip}:80/', node, async () => '10.0.0.5')).toBe(
      'http://10.0.0.5:80/',
    );
    expect(await expandPollUrl('http://{nodeip}/', node, async () => 'fd00::1')).toBe(
      'http://[fd00::1]/',
    );
    expect(await expandPollUrl('http://{nodeip}/', node, async () => null)).toBeNull();
  });
});

describe('scheduling', () => {
  it('runs at the next interval, skipping the runs a slow run missed', () => {
    expect(nextDelayMs(0, 200, 1)).toBe(800);
    expect(nextDelayMs(0, 2500, 1)).toBe(500);
    expect(nextDelayMs(0, 0, 60)).toBe(60_000);
  });
});

describe('sharing registrations', () => {
  const now = new Date('2024-01-01T00:00:10Z');
  const seen = (seconds: number) => new Date(now.getTime() - seconds * 1000);

  it('counts managers live until their heartbeat is two intervals old', () => {
    const managers = [
      { id: 'a', seen: seen(1) },
      { id: 'b', seen: seen(2) },
      { id: 'c', seen: seen(2.5) },
      { id: 'd', seen: null },
    ];
    expect(liveManagers(managers, 'me', now, 2)).toEqual(['a', 'b', 'me']);
    expect(nextDeadline(managers, 'me', ['a', 'b', 'me'], 2)).toEqual(seen(0));
  });

  it('takes from the busiest managers until the share is even', () => {
    const live = ['a', 'b', 'me'];
    expect(planTakeovers(new Map([['a', 9]]), 'me', live)).toEqual([{ donor: 'a', count: 3 }]);
    expect(
      planTakeovers(
        new Map([
          ['a', 5],
          ['b', 4],
        ]),
        'me',
        live,
      ),
    ).toEqual([
      { donor: 'a', count: 2 },
      { donor: 'b', count: 1 },
    ]);
    expect(
      planTakeovers(
        new Map([
          ['a', 2],
          ['b', 2],
          ['me', 1],
        ]),
        'me',
        live,
      ),
    ).toEqual([]);
    expect(planTakeovers(new Map([['a', 1]]), 'me', ['a', 'me'])).toEqual([]);
    expect(planTakeovers(new Map([['a', 7]]), 'me', ['me'])).toEqual([]);
  });
});

describe('checking state changes', () => {
  it('are reported once per change, naming what paused checking', () => {
    expect(transitionEvent('active', 'active', '')).toBeNull();
    expect(transitionEvent('active', 'paused', 'CLUSTER_SCALE_OUT 12345678 is busy')).toEqual({
      status: 'PAUSED',
      reason: 'Health checking paused: CLUSTER_SCALE_OUT 12345678 is busy.',
    });
    expect(transitionEvent('paused', 'paused', 'another')).toBeNull();
    expect(transitionEvent('paused', 'active', '')?.status).toBe('RESUMED');
    expect(transitionEvent('active', 'disabled', 'off')?.status).toBe('DISABLED');
    expect(transitionEvent('disabled', 'active', '')?.status).toBe('ENABLED');
  });
});

describe('lifecycle events', () => {
  const event = {
    service: 'nova' as const,
    eventType: 'instance.delete.end',
    kind: 'deleted' as const,
    physicalId: 'server-1',
    projectId: null,
    state: null,
    metadata: {},
    timestamp: '2024-01-01T00:00:00Z',
  };
  const node = { clusterId: 'c1', status: 'ACTIVE', physicalId: 'server-1' };

  it('concern a checked member about the resource it has or lost', () => {
    expect(eventConcernsNode(node, 'c1', event)).toBe(true);
    expect(eventConcernsNode({ ...node, physicalId: null }, 'c1', event)).toBe(true);
  });

  it('do not concern another cluster, a busy node or a resource the node replaced', () => {
    expect(eventConcernsNode(node, 'c2', event)).toBe(false);
    expect(eventConcernsNode({ ...node, status: 'RECOVERING' }, 'c1', event)).toBe(false);
    expect(eventConcernsNode({ ...node, physicalId: 'server-2' }, 'c1', event)).toBe(false);
    expect(eventConcernsNode(node, 'c1', { ...event, physicalId: '' })).toBe(false);
  });
});
