import { describe, expect, it } from 'vitest';
import {
  applyPolicyRecovery,
  attachProblem,
  bindingDataOf,
  readHealthSettings,
  recoveryInputs,
  registrationOf,
  registrationRecoveryInputs,
} from '../../src/policies/health-behaviour-settings.js';
import { parsePolicySpec } from '../../src/policies/index.js';

function settings(
  properties: Record<string, unknown>,
  version = '1.2',
): ReturnType<typeof readHealthSettings> {
  const parsed = parsePolicySpec(
    { type: 'senlin.policy.health', version, properties },
    { policyName: 'hp' },
  );
  return readHealthSettings(parsed.properties);
}

const POLL_URL_MODE = {
  type: 'NODE_STATUS_POLL_URL',
  options: { poll_url: 'http://{nodename}/health', poll_url_retry_limit: 5 },
};

describe('health policy settings', () => {
  it('spell out every detection option in the registration, with defaults', () => {
    const s = settings({
      detection: { detection_modes: [{ type: 'NODE_STATUS_POLLING' }, POLL_URL_MODE] },
      recovery: { actions: [{ name: 'RECREATE' }] },
    });
    expect(registrationOf(s, true)).toEqual({
      checkType: 'NODE_STATUS_POLLING,NODE_STATUS_POLL_URL',
      interval: 60,
      enabled: true,
      params: {
        recover_action: [{ name: 'RECREATE', params: null }],
        node_delete_timeout: 20,
        node_force_recreate: false,
        recovery_conditional: 'ANY_FAILED',
        node_update_timeout: 300,
        fencing: [],
        detection_modes: [
          {
            type: 'NODE_STATUS_POLLING',
            poll_url: '',
            poll_url_ssl_verify: true,
            poll_url_conn_error_as_unhealthy: true,
            poll_url_healthy_response: '',
            poll_url_retry_limit: 3,
            poll_url_retry_interval: 3,
          },
          {
            type: 'NODE_STATUS_POLL_URL',
            poll_url: 'http://{nodename}/health',
            poll_url_ssl_verify: true,
            poll_url_conn_error_as_unhealthy: true,
            poll_url_healthy_response: '',
            poll_url_retry_limit: 5,
            poll_url_retry_interval: 3,
          },
        ],
      },
    });
  });

  it('keep the timing and recovery options in the binding data', () => {
    const s = settings({
      detection: {
        interval: 120,
        node_update_timeout: 600,
        recovery_conditional: 'ALL_FAILED',
        detection_modes: [{ type: 'HYPERVISOR_STATUS_POLLING' }],
      },
      recovery: { node_delete_timeout: 45, node_force_recreate: true },
    });
    const data = bindingDataOf(s);
    expect(data).toMatchObject({
      interval: 120,
      node_update_timeout: 600,
      recovery_conditional: 'ALL_FAILED',
      node_delete_timeout: 45,
      node_force_recreate: true,
    });
    expect(data.detection_modes).toEqual([
      expect.objectContaining({ type: 'HYPERVISOR_STATUS_POLLING', poll_url: '' }),
    ]);
  });

  it('refuse REBUILD on a cluster whose profile is not a Nova server', () => {
    const s = settings({
      detection: { detection_modes: [{ type: 'NODE_STATUS_POLLING' }] },
      recovery: { actions: [{ name: 'REBUILD' }] },
    });
    expect(attachProblem(s, 'os.heat.stack')).toBe(
      'Recovery action REBUILD is only applicable to os.nova.server clusters.',
    );
    expect(attachProblem(s, 'os.nova.server')).toBeNull();
  });

  it('refuse REBOOT on a cluster whose profile is not a Nova server', () => {
    const s = settings({
      detection: { detection_modes: [{ type: 'LIFECYCLE_EVENTS' }] },
      recovery: { actions: [{ name: 'REBOOT' }] },
    });
    expect(attachProblem(s, 'os.heat.stack')).toBe(
      'Recovery action REBOOT is only applicable to os.nova.server clusters.',
    );
  });

  it('accept RECREATE and lifecycle events on a Heat cluster', () => {
    const s = settings({
      detection: { detection_modes: [{ type: 'LIFECYCLE_EVENTS' }] },
      recovery: { actions: [{ name: 'RECREATE' }] },
    });
    expect(attachProblem(s, 'os.heat.stack')).toBeNull();
  });

  it('refuse a detection type listed twice, even with different options', () => {
    const s = settings({
      detection: {
        detection_modes: [
          POLL_URL_MODE,
          { type: 'NODE_STATUS_POLL_URL', options: { poll_url: 'http://other' } },
        ],
      },
      recovery: {},
    });
    expect(attachProblem(s, 'os.nova.server')).toMatch(
      /^Detection mode NODE_STATUS_POLL_URL is listed more than once/,
    );
  });

  it('turn the recovery action, fencing and timeouts into recover inputs', () => {
    const s = settings({
      detection: { detection_modes: [{ type: 'NODE_STATUS_POLLING' }] },
      recovery: {
        actions: [{ name: 'REBOOT', params: { type: 'SOFT' } }],
        fencing: ['COMPUTE'],
        node_delete_timeout: 30,
        node_force_recreate: true,
      },
    });
    expect(recoveryInputs(s)).toEqual({
      operation: 'REBOOT',
      operation_params: { type: 'SOFT', fence_compute: true },
      delete_timeout: 30,
      force_recreate: true,
    });
  });

  it('leave the operation to the profile when the policy names no recovery action', () => {
    const s = settings({
      detection: { detection_modes: [{ type: 'NODE_STATUS_POLLING' }] },
      recovery: {},
    });
    expect(recoveryInputs(s)).toEqual({ delete_timeout: 20, force_recreate: false });
  });

  it('fill a recover request without an operation and keep what the request gave', () => {
    const s = settings({
      detection: { detection_modes: [{ type: 'NODE_STATUS_POLLING' }] },
      recovery: { actions: [{ name: 'RECREATE' }], node_delete_timeout: 30 },
    });
    const inputs: Record<string, unknown> = { check: true, delete_timeout: 5 };
    expect(applyPolicyRecovery(inputs, s)).toBe(true);
    expect(inputs).toEqual({
      check: true,
      operation: 'RECREATE',
      operation_params: {},
      delete_timeout: 5,
      force_recreate: false,
    });
  });

  it('leave a recover request that names its operation as it is', () => {
    const s = settings({
      detection: { detection_modes: [{ type: 'NODE_STATUS_POLLING' }] },
      recovery: { actions: [{ name: 'RECREATE' }] },
    });
    const inputs: Record<string, unknown> = { operation: 'reboot' };
    expect(applyPolicyRecovery(inputs, s)).toBe(false);
    expect(inputs).toEqual({ operation: 'reboot' });
  });
});

describe('recovery of a health registration', () => {
  it('is the recovery of the policy that registered it', () => {
    const s = settings({
      detection: { detection_modes: [{ type: 'NODE_STATUS_POLLING' }] },
      recovery: {
        actions: [{ name: 'REBUILD', params: { image: 'cirros' } }],
        fencing: ['COMPUTE'],
        node_delete_timeout: 40,
      },
    });
    expect(registrationRecoveryInputs(registrationOf(s, true).params)).toEqual(recoveryInputs(s));
  });

  it('reads a registration written without fencing', () => {
    expect(
      registrationRecoveryInputs({
        recover_action: [{ name: 'REBOOT', params: null }],
        node_delete_timeout: 20,
        node_force_recreate: false,
      }),
    ).toEqual({
      operation: 'REBOOT',
      operation_params: {},
      delete_timeout: 20,
      force_recreate: false,
    });
  });
});
