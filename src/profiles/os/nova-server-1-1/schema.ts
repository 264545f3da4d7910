/**
 * Property schema of `os.nova.server-1.1`: the 1.0 schema, with block devices that can be
 * updated and taken from a volume pool, networks that can take a port or fixed IP from a pool,
 * and rapid scale from a golden node's snapshot.
 */
import {
  booleanProp,
  integerProp,
  listProp,
  mapProp,
  type PropertyMap,
  stringProp,
} from '../../../common/spec-schema/index.js';
import { networkFields, novaServerSchema } from '../nova-server/schema.js';

const volumePool = mapProp({
  description:
    'A pool of existing Cinder volumes to take this device from, one distinct available volume per node.',
  schema: {
    volumes: listProp(stringProp({ description: 'ID of a volume of the pool.', required: true }), {
      description: 'IDs of the volumes of the pool.',
    }),
    metadata: mapProp({
      description: 'Volumes whose metadata contains all these pairs belong to the pool.',
    }),
    name_prefix: stringProp({
      description: 'Volumes whose name starts with this text belong to the pool.',
    }),
    sticky: booleanProp({
      description: 'Whether a node keeps its volume when its server is recreated.',
      default: false,
    }),
  },
});

const blockDevice = mapProp({
  description: 'One block device to attach to the server (block device mapping v2).',
  schema: {
    uuid: stringProp({
      description: 'ID of the image, snapshot or volume the device is made from.',
    }),
    source_type: stringProp({
      description:
        "Where the device comes from: 'image', 'snapshot', 'volume' or 'blank' (not with 'pool').",
    }),
    destination_type: stringProp({
      description: "Where the device lives: 'volume' (block storage) or 'local' (hypervisor).",
    }),
    disk_bus: stringProp({ description: 'Bus the device is attached through (e.g. virtio).' }),
    device_name: stringProp({ description: 'Device name inside the guest (e.g. vdb).' }),
    volume_size: integerProp({
      description:
        'Size of the device, in GiB (in MiB for a swap device); may grow on update, never shrink.',
    }),
    guest_format: stringProp({
      description: 'File system or format of the device inside the guest (e.g. swap).',
    }),
    boot_index: integerProp({
      description: 'Position of the device in the boot order; 0 boots first.',
    }),
    device_type: stringProp({ description: 'Kind of device presented to the guest (e.g. disk).' }),
    delete_on_termination: booleanProp({
      description: 'Whether the volume is deleted together with the server.',
    }),
    pool: volumePool,
  },
});

const portPool = mapProp({
  description:
    'A pool of pre-created ports, or of fixed IP addresses, to give each node one distinct entry of.',
  schema: {
    ports: listProp(stringProp({ description: 'ID of an unbound port.', required: true }), {
      description: 'IDs of the pre-created ports of the pool.',
    }),
    port_name_prefix: stringProp({
      description: 'Unbound ports whose name starts with this text belong to the pool.',
    }),
    fixed_ips: listProp(
      stringProp({
        description: "An IPv4 address, or a range 'first-last' of addresses.",
        required: true,
      }),
      { description: 'Fixed IP addresses of the pool (needs `network`).' },
    ),
    sticky: booleanProp({
      description: 'Whether a node keeps its port or address when its server is recreated.',
      default: false,
    }),
  },
});

const network = mapProp({
  description: 'One network interface of the server.',
  schema: { ...networkFields, pool: portPool },
});

const rapidScale = mapProp({
  description:
    "New nodes of a cluster boot from the latest snapshot of a golden node instead of 'image'.",
  schema: {
    golden_node: stringProp({ description: 'Name or ID of the golden node.' }),
    golden_role: stringProp({
      description: 'Without golden_node: the cluster member with this role is the golden node.',
      default: 'golden',
    }),
  },
});

/** Properties of an `os.nova.server-1.1` spec. */
export const novaServer11Schema: PropertyMap = {
  ...novaServerSchema,
  block_device_mapping_v2: listProp(blockDevice, {
    description:
      'Block devices of the server (block device mapping v2); volumes grow, are attached and detached on update.',
    updatable: true,
  }),
  networks: listProp(network, {
    description: 'Network interfaces of the server.',
    updatable: true,
  }),
  rapid_scale: rapidScale,
};
