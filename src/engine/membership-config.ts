/**
 * The cluster `config` keys that ask for membership notifications (docs/notifications.md):
 * - `membership.notify` (boolean): publish `cluster.membership.update` on the notification
 *   bus after every membership change;
 * - `membership.topic` (string): publish it on `<topic>.info` instead of the
 *   `[DEFAULT] notification_topics`;
 * - `membership.webhook` (http or https URL): POST the membership as JSON there;
 * - `membership.operation` (a profile operation, e.g. `reboot`) with
 *   `membership.operation_params` (map): run it on the members that stayed.
 * A key set to null counts as unset (cluster updates merge `config`, so null removes a key).
 */
import { BadRequest } from '../common/errors.js';
import { profileTypes, validateProfileOperation } from '../profiles/index.js';

/** What a cluster asks for when its membership changes. */
export interface MembershipSettings {
  readonly notify: boolean;
  readonly topic: string | null;
  readonly webhook: string | null;
  readonly operation: string | null;
  readonly operationParams: Record<string, unknown>;
}

const KEYS = [
  'membership.notify',
  'membership.topic',
  'membership.webhook',
  'membership.operation',
  'membership.operation_params',
] as const;

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flag(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && ['true', 'false'].includes(value.toLowerCase())) {
    return value.toLowerCase() === 'true';
  }
  throw new BadRequest(
    `The value of 'membership.notify' must be a boolean, not '${String(value)}'`,
  );
}

function text(key: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new BadRequest(`The value of '${key}' must be a non-empty string`);
  }
  return value.trim();
}

function webhookUrl(value: unknown): string {
  const raw = text('membership.webhook', value);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BadRequest(`The value of 'membership.webhook' is not a URL: '${raw}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BadRequest(`The value of 'membership.webhook' must be an http or https URL`);
  }
  return raw;
}

function params(value: unknown): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = null;
    }
  }
  if (!isMap(parsed)) {
    throw new BadRequest(`The value of 'membership.operation_params' must be a map`);
  }
  return parsed;
}

/**
 * The membership settings of a cluster `config`, or null when it sets none. Throws BadRequest
 * for a malformed value.
 */
export function membershipSettings(
  config: Readonly<Record<string, unknown>>,
): MembershipSettings | null {
  const set = (key: (typeof KEYS)[number]): unknown =>
    config[key] === null || config[key] === undefined ? undefined : config[key];
  if (KEYS.every((k) => set(k) === undefined)) return null;
  const notifyValue = set('membership.notify');
  const topicValue = set('membership.topic');
  const operationValue = set('membership.operation');
  const paramsValue = set('membership.operation_params');
  const topic = topicValue === undefined ? null : text('membership.topic', topicValue);
  if (topic !== null && !/^[A-Za-z0-9_.-]+$/.test(topic)) {
    throw new BadRequest(
      `The value of 'membership.topic' may only hold letters, digits, '_', '-' and '.'`,
    );
  }
  const webhookValue = set('membership.webhook');
  const operation =
    operationValue === undefined ? null : text('membership.operation', operationValue);
  if (operation === null && paramsValue !== undefined) {
    throw new BadRequest(`'membership.operation_params' needs 'membership.operation'`);
  }
  return {
    notify: notifyValue === undefined ? topic !== null : flag(notifyValue),
    topic,
    webhook: webhookValue === undefined ? null : webhookUrl(webhookValue),
    operation,
    operationParams: paramsValue === undefined ? {} : params(paramsValue),
  };
}

/**
 * Checks the membership keys of a cluster `config` for a cluster whose profile is of type
 * `profileType`: values well formed, and the operation offered by the profile type with
 * suitable parameters. Throws BadRequest.
 */
export function validateMembershipConfig(
  config: Readonly<Record<string, unknown>> | null | undefined,
  profileType: string,
): void {
  const settings = config ? membershipSettings(config) : null;
  if (!settings?.operation) return;
  const type = profileTypes.get(profileType);
  if (!type) {
    throw new BadRequest(
      `The requested operation '${settings.operation}' is not supported by the profile type '${profileType}'.`,
    );
  }
  validateProfileOperation(type, settings.operation, settings.operationParams);
}
