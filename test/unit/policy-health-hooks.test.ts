import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ActionCause } from '../../src/common/constants.js';
import type {
  HealthRegistration,
  PolicyActionView,
  PolicyBindingView,
  PolicyContext,
  PolicyView,
} from '../../src/engine/contracts.js';
import { createHealthBehaviour } from '../../src/policies/health-behaviour.js';
import {
  createHealthGate,
  HOLDS_KEY,
  readHolds,
} from '../../src/policies/health-behaviour-holds.js';
import { parsePolicySpec } from '../../src/policies/index.js';

/** A policy context over an in-memory registration whose reads and writes take a while. */
function fakeContext(options: { members?: number; timeout?: number; now?: () => Date } = {}) {
  const state: { registration: HealthRegistration | null; writes: number } = {
    registration: null,
    writes: 0,
  };
  const pause = () => delay(Math.random() * 5);
  const ctx: PolicyContext = {
    signal: new AbortController().signal,
    settings: {
      maxNodesPerCluster: 1000,
      healthCheckIntervalMin: 60,
      novaTimeout: 600,
      actionTimeout: 3600,
    },
    now: options.now ?? (() => new Date()),
    async cluster() {
      return {
        id: 'c1',
        name: 'c1',
        profileId: 'p1',
        profileType: 'os.nova.server-1.0',
        user: 'u',
        project: 'p',
        minSize: 0,
        maxSize: -1,
        desiredCapacity: options.members ?? 0,
        status: 'ACTIVE',
        timeout: options.timeout ?? 3600,
        data: {},
        config: {},
        metadata: {},
      };
    },
    async members() {
      return Array.from({ length: options.members ?? 0 }, (_, i) => ({
        id: `n${i}`,
        name: `n${i}`,
        clusterId: 'c1',
        index: i + 1,
        physicalId: null,
        status: 'ACTIVE',
        role: null,
        user: 'u',
        project: 'p',
        metadata: {},
        data: {},
        profileId: 'p1',
        statusReason: '',
        tainted: false,
        createdAt: null,
      }));
    },
    profile: () => Promise.reject(new Error('not used')),
    drivers: () => Promise.reject(new Error('not used')),
    nodeDetails: () => Promise.reject(new Error('not used')),
    saveNodeData: () => Promise.reject(new Error('not used')),
    setNodeStatus: () => Promise.reject(new Error('not used')),
    saveClusterData: () => Promise.reject(new Error('not used')),
    saveBindingData: () => Promise.reject(new Error('not used')),
    setLastOp: () => Promise.reject(new Error('not used')),
    health: {
      async get() {
        await pause();
        return state.registration ? structuredClone(state.registration) : null;
      },
      async register(r) {
        await pause();
        state.writes++;
        state.registration = structuredClone(r);
      },
      async unregister() {
        await pause();
        state.registration = null;
      },
      async setEnabled(enabled) {
        await pause();
        state.writes++;
        if (state.registration) state.registration = { ...state.registration, enabled };
      },
    },
    sleep: () => Promise.resolve(),
  };
  return { ctx, state };
}

const REGISTRATION: HealthRegistration = {
  checkType: 'NODE_STATUS_POLLING',
  interval: 60,
  params: { recover_action: [{ name: 'RECREATE', params: null }] },
  enabled: true,
};

const nodeRequest = (actionId: string) => ({ actionId, exclusive: false });
const clusterAction = (actionId: string) => ({ actionId, exclusive: true });

