/** Property schema of the Nova server profile (`os.nova.server`). */
import {
  booleanProp,
  integerProp,
  listProp,
  mapProp,
  type PropertyMap,
  stringProp,
} from '../../../common/spec-schema/index.js';

const blockDevice = mapProp({
  description: 'One block device to attach to the server when it boots.',
  schema: {
    uuid: stringProp({
      description: 'ID of the image, snapshot or volume the device is made from.',
    }),
    source_type: stringProp({
      description: "Where the device comes from: 'image', 'snapshot', 'volume' or 'blank'.",
      required: true,
    }),
    destination_type: stringProp({
      description: "Where the device lives: 'volume' (block storage) or 'local' (hypervisor).",
      required: true,
    }),
    disk_bus: stringProp({ description: 'Bus the device is attached through (e.g. virtio).' }),
    device_name: stringProp({ description: 'Device name inside the guest (e.g. vdb).' }),
    volume_size: integerProp({
      description: 'Size of the device, in GiB (in MiB for a swap device).',
      required: true,
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
  },
});

/** The properties of one `networks` entry (version 1.1 adds a pool to them). */
export const networkFields = {
  network: stringProp({ description: 'Name or ID of the network to create a port on.' }),
  port: stringProp({ description: 'ID of an existing, unbound port to use instead.' }),
  vnic_type: stringProp({
    description: "VNIC type of the port: 'normal', 'direct' or 'macvtap'.",
  }),
  fixed_ip: stringProp({
    description: 'Fixed IP address to request for the new port (not with `port`).',
  }),
  security_groups: listProp(
    stringProp({ description: 'Name or ID of a security group.', required: true }),
    { description: 'Security groups applied to this port.' },
  ),
  floating_network: stringProp({
    description: 'Name or ID of the external network to take a floating IP from.',
  }),
  floating_ip: stringProp({
    description: 'Floating IP address to associate with this port.',
  }),
} as const;

const network = mapProp({
  description: 'One network interface of the server.',
  schema: networkFields,
});

const personalityFile = mapProp({
  description: 'A file to inject into the server.',
  schema: {
    path: stringProp({ description: 'Path of the file inside the server.', required: true }),
    contents: stringProp({ description: 'Contents of the file.', required: true }),
  },
});

/** Properties of an `os.nova.server` spec. */
export const novaServerSchema: PropertyMap = {
  context: mapProp({
    description: 'Overrides of the connection used for this server (e.g. region_name).',
  }),
  admin_pass: stringProp({ description: 'Password of the administrator account.' }),
  auto_disk_config: booleanProp({
    description: 'Whether the root disk is partitioned and resized automatically.',
    default: true,
  }),
  availability_zone: stringProp({
    description: 'Availability zone to create the server in.',
  }),
  block_device_mapping_v2: listProp(blockDevice, {
    description: 'Block devices to attach to the server (block device mapping v2).',
  }),
  config_drive: booleanProp({ description: 'Whether to attach a configuration drive.' }),
  flavor: stringProp({
    description: 'Name or ID of the flavor of the server.',
    required: true,
    updatable: true,
  }),
  image: stringProp({
    description:
      'Name or ID of the image to boot from; may be left out when booting from a volume.',
    updatable: true,
  }),
  key_name: stringProp({ description: 'Name of the key pair to inject into the server.' }),
  metadata: mapProp({
    description: 'Key/value pairs stored as server metadata (at most 255 characters each).',
    updatable: true,
  }),
  name: stringProp({
    description: 'Name of the server; the node name is used when left out.',
    updatable: true,
  }),
  networks: listProp(network, {
    description: 'Network interfaces of the server.',
    updatable: true,
  }),
  personality: listProp(personalityFile, {
    description: 'Files to inject into the server when it is created.',
  }),
  scheduler_hints: mapProp({
    description: 'Key/value hints passed to the compute scheduler.',
  }),
  security_groups: listProp(
    stringProp({ description: 'Name of a security group.', required: true }),
    { description: 'Security groups of the server.' },
  ),
  user_data: stringProp({
    description: 'User data made available to the server through the metadata service.',
  }),
};
