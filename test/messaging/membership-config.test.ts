/**
 * The `membership.*` cluster config keys through the API: well-formed values are stored, bad
 * ones are refused with 400 and a message saying what is wrong, on create and on update.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { membershipSettings } from '../../src/engine/membership-config.js';
import { diffMembers } from '../../src/engine/membership-watch.js';
import { errorMessage, NOVA_SPEC, startApi } from '../api/harness.js';

const api = await startApi();

describe('membership config keys', () => {
  let profileId: string;
  beforeAll(async () => {
    const res = await api.call('POST', '/v1/profiles', {
      body: { profile: { name: 'members-p', spec: NOVA_SPEC } },
    });
    profileId = res.data.profile.id;
  });

  const create = (config: Record<string, unknown>) =>
    api.call('POST', '/v1/clusters', {
      body: {
        cluster: {
          name: `m-${Math.random().toString(36).slice(2, 8)}`,
          profile_id: profileId,
          config,
        },
      },
    });

  it('accepts a full membership configuration', async () => {
    const res = await create({
      'membership.notify': 'true',
      'membership.topic': 'web_members',
      'membership.webhook': 'https://app.example.net/hooks/members?token=x',
      'membership.operation': 'reboot',
      'membership.operation_params': { type: 'SOFT' },
    });
    expect(res.statusCode, JSON.stringify(res.data)).toBe(202);
    expect(res.data.cluster.config['membership.topic']).toBe('web_members');
  });

  it.each([
    [
      { 'membership.notify': 'yes' },
      "The value of 'membership.notify' must be a boolean, not 'yes'.",
    ],
    [
      { 'membership.webhook': 'ftp://x/' },
      "The value of 'membership.webhook' must be an http or https URL.",
    ],
    [
      { 'membership.webhook': 'not a url' },
      "The value of 'membership.webhook' is not a URL: 'not a url'.",
    ],
    [
      { 'membership.topic': 'a.*' },
      "The value of 'membership.topic' may only hold letters, digits, '_', '-' and '.'.",
    ],
    [
      { 'membership.operation': 'fly' },
      "The requested operation 'fly' is not supported by the profile type 'os.nova.server-1.0'.",
    ],
    [
      { 'membership.operation_params': {} },
      "'membership.operation_params' needs 'membership.operation'.",
    ],
    [
      { 'membership.operation': 'reboot', 'membership.operation_params': '[1]' },
      "The value of 'membership.operation_params' must be a map.",
    ],
  ])('refuses %j', async (config, message) => {
    const res = await create(config);
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(message);
  });

  it('checks the merged configuration on update', async () => {
    const created = await create({ 'membership.notify': true });
    const id = created.data.cluster.id;
    const bad = await api.call('PATCH', `/v1/clusters/${id}`, {
      body: { cluster: { config: { 'membership.operation': 'teleport' } } },
    });
    expect(bad.statusCode).toBe(400);
    expect(errorMessage(bad)).toContain("'teleport' is not supported");
  });
});

describe('membership settings and changes', () => {
  it('are absent when no key is set, and null unsets a key', () => {
    expect(membershipSettings({ 'node.name.format': 'x' })).toBeNull();
    expect(membershipSettings({ 'membership.webhook': null })).toBeNull();
    expect(membershipSettings({ 'membership.topic': 'members' })).toMatchObject({
      notify: true,
      topic: 'members',
      webhook: null,
      operation: null,
    });
  });

  it('tell added, removed, replaced and staying members apart', () => {
    const before = new Map<string, string | null>([
      ['stays', 's1'],
      ['leaves', 's2'],
      ['recreated', 's3'],
      ['was-failing', null],
    ]);
    const after = new Map<string, string | null>([
      ['stays', 's1'],
      ['recreated', 's4'],
      ['was-failing', 's5'],
      ['new', 's6'],
      ['new-without-server', null],
    ]);
    expect(diffMembers(before, after)).toEqual({
      added: ['was-failing', 'new'],
      removed: ['leaves'],
      replaced: ['recreated'],
      stayed: ['stays'],
    });
  });
});
