/** Profile and policy specs the scenarios build on, with the lab's flavors, images and networks. */

/** The lab's flavors (ids 1 and 2), images and tenant network. */
export const LAB = {
  flavor: 'm1.tiny',
  biggerFlavor: 'm1.small',
  image: 'cirros-fake',
  otherImage: 'cirros-fake-2',
  network: 'private',
  subnet: 'private-subnet',
} as const;

/** An `os.nova.server-1.0` spec on the lab's private network. */
export function novaSpec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'os.nova.server',
    version: '1.0',
    properties: {
      flavor: LAB.flavor,
      image: LAB.image,
      networks: [{ network: LAB.network }],
      metadata: { test: 'senlin-ts-openstack' },
      ...overrides,
    },
  };
}

/** A Heat template: a random string of `length` characters and a no-op resource. */
export const RANDOM_TEMPLATE = {
  heat_template_version: '2018-08-31',
  parameters: {
    length: { type: 'number', default: 8 },
  },
  resources: {
    secret: { type: 'OS::Heat::RandomString', properties: { length: { get_param: 'length' } } },
    nothing: { type: 'OS::Heat::None' },
  },
  outputs: {
    secret: { value: { get_attr: ['secret', 'value'] } },
  },
} as const;

/** An `os.heat.stack-1.0` spec. */
export function heatSpec(properties: Record<string, unknown>): Record<string, unknown> {
  return { type: 'os.heat.stack', version: '1.0', properties };
}

/** A policy spec of `type` at `version`. */
export function policySpec(
  type: string,
  version: string,
  properties: Record<string, unknown>,
): Record<string, unknown> {
  return { type, version, properties };
}
