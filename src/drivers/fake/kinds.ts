/** The kinds of documents of the fake cloud and how each is indexed. */
import type { Doc, DocIndex, Indexer } from './store.js';

/** Document kinds. */
export const K = {
  server: 'server',
  flavor: 'flavor',
  image: 'image',
  keypair: 'keypair',
  hypervisor: 'hypervisor',
  service: 'service',
  serverGroup: 'server_group',
  network: 'network',
  subnet: 'subnet',
  port: 'port',
  securityGroup: 'security_group',
  floatingIp: 'floating_ip',
  volume: 'volume',
  snapshot: 'snapshot',
  volumeType: 'volume_type',
  stack: 'stack',
  loadBalancer: 'loadbalancer',
  listener: 'listener',
  pool: 'pool',
  member: 'member',
  healthMonitor: 'healthmonitor',
  lbFlavor: 'lb_flavor',
  lbZone: 'lb_availability_zone',
  region: 'region',
  trust: 'trust',
  queue: 'queue',
  subscription: 'subscription',
  message: 'message',
  claim: 'claim',
  container: 'container',
} as const;

/** One of the document kinds. */
export type Kind = (typeof K)[keyof typeof K];

function s(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

const named =
  (nameKey = 'name', parent?: (doc: Doc) => unknown): Indexer =>
  (doc): DocIndex => ({
    name: s(doc.r[nameKey]),
    parent: parent ? s(parent(doc)) : null,
    project: s(
      doc.r.project_id ?? doc.r.tenant_id ?? doc.r['os-vol-tenant-attr:tenant_id'] ?? doc.r.project,
    ),
  });

function firstAttachment(doc: Doc): unknown {
  const list = doc.r.attachments;
  if (!Array.isArray(list) || list.length === 0) return null;
  return (list[0] as Record<string, unknown>).server_id;
}

/** Index columns per kind. */
export const INDEXERS: Readonly<Record<string, Indexer>> = {
  [K.server]: named(),
  [K.flavor]: named(),
  [K.image]: named(),
  [K.keypair]: named(),
  [K.hypervisor]: named('hypervisor_hostname'),
  [K.service]: named('binary', (d) => d.r.host),
  [K.serverGroup]: named(),
  [K.network]: named(),
  [K.subnet]: named('name', (d) => d.r.network_id),
  [K.port]: named('name', (d) => d.r.device_id),
  [K.securityGroup]: named(),
  [K.floatingIp]: named('floating_ip_address', (d) => d.r.port_id),
  [K.volume]: named('name', firstAttachment),
  [K.snapshot]: named('name', (d) => d.r.volume_id),
  [K.volumeType]: named(),
  [K.stack]: named('stack_name'),
  [K.loadBalancer]: named(),
  [K.listener]: named('name', (d) => d.x.lb),
  [K.pool]: named('name', (d) => d.x.lb),
  [K.member]: named('name', (d) => d.x.pool),
  [K.healthMonitor]: named('name', (d) => d.x.lb),
  [K.lbFlavor]: named(),
  [K.lbZone]: named(),
  [K.region]: named('id'),
  [K.trust]: named('trustee_user_id', (d) => d.r.trustor_user_id),
  [K.queue]: named(),
  [K.subscription]: named('subscriber', (d) => d.r.source),
  [K.message]: named('id', (d) => d.x.queue),
  [K.claim]: named('id', (d) => d.x.queue),
  [K.container]: named('Name', (d) => d.x.daemon),
};
