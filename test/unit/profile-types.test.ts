import { describe, expect, it } from 'vitest';
import {
  BadRequest,
  ESchema,
  InvalidSpec,
  ResourceNotFound,
  type SenlinError,
} from '../../src/common/errors.js';
import {
  createProfileTypeRegistry,
  novaServerProfileType,
  parseProfileSpec,
  profileTypes,
  validateProfileOperation,
} from '../../src/profiles/index.js';

function errorOf(fn: () => unknown): SenlinError {
  try {
    fn();
  } catch (err) {
    return err as SenlinError;
  }
  throw new Error('expected an error');
}

const novaSpec = {
  type: 'os.nova.server',
  version: '1.0',
  properties: {
    flavor: 'm1.tiny',
    image: 'cirros-0.4.0-x86_64-disk',
    name: 'new-server-test',
    networks: [{ network: 'private' }],
  },
};

const nova = (properties: Record<string, unknown>) => ({
  type: 'os.nova.server',
  version: '1.0',
  properties: { flavor: 'm1.tiny', image: 'cirros', ...properties },
});

const heatSpec = {
  type: 'os.heat.stack',
  version: '1.0',
  properties: {
    template: {
      heat_template_version: '2014-10-16',
      resources: { random: { type: 'OS::Heat::RandomString' } },
    },
  },
};

const docker = (properties: Record<string, unknown>) => ({
  type: 'container.dockerinc.docker',
  version: '1.0',
  properties: { image: 'busybox', ...properties },
});

describe('the profile type registry', () => {
  it('lists the built-in types in name order', () => {
    expect(profileTypes.list().map((t) => t.typeName)).toEqual([
      'container.dockerinc.docker-1.0',
      'os.heat.stack-1.0',
      'os.nova.server-1.0',
      'os.nova.server-1.1',
    ]);
  });

  it('finds a type by name and version', () => {
    expect(profileTypes.get('os.nova.server-1.0')).toBe(novaServerProfileType);
  });

  it('finds nothing for an unknown name', () => {
    expect(profileTypes.get('os.nova.server')).toBeUndefined();
  });

  it('lets a later type replace a built-in of the same name', () => {
    const custom = { ...novaServerProfileType, operations: {} };
    const registry = createProfileTypeRegistry([novaServerProfileType, custom]);
    expect(registry.get('os.nova.server-1.0')).toBe(custom);
    expect(registry.list()).toHaveLength(1);
  });
});