describe('pausing health checking with holds', () => {
  it('keeps checking paused until the last of two overlapping node deletions ends', async () => {
    const { ctx, state } = fakeContext();
    state.registration = REGISTRATION;
    const gate = createHealthGate();
    await Promise.all([
      gate.hold(ctx, 'c1', nodeRequest('a1')),
      gate.hold(ctx, 'c1', nodeRequest('a2')),
    ]);
    expect(Object.keys(readHolds(state.registration.params)).sort()).toEqual(['a1', 'a2']);
    await gate.release(ctx, 'c1', nodeRequest('a1'));
    expect(state.registration?.enabled).toBe(false);
    expect(Object.keys(readHolds(state.registration?.params ?? {}))).toEqual(['a2']);
    await gate.release(ctx, 'c1', nodeRequest('a2'));
    expect(state.registration?.enabled).toBe(true);
  });

  it('loses no hold when many node deletions start and end at the same moment', async () => {
    const { ctx, state } = fakeContext();
    state.registration = REGISTRATION;
    const gate = createHealthGate();
    const ids = Array.from({ length: 8 }, (_, i) => `a${i}`);
    await Promise.all(ids.map((id) => gate.hold(ctx, 'c1', nodeRequest(id))));
    expect(Object.keys(readHolds(state.registration.params)).sort()).toEqual(ids);
    await Promise.all(ids.slice(1).map((id) => gate.release(ctx, 'c1', nodeRequest(id))));
    expect(state.registration?.enabled).toBe(false);
    await gate.release(ctx, 'c1', nodeRequest('a0'));
    expect(state.registration?.enabled).toBe(true);
  });

  it('drops the params key again once no hold is left', async () => {
    const { ctx, state } = fakeContext();
    state.registration = REGISTRATION;
    const gate = createHealthGate();
    await gate.hold(ctx, 'c1', clusterAction('a1'));
    expect(state.registration.params[HOLDS_KEY]).toBeDefined();
    await gate.release(ctx, 'c1', clusterAction('a1'));
    expect(state.registration).toEqual(REGISTRATION);
  });

  it('lets a cluster action discard holds left by actions that died', async () => {
    const { ctx, state } = fakeContext();
    state.registration = {
      ...REGISTRATION,
      enabled: false,
      params: { ...REGISTRATION.params, [HOLDS_KEY]: { dead: new Date().toISOString() } },
    };
    const gate = createHealthGate();
    await gate.hold(ctx, 'c1', clusterAction('a1'));
    expect(Object.keys(readHolds(state.registration.params))).toEqual(['a1']);
    await gate.release(ctx, 'c1', clusterAction('a1'));
    expect(state.registration?.enabled).toBe(true);
  });

  it('lets a node deletion discard only holds older than the longest action', async () => {
    const now = new Date('2030-01-01T12:00:00Z');
    const { ctx, state } = fakeContext({ now: () => now, timeout: 600 });
    state.registration = {
      ...REGISTRATION,
      enabled: false,
      params: {
        ...REGISTRATION.params,
        [HOLDS_KEY]: {
          old: '2030-01-01T10:59:00Z',
          recent: '2030-01-01T11:30:00Z',
        },
      },
    };
    const gate = createHealthGate();
    await gate.hold(ctx, 'c1', nodeRequest('a1'));
    expect(Object.keys(readHolds(state.registration.params)).sort()).toEqual(['a1', 'recent']);
  });

  it('does nothing for a cluster without a registration', async () => {
    const { ctx, state } = fakeContext();
    const gate = createHealthGate();
    await gate.hold(ctx, 'c1', nodeRequest('a1'));
    await gate.release(ctx, 'c1', nodeRequest('a1'));
    expect(state.registration).toBeNull();
    expect(state.writes).toBe(0);
  });

  it('enables a registration on policy update and forgets stale holds', async () => {
    const { ctx, state } = fakeContext();
    state.registration = {
      ...REGISTRATION,
      enabled: false,
      params: { ...REGISTRATION.params, [HOLDS_KEY]: { dead: new Date().toISOString() } },
    };
    const gate = createHealthGate();
    expect(await gate.reset(ctx, 'c1', true)).toBe(true);
    expect(state.registration).toEqual(REGISTRATION);
  });

  it('writes only the flag when no hold changes', async () => {
    const { ctx, state } = fakeContext();
    state.registration = REGISTRATION;
    const gate = createHealthGate();
    await gate.reset(ctx, 'c1', false);
    expect(state.registration).toEqual({ ...REGISTRATION, enabled: false });
    expect(state.writes).toBe(1);
  });
});

