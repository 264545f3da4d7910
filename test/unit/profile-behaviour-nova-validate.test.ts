import { afterEach, describe, expect, it } from 'vitest';
import { InvalidSpec } from '../../src/common/errors.js';
import { novaServerBehaviour as nova } from '../../src/profiles/index.js';
import {
  makeNode,
  makeRig,
  novaProfile,
  type Rig,
  rejectionOf,
} from './profile-behaviour-context.js';

let rig: Rig;
afterEach(async () => {
  await rig.cloud.close();
});

const validate = (props: Record<string, unknown>) =>
  nova.validateWithCloud?.(novaProfile(props).properties, rig.ctx);

describe('nova server spec checks against the cloud', () => {
  it('accepts a spec whose resources all exist', async () => {
    rig = makeRig();
    await expect(
      validate({
        availability_zone: 'ZONE1',
        key_name: 'oskey',
        networks: [
          { network: 'private', floating_network: 'public', security_groups: ['default'] },
        ],
      }),
    ).resolves.toBeUndefined();
  });

  it.each([
    [{ flavor: 'huge' }, "The specified flavor 'huge' could not be found."],
    [{ flavor: 'm1.retired' }, "The specified flavor 'm1.retired' is disabled"],
    [{ image: 'nothing' }, "The specified image 'nothing' could not be found."],
    [{ key_name: 'nokey' }, "The specified key_name 'nokey' could not be found."],
    [{ availability_zone: 'mars' }, "The specified availability_zone 'mars' could not be found"],
    [{ networks: [{ network: 'dark' }] }, 'The specified network dark could not be found.'],
    [
      { networks: [{ network: 'private', floating_network: 'void' }] },
      'The floating network void could not be found.',
    ],
    [
      { networks: [{ network: 'private', security_groups: ['closed'] }] },
      "The specified security group 'closed' could not be found.",
    ],
  ])('rejects %j with InvalidSpec', async (props, message) => {
    rig = makeRig();
    const err = await rejectionOf(validate(props) ?? Promise.resolve());
    expect(err).toBeInstanceOf(InvalidSpec);
    expect(err.message).toBe(message);
  });

  it('rejects a port that is in use', async () => {
    rig = makeRig();
    await nova.create(makeNode(), novaProfile({ networks: [{ network: 'private' }] }), rig.ctx);
    const used = rig.cloud.listAllPorts()[0]?.id ?? '';
    const err = await rejectionOf(validate({ networks: [{ port: used }] }) ?? Promise.resolve());
    expect(err.message).toBe(`The status of the port ${used} must be DOWN`);
  });
});