describe('parseProfileSpec', () => {
  it('accepts the nova server spec of the API test suite', () => {
    const parsed = parseProfileSpec(novaSpec);
    expect(parsed.type.typeName).toBe('os.nova.server-1.0');
    expect(parsed.properties.flavor).toBe('m1.tiny');
  });

  it('applies defaults and fills nested keys of list items', () => {
    const { properties } = parseProfileSpec(novaSpec);
    expect(properties.auto_disk_config).toBe(true);
    expect(properties.metadata).toBeNull();
    expect(properties.networks).toEqual([
      {
        network: 'private',
        port: null,
        vnic_type: null,
        fixed_ip: null,
        security_groups: null,
        floating_network: null,
        floating_ip: null,
      },
    ]);
  });

  it('accepts the heat stack spec of the API test suite', () => {
    const { properties } = parseProfileSpec(heatSpec);
    expect(properties.disable_rollback).toBe(true);
    expect(properties.template_url).toBe('');
  });

  it('finds the type of a numeric version', () => {
    expect(parseProfileSpec({ ...novaSpec, version: 1 }).type.typeName).toBe('os.nova.server-1.0');
  });

  it('reports an unknown property as an unrecognizable spec item', () => {
    const err = errorOf(() => parseProfileSpec(nova({ bogus: 'foo' })));
    expect(err).toBeInstanceOf(ESchema);
    expect(err.message).toBe("Unrecognizable spec item 'bogus'");
  });

  it('reports an unknown type as a missing profile type', () => {
    const err = errorOf(() =>
      parseProfileSpec({ type: 'senlin.profile.bogus', version: '1.0', properties: {} }),
    );
    expect(err).toBeInstanceOf(ResourceNotFound);
    expect(err.status).toBe(404);
    expect(err.message).toBe("The profile_type 'senlin.profile.bogus-1.0' could not be found.");
  });

  it('reports a missing type key', () => {
    expect(errorOf(() => parseProfileSpec({ version: '1.0' })).message).toBe(
      "The 'type' key is missing from the provided spec map.",
    );
  });

  it('reports a missing version key', () => {
    expect(errorOf(() => parseProfileSpec({ type: 'os.nova.server' })).message).toBe(
      "The 'version' key is missing from the provided spec map.",
    );
  });

  it('reports missing properties', () => {
    expect(
      errorOf(() => parseProfileSpec({ type: 'os.nova.server', version: '1.0' })).message,
    ).toBe("Required spec item 'properties' not provided");
  });

  it('reports properties that are not a map', () => {
    expect(errorOf(() => parseProfileSpec({ ...novaSpec, properties: [1] })).message).toBe(
      "'[1]' is not a Map",
    );
  });

  it('reports an unknown key of the envelope', () => {
    expect(errorOf(() => parseProfileSpec({ ...novaSpec, extra: 1 })).message).toBe(
      "Unrecognizable spec item 'extra'",
    );
  });

  it('reports a missing required property', () => {
    const noFlavor = { type: 'os.nova.server', version: '1.0', properties: { image: 'x' } };
    expect(errorOf(() => parseProfileSpec(noFlavor)).message).toBe(
      "Required spec item 'flavor' not provided",
    );
  });

  it('reports a wrongly typed context before problems of the envelope', () => {
    const err = errorOf(() => parseProfileSpec({ ...nova({ context: 'x' }), extra: 1 }));
    expect(err.message).toBe("'x' is not a Map");
  });

  it('accepts context keys of a request context', () => {
    const { properties } = parseProfileSpec(nova({ context: { region_name: 'RegionTwo' } }));
    expect(properties.context).toEqual({ region_name: 'RegionTwo' });
  });

  it('rejects other context keys with the upstream message', () => {
    const err = errorOf(() => parseProfileSpec(nova({ context: { foo: 1, region_name: 'R' } })));
    expect(err).toBeInstanceOf(ESchema);
    expect(err.message).toBe("Some keys in 'context' are invalid: ['foo']");
  });
});

describe('the heat stack checks', () => {
  const empty = { type: 'os.heat.stack', version: '1.0', properties: {} };

  it('require a template or a template URL', () => {
    const err = errorOf(() => parseProfileSpec(empty));
    expect(err).toBeInstanceOf(InvalidSpec);
    expect(err.message).toBe(
      "Both template and template_url are not specified for profile 'validated_profile'.",
    );
  });

  it('name the profile being created', () => {
    expect(errorOf(() => parseProfileSpec(empty, { profileName: 'web' })).message).toBe(
      "Both template and template_url are not specified for profile 'web'.",
    );
  });

  it('accept a template URL alone', () => {
    const spec = { ...empty, properties: { template_url: 'http://x/t.yaml' } };
    expect(parseProfileSpec(spec).properties.template).toEqual({});
  });
});

describe('the docker container checks', () => {
  it('accept a host node', () => {
    expect(parseProfileSpec(docker({ host_node: 'n1' })).properties.port).toBe(2375);
  });

  it('reject both a host node and a host cluster', () => {
    const err = errorOf(() => parseProfileSpec(docker({ host_node: 'n', host_cluster: 'c' })));
    expect(err).toBeInstanceOf(InvalidSpec);
    expect(err.message).toBe(
      "Either 'host_cluster' or 'host_node' must be specified, but not both.",
    );
  });

  it('reject neither a host node nor a host cluster', () => {
    expect(errorOf(() => parseProfileSpec(docker({}))).message).toBe(
      "Either 'host_cluster' or 'host_node' must be specified.",
    );
  });

  it('require an image', () => {
    const spec = { type: 'container.dockerinc.docker', version: '1.0', properties: {} };
    expect(errorOf(() => parseProfileSpec(spec)).message).toBe(
      "Required spec item 'image' not provided",
    );
  });
});