function policyOf(recovery: Record<string, unknown> = { actions: [{ name: 'RECREATE' }] }) {
  const spec = {
    type: 'senlin.policy.health',
    version: '1.1',
    properties: { detection: { detection_modes: [{ type: 'NODE_STATUS_POLLING' }] }, recovery },
  };
  const policy: PolicyView = {
    id: 'pol',
    name: 'hp',
    type: 'senlin.policy.health-1.1',
    properties: parsePolicySpec(spec, { policyName: 'hp' }).properties,
  };
  const binding: PolicyBindingView = {
    bindingId: 'b1',
    clusterId: 'c1',
    policyId: 'pol',
    policyName: 'hp',
    type: 'senlin.policy.health-1.1',
    spec,
    enabled: true,
    priority: 600,
    data: {},
    lastOp: null,
  };
  return { policy, binding };
}

function actionOf(
  action: string,
  inputs: Record<string, unknown> = {},
  cause: string = ActionCause.RPC,
): PolicyActionView {
  return { id: `id-${action}`, action, cause, target: 'c1', inputs, data: {} };
}

describe('health policy hooks', () => {
  const behaviour = createHealthBehaviour();
  const { binding } = policyOf();

  it('checks node requests from users but not node actions derived from a lifecycle hook', () => {
    const check = behaviour.needCheck?.bind(behaviour);
    expect(check?.('BEFORE', actionOf('NODE_DELETE'), binding)).toBe(true);
    expect(check?.('BEFORE', actionOf('NODE_DELETE', {}, ActionCause.DERIVED_LCH), binding)).toBe(
      false,
    );
    expect(check?.('BEFORE', actionOf('NODE_RECOVER'), binding)).toBe(true);
    expect(check?.('AFTER', actionOf('NODE_RECOVER'), binding)).toBe(false);
    expect(check?.('BEFORE', actionOf('CLUSTER_SCALE_OUT'), binding)).toBe(false);
  });

  it('records the recovery for the nodes of a growing resize without pausing checks', async () => {
    const { ctx, state } = fakeContext({ members: 2 });
    state.registration = REGISTRATION;
    const { policy } = policyOf({ actions: [{ name: 'REBOOT' }], fencing: ['COMPUTE'] });
    const action = actionOf('CLUSTER_RESIZE', { adjustment_type: 'CHANGE_IN_CAPACITY', number: 1 });
    expect(await behaviour.preOp?.(policy, binding, action, ctx)).toEqual({ ok: true });
    expect(action.data.health).toEqual({
      recover_action: [{ name: 'REBOOT', params: null }],
      fencing: ['COMPUTE'],
    });
    expect(state.registration.enabled).toBe(true);
  });

  it('pauses checks for a shrinking resize and resumes them after it', async () => {
    const { ctx, state } = fakeContext({ members: 3 });
    state.registration = REGISTRATION;
    const { policy } = policyOf();
    const action = actionOf('CLUSTER_RESIZE', { adjustment_type: 'EXACT_CAPACITY', number: 1 });
    await behaviour.preOp?.(policy, binding, action, ctx);
    expect(state.registration.enabled).toBe(false);
    expect(action.data.health).toBeUndefined();
    await behaviour.postOp?.(policy, binding, action, ctx);
    expect(state.registration?.enabled).toBe(true);
  });

  it('refuses a resize whose parameters do not work out', async () => {
    const { ctx } = fakeContext({ members: 3 });
    const { policy } = policyOf();
    const action = actionOf('CLUSTER_RESIZE', { adjustment_type: 'EXACT_CAPACITY' });
    expect(await behaviour.preOp?.(policy, binding, action, ctx)).toEqual({
      ok: false,
      reason: 'Missing number value for size adjustment.',
    });
  });

  it('gives a node recover request without an operation the policy recovery', async () => {
    const { ctx, state } = fakeContext();
    state.registration = REGISTRATION;
    const { policy } = policyOf({ actions: [{ name: 'REBUILD' }], node_force_recreate: true });
    const action = actionOf('NODE_RECOVER', { check: true });
    await behaviour.preOp?.(policy, binding, action, ctx);
    expect(action.inputs).toEqual({
      check: true,
      operation: 'REBUILD',
      operation_params: {},
      delete_timeout: 20,
      force_recreate: true,
    });
    expect(state.registration.enabled).toBe(true);
  });
});
