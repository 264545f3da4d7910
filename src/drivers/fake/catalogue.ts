/**
 * What the fake cloud contains before anything is created: flavors, images, a keypair,
 * compute hosts and zones, networks, a security group, volume types, load-balancer flavors
 * and zones, and regions. Ids are derived from names, so they are the same in every run.
 */
import { isoZ, stableUuid } from './common.js';
import { K } from './kinds.js';
import type { Doc, FakeStore } from './store.js';

/** Project owning the shared resources of the catalogue. */
export const ADMIN_PROJECT_ID = stableUuid('project:admin');

/**
 * Flavors: name → [id, ram MB, vcpus, disk GB, disabled]. `new_flavor` is the flavor
 * senlin-tempest-plugin updates profiles to (upstream's fake driver accepted any name).
 */
export const FLAVORS = {
  'm1.tiny': ['1', 512, 1, 1, false],
  'm1.small': ['2', 2048, 1, 20, false],
  'm1.medium': ['3', 4096, 2, 40, false],
  'm1.large': ['4', 8192, 4, 80, false],
  'm1.xlarge': ['5', 16384, 8, 160, false],
  'm1.retired': ['6', 1024, 1, 10, true],
  new_flavor: ['7', 1024, 1, 10, false],
} as const;

/**
 * Images: name → [min_disk GB, min_ram MB, size bytes]. `new_image` is the image
 * senlin-tempest-plugin updates profiles to (upstream's fake driver accepted any name).
 */
export const IMAGES = {
  'cirros-0.4.0-x86_64-disk': [0, 0, 12716032],
  cirros: [0, 0, 12716032],
  'ubuntu-22.04': [3, 512, 660_000_000],
  new_image: [0, 0, 12716032],
} as const;

/** Compute hosts: name → [availability zones, host ip]. Every host is in zone `nova`. */
export const HOSTS = {
  host1: [['nova', 'ZONE1'], '192.168.1.11'],
  host2: [['nova', 'ZONE2'], '192.168.1.12'],
} as const;

/** Availability zones of Nova, in listing order. */
export const ZONES = ['nova', 'ZONE1', 'ZONE2'] as const;

/** Networks: name → [subnet name, CIDR, gateway, pool start, pool end, external]. */
export const NETWORKS = {
  private: ['private-subnet', '10.0.0.0/16', '10.0.0.1', '10.0.0.2', '10.0.255.254', false],
  public: ['public-subnet', '172.24.4.0/24', '172.24.4.1', '172.24.4.2', '172.24.4.254', true],
} as const;

/** Volume types (the first is the default). */
export const VOLUME_TYPES = ['lvmdriver-1', 'ssd'] as const;

/** Octavia flavors: name → enabled. */
export const LB_FLAVORS = { 'lb.small': true, 'lb.large': true, 'lb.retired': false } as const;

/** Octavia availability zones. */
export const LB_ZONES = ['ZONE1', 'ZONE2'] as const;

/** Keystone regions. */
export const REGIONS = ['RegionOne', 'RegionTwo'] as const;

/** The keypair every user sees. */
export const KEYPAIR = 'oskey';

/** Id of a catalogue item (`stableUuid('<kind>:<name>')`). */
export function catalogueId(kind: string, name: string): string {
  return stableUuid(`${kind}:${name}`);
}

function doc(r: Record<string, unknown> & { id: string }, x: Record<string, unknown> = {}): Doc {
  return { r, x, p: [] };
}

function computeDocs(created: string): [string, Doc][] {
  const out: [string, Doc][] = [];
  for (const [name, [id, ram, vcpus, disk, disabled]] of Object.entries(FLAVORS)) {
    out.push([
      K.flavor,
      doc({
        id,
        name,
        ram,
        vcpus,
        disk,
        swap: 0,
        rxtx_factor: 1.0,
        description: null,
        'OS-FLV-EXT-DATA:ephemeral': 0,
        'OS-FLV-DISABLED:disabled': disabled,
        'os-flavor-access:is_public': true,
        extra_specs: {},
        links: [],
      }),
    ]);
  }
  for (const [name, [minDisk, minRam, size]] of Object.entries(IMAGES)) {
    out.push([
      K.image,
      doc({
        id: catalogueId('image', name),
        name,
        status: 'active',
        visibility: 'public',
        protected: false,
        disk_format: 'qcow2',
        container_format: 'bare',
        min_disk: minDisk,
        min_ram: minRam,
        size,
        owner: ADMIN_PROJECT_ID,
        tags: [],
        created_at: created,
        updated_at: created,
        os_hash_algo: 'sha512',
        file: `/v2/images/${catalogueId('image', name)}/file`,
      }),
    ]);
  }
  out.push([
    K.keypair,
    doc({
      id: KEYPAIR,
      name: KEYPAIR,
      type: 'ssh',
      fingerprint: '7e:eb:ab:24:ba:d1:e1:88:ae:9a:fb:66:53:df:d3:bd',
      public_key:
        'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDx8nkQv/zgGgB4rMYmIf+6A4l6Rr+o/6lHBQdW5aYd44bd8JttDCE/F/pNRr0lRE+PiqSPO8nDPHw0010JeMH9gYgnnFlyY3/OcJ02RhIPyyxYpv9FhY+2YiUkpwFOcLImyrxEsYXpD/0d3ac30bNH6Sw9JD9UZHYcpSxsIbECHw== oskey',
      user_id: null,
      created_at: created,
    }),
  ]);
  for (const [host, [zones, ip]] of Object.entries(HOSTS)) {
    const serviceId = catalogueId('service', `nova-compute@${host}`);
    out.push([
      K.service,
      doc({
        id: serviceId,
        binary: 'nova-compute',
        host,
        zone: zones[zones.length - 1],
        status: 'enabled',
        state: 'up',
        forced_down: false,
        disabled_reason: null,
        updated_at: created,
      }),
    ]);
    out.push([
      K.hypervisor,
      doc(
        {
          id: catalogueId('hypervisor', host),
          hypervisor_hostname: host,
          hypervisor_type: 'fake',
          hypervisor_version: 1000,
          host_ip: ip,
          vcpus: 32,
          memory_mb: 65536,
          local_gb: 1000,
          service: { host, id: serviceId, disabled_reason: null },
          state: 'up',
          status: 'enabled',
        },
        { zones: [...zones] },
      ),
    ]);
  }
  for (const binary of ['nova-scheduler', 'nova-conductor']) {
    out.push([
      K.service,
      doc({
        id: catalogueId('service', `${binary}@controller`),
        binary,
        host: 'controller',
        zone: 'internal',
        status: 'enabled',
        state: 'up',
        forced_down: false,
        disabled_reason: null,
        updated_at: created,
      }),
    ]);
  }
  return out;
}