describe('the nova server checks', () => {
  it('require a port or a network in each network entry', () => {
    const err = errorOf(() => parseProfileSpec(nova({ networks: [{ fixed_ip: '10.0.0.5' }] })));
    expect(err).toBeInstanceOf(InvalidSpec);
    expect(err.message).toBe("One of 'port' and 'network' must be provided");
  });

  it('reject a fixed IP together with a port', () => {
    const spec = nova({ networks: [{ port: 'p1', fixed_ip: '10.0.0.5' }] });
    expect(errorOf(() => parseProfileSpec(spec)).message).toBe(
      "The 'port' property and the 'fixed_ip' property cannot be specified at the same time",
    );
  });

  it('reject an unknown VNIC type', () => {
    const spec = nova({ networks: [{ network: 'n', vnic_type: 'fancy' }] });
    expect(errorOf(() => parseProfileSpec(spec)).message).toBe(
      "vnic_type: 'fancy' is not supported.(supported types are: normal, direct, macvtap)",
    );
  });

  it('reject a floating IP without a floating network', () => {
    const spec = nova({ networks: [{ network: 'n', floating_ip: '172.24.4.10' }] });
    expect(errorOf(() => parseProfileSpec(spec)).message).toBe(
      'Must specify a network to create floating IP',
    );
  });

  it('accept a server booting from a volume without an image', () => {
    const spec = {
      type: 'os.nova.server',
      version: '1.0',
      properties: {
        flavor: 'm1.small',
        block_device_mapping_v2: [
          { uuid: 'img', source_type: 'image', destination_type: 'volume', volume_size: '1' },
        ],
      },
    };
    const { properties } = parseProfileSpec(spec);
    expect(properties.image).toBeNull();
    expect((properties.block_device_mapping_v2 as { volume_size: number }[])[0]?.volume_size).toBe(
      1,
    );
  });

  it('require an image when there are no block devices', () => {
    const spec = { type: 'os.nova.server', version: '1.0', properties: { flavor: 'm1' } };
    expect(errorOf(() => parseProfileSpec(spec)).message).toBe(
      "One of 'image' and 'block_device_mapping_v2' must be provided",
    );
  });

  it('report a block device without its required keys', () => {
    const spec = nova({ block_device_mapping_v2: [{ source_type: 'blank', volume_size: 1 }] });
    expect(errorOf(() => parseProfileSpec(spec)).message).toBe(
      "Required spec item 'destination_type' not provided",
    );
  });
});

describe('validateProfileOperation', () => {
  it('accepts a known operation with valid parameters', () => {
    expect(() =>
      validateProfileOperation(novaServerProfileType, 'reboot', { type: 'HARD' }),
    ).not.toThrow();
  });

  it('rejects an operation the type does not offer with the upstream message', () => {
    const err = errorOf(() => validateProfileOperation(novaServerProfileType, 'dance', {}));
    expect(err).toBeInstanceOf(BadRequest);
    expect(err.message).toBe(
      "The requested operation 'dance' is not supported by the profile type 'os.nova.server-1.0'.",
    );
  });

  it('rejects a disallowed parameter value as a bad request ending in a period', () => {
    const err = errorOf(() =>
      validateProfileOperation(novaServerProfileType, 'reboot', { type: 'Unknown' }),
    );
    expect(err).toBeInstanceOf(BadRequest);
    expect(err.message).toBe("'Unknown' must be one of the allowed values: SOFT, HARD.");
  });

  it('does not check empty parameters', () => {
    expect(() => validateProfileOperation(novaServerProfileType, 'reboot', {})).not.toThrow();
  });

  it('accepts any parameters for the heat abandon operation', () => {
    const heat = profileTypes.get('os.heat.stack-1.0');
    if (!heat) throw new Error('heat type missing');
    expect(() => validateProfileOperation(heat, 'abandon', { x: 1 })).not.toThrow();
  });

  it('does not take inherited object keys for operations', () => {
    expect(
      errorOf(() => validateProfileOperation(novaServerProfileType, 'toString', {})),
    ).toBeInstanceOf(BadRequest);
  });
});