function networkDocs(created: string): [string, Doc][] {
  const out: [string, Doc][] = [];
  const owner = { project_id: ADMIN_PROJECT_ID, tenant_id: ADMIN_PROJECT_ID };
  for (const [name, [subnetName, cidr, gateway, start, end, external]] of Object.entries(
    NETWORKS,
  )) {
    const netId = catalogueId('network', name);
    const subnetId = catalogueId('subnet', subnetName);
    out.push([
      K.network,
      doc({
        id: netId,
        name,
        status: 'ACTIVE',
        admin_state_up: true,
        shared: !external,
        'router:external': external,
        subnets: [subnetId],
        mtu: 1450,
        description: '',
        availability_zones: ['nova'],
        'provider:network_type': external ? 'flat' : 'vxlan',
        port_security_enabled: true,
        tags: [],
        created_at: created,
        updated_at: created,
        ...owner,
      }),
    ]);
    out.push([
      K.subnet,
      doc({
        id: subnetId,
        name: subnetName,
        network_id: netId,
        cidr,
        ip_version: 4,
        gateway_ip: gateway,
        allocation_pools: [{ start, end }],
        enable_dhcp: !external,
        dns_nameservers: [],
        host_routes: [],
        description: '',
        tags: [],
        created_at: created,
        updated_at: created,
        ...owner,
      }),
    ]);
  }
  out.push([
    K.securityGroup,
    securityGroupDoc(catalogueId('security_group', 'default'), ADMIN_PROJECT_ID, created),
  ]);
  return out;
}

/** A project's `default` security group. */
export function securityGroupDoc(id: string, projectId: string, created: string): Doc {
  const rule = (direction: string, remote: string | null) => ({
    id: stableUuid(`${id}:${direction}`),
    direction,
    ethertype: 'IPv4',
    protocol: null,
    port_range_min: null,
    port_range_max: null,
    remote_group_id: remote,
    remote_ip_prefix: null,
    security_group_id: id,
    project_id: projectId,
  });
  return doc({
    id,
    name: 'default',
    description: 'Default security group',
    project_id: projectId,
    tenant_id: projectId,
    stateful: true,
    tags: [],
    created_at: created,
    updated_at: created,
    security_group_rules: [rule('egress', null), rule('ingress', id)],
  });
}

function otherDocs(): [string, Doc][] {
  const out: [string, Doc][] = [];
  VOLUME_TYPES.forEach((name, i) => {
    out.push([
      K.volumeType,
      doc(
        {
          id: catalogueId('volume_type', name),
          name,
          description: null,
          is_public: true,
          extra_specs: { volume_backend_name: name },
          qos_specs_id: null,
        },
        { default: i === 0 },
      ),
    ]);
  });
  for (const [name, enabled] of Object.entries(LB_FLAVORS)) {
    out.push([
      K.lbFlavor,
      doc({
        id: catalogueId('lb_flavor', name),
        name,
        description: `Load balancer flavor ${name}`,
        enabled,
        flavor_profile_id: catalogueId('lb_flavor_profile', name),
      }),
    ]);
  }
  for (const name of LB_ZONES) {
    out.push([
      K.lbZone,
      doc({
        id: name,
        name,
        description: `Load balancer zone ${name}`,
        enabled: true,
        availability_zone_profile_id: catalogueId('lb_zone_profile', name),
      }),
    ]);
  }
  for (const name of REGIONS) {
    out.push([K.region, doc({ id: name, description: '', parent_region_id: null, links: {} })]);
  }
  return out;
}

/** Fills an empty store with the catalogue (once per state file). */
export function seedCatalogue(store: FakeStore): void {
  store.tx(() => {
    if (store.getValue('seeded') !== undefined) return;
    const created = isoZ(store.now());
    for (const [kind, d] of [...computeDocs(created), ...networkDocs(created), ...otherDocs()])
      store.put(kind, d);
    store.setValue('seeded', created);
  });
}
