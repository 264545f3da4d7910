/**
 * The option registry: every option senlin-ts reads from senlin.conf, with upstream Senlin's
 * names, types and defaults, plus the library options (oslo.db, keystonemiddleware,
 * oslo.messaging, oslo.policy, oslo.log, CORS) that senlin-ts honours. This is the single
 * source for loading, validation, etc/senlin.conf.sample and docs/configuration.md.
 */
import { hostname } from 'node:os';
import type { ConfigOf } from './option.js';
import { bool, float, host, int, ip, list, multistr, port, str, uri } from './option.js';

const DEFAULT = {
  host: host(
    'Name of this node: the host of service rows and the publisher of notifications.',
    hostname() as string,
    {
      sampleDefault: '<host name>',
    },
  ),
  auth_strategy: str(
    'How API requests are authenticated: keystone (tokens validated by Keystone) or noauth (identity taken from X-User-Id, X-Project-Id and X-Roles headers; for local use only).',
    'keystone',
    {
      choices: ['keystone', 'noauth'],
    },
  ),
  cloud_backend: str(
    'Cloud driver plugin: openstack (real OpenStack REST APIs) or openstack_test (the in-memory fake cloud, for tests and demos).',
    'openstack',
    {
      choices: ['openstack', 'openstack_test'],
    },
  ),
  data_dir: str(
    'Directory for local state (the SQLite database when [database] connection is unset). Without any configuration file it defaults to $SENLIN_TS_DATA_DIR, else $XDG_DATA_HOME/senlin-ts, else ~/.local/share/senlin-ts.',
    null,
  ),
  default_region_name: str(
    'Region used for all cloud connections and for looking up the clustering endpoint.',
    null,
  ),
  max_response_size: int(
    'Maximum number of bytes read from a URL (health checks that poll a URL).',
    524288,
    { min: 0 },
  ),
  notification_topics: list('Topics on which the message event backend publishes notifications.', [
    'versioned_notifications',
  ]),
  periodic_interval: int('Seconds between service heartbeats and periodic sweeps.', 60, { min: 1 }),
  check_interval_max: int('Largest health check interval in seconds.', 3600, { min: 1 }),
  health_check_interval_min: int(
    'Smallest detection interval in seconds a health policy may ask for.',
    60,
    { min: 0 },
  ),
  environment_dir: str(
    'Directory of environment files with custom plugin mappings.',
    '/etc/senlin/environments',
  ),
  max_nodes_per_cluster: int('Maximum number of nodes in one cluster.', 1000, { min: 1 }),
  max_clusters_per_project: int('Maximum number of clusters one project may own.', 100, { min: 1 }),
  default_action_timeout: int(
    'Default timeout of actions in seconds, and of clusters that do not set one.',
    3600,
    { min: 1 },
  ),
  default_nova_timeout: int('Seconds to wait for a Nova server to reach a requested status.', 600, {
    min: 1,
  }),
  max_actions_per_batch: int(
    'Node actions one engine starts before pausing for batch_interval (0: no limit).',
    0,
    { min: 0 },
  ),
  batch_interval: int('Seconds between batches of node actions.', 3, { min: 0 }),
  lock_retry_times: int('Times an action retries to take a lock before failing.', 3, { min: 0 }),
  lock_retry_interval: int('Seconds between lock retries.', 10, { min: 0 }),
  database_retry_limit: int(
    'Attempts for a database operation that hit a transient error (deadlock, lost connection).',
    10,
    { min: 0 },
  ),
  database_retry_interval: float(
    'Initial seconds between database retries; doubles on each attempt.',
    0.3,
    { min: 0 },
  ),
  database_max_retry_interval: float('Largest interval in seconds between database retries.', 2, {
    min: 0,
  }),
  engine_life_check_timeout: int('Seconds to wait for an answer from another service process.', 2, {
    min: 1,
  }),
  name_unique: bool(
    'Refuse to create a profile, policy, cluster, node or receiver whose name is taken in the project.',
    false,
  ),
  service_down_time: int(
    'Seconds without a heartbeat after which a service is reported down.',
    60,
    { min: 1 },
  ),
  trust_roles: list(
    'Roles delegated in the trusts senlin-ts creates (empty: the roles of the requester).',
    [],
  ),
  event_purge_age: int(
    'Days after which engines delete events automatically, hourly (0: keep them; senlin-ts manage event_purge deletes on demand).',
    0,
    { min: 0 },
  ),
  action_purge_age: int(
    'Days after which engines delete finished actions automatically, hourly (0: keep them; senlin-ts manage action_purge deletes on demand).',
    0,
    { min: 0 },
  ),
  event_dispatchers: multistr(
    'Event backends: database (stored, listed by the API) and message (notifications).',
    ['database'],
  ),
  transport_url: uri('Messaging transport URL, e.g. rabbit://user:pass@host:5672/.', null, {
    secret: true,
  }),
  control_exchange: str(
    'Exchange of the notifications senlin-ts publishes (and of its messaging topics).',
    'senlin',
  ),
  debug: bool('Log at debug level.', false),
  log_file: str('File to log to (default: standard output).', null),
  log_dir: str('Directory of log_file when it is a relative path.', null),
  use_stderr: bool('Log to standard error.', false),
} as const;

const senlin_api = {
  bind_host: ip('Address the API server listens on.', '0.0.0.0'),
  bind_port: port('Port the API server listens on.', 8777),
  backlog: int('Listen backlog of the API socket.', 4096, { min: 1 }),
  cert_file: str('TLS certificate file of the API server.', null),
  key_file: str('TLS private key file of the API server.', null),
  workers: int('API worker processes (0: one).', 0, { min: 0 }),
  max_header_line: int('Largest accepted HTTP header size in bytes.', 16384, { min: 1 }),
  tcp_keepidle: int('Seconds of idle time before TCP keepalive probes.', 600, { min: 0 }),
  api_paste_config: str(
    'Paste deployment file of upstream Senlin; not used by senlin-ts.',
    'api-paste.ini',
    { unused: true },
  ),
  wsgi_keep_alive: bool('Keep client connections open between requests.', true),
  client_socket_timeout: int('Seconds an idle client connection is kept open (0: forever).', 900, {
    min: 0,
  }),
  max_json_body_size: int('Largest accepted JSON request body in bytes.', 1048576, { min: 1 }),
} as const;

const authentication = {
  auth_url: str(
    'Keystone v3 URL used with the service credentials below (empty: the auth_url of [keystone_authtoken]).',
    '',
  ),
  service_username: str(
    'User name of the senlin service user: the trustee of the trusts users give senlin-ts.',
    'senlin',
  ),
  service_password: str(
    'Password of the senlin service user (needed with auth_strategy = keystone).',
    '',
    { secret: true },
  ),
  service_project_name: str('Project of the senlin service user.', 'service'),
  service_user_domain: str('Domain of the senlin service user.', 'Default'),
  service_project_domain: str('Domain of the project of the senlin service user.', 'Default'),
  verify_ssl: bool('Verify TLS certificates of cloud endpoints.', true),
  interface: str('Endpoint interface used from the service catalog.', 'public'),
  cafile: str('CA bundle for TLS verification of cloud endpoints.', null),
  certfile: str('Client certificate for cloud endpoints.', null),
  keyfile: str('Client key for cloud endpoints.', null),
  insecure: bool('Skip TLS verification of cloud endpoints.', false),
  timeout: int('Seconds before an HTTP request to a cloud endpoint times out.', null, { min: 1 }),
  connect_retries: int(
    'Further attempts of an idempotent request to a cloud endpoint after a connection failure or a timeout (a POST only when the connection was refused), with exponential backoff.',
    3,
    { min: 0 },
  ),
  status_code_retries: int(
    'Further attempts of an idempotent request to a cloud endpoint that answered a 5xx status other than 501, with exponential backoff (Retry-After honoured).',
    3,
    { min: 0 },
  ),
  collect_timing: bool('Collect per-request timing information of cloud API calls.', false, {
    unused: true,
  }),
  split_loggers: bool('Log cloud API requests and responses to separate loggers.', false, {
    unused: true,
  }),
  trust_cache_time: int(
    'Seconds the API reuses the trust of a user in a project without asking Keystone whether it still exists (0: ask on every request). A trust deleted in Keystone is replaced at the latest this long after.',
    300,
    { min: 0 },
  ),
} as const;

const conductor = {
  workers: int('Conductor processes (the conductor runs inside the API process in senlin-ts).', 1, {
    min: 1,
  }),
  threads: int('Concurrent conductor operations.', 1000, { min: 1 }),
} as const;

const engine = {
  workers: int('Engine processes started by senlin-ts engine.', 1, {
    min: 1,
    deprecatedNames: [{ group: 'DEFAULT', name: 'num_engine_workers' }],
  }),
  threads: int('Actions one engine process runs at the same time.', 1000, {
    min: 1,
    deprecatedNames: [{ group: 'DEFAULT', name: 'scheduler_thread_pool_size' }],
  }),
  check_before_scaling: bool(
    'Check the members of a cluster (in parallel) before a scale-out, scale-in or resize, so that dead nodes are not counted as capacity: they become the first victims of a scale-in and are recovered with the health policy before a scale-out. A cluster can turn it off with its config key cluster.check_before_scaling = false.',
    true,
  ),
  poll_interval: float(
    'Seconds between looks at the database for work and signals when no notification arrives (other processes only notify through the database).',
    0.5,
    { min: 0.01 },
  ),
  shutdown_timeout: int(
    'Seconds a stopping engine waits for running actions to finish before it hands them back.',
    30,
    { min: 0 },
  ),
} as const;

const health_manager = {
  nova_control_exchange: str('Exchange of Nova notifications.', 'nova'),
  nova_notification_topic: str('Topic of Nova notifications.', 'versioned_notifications'),
  heat_control_exchange: str('Exchange of Heat notifications.', 'heat'),
  heat_notification_topic: str('Topic of Heat notifications.', 'notifications'),
  enabled_endpoints: multistr('Notification sources the health manager listens to.', [
    'nova',
    'heat',
  ]),
  workers: int('Health manager processes.', 1, { min: 1 }),
  threads: int('Concurrent health checks of one health manager process.', 1000, {
    min: 1,
    deprecatedNames: [{ group: 'DEFAULT', name: 'health_manager_thread_pool_size' }],
  }),
  cleanup_interval: int(
    'Seconds between cleanups of orphaned health checks; senlin-ts stops a check as soon as its registration is gone or moved, at every sweep of the health registry.',
    900,
    { min: 1, unused: true },
  ),
  listener_queue_expiry: int(
    'Seconds the notification queue of a health manager (senlin-listeners.<host>) is kept by RabbitMQ while nothing consumes it (0: for ever). Changing it needs the old queue deleted first.',
    86400,
    { min: 0 },
  ),
} as const;

const dispatchers = {
  priority: str('Lowest level of events that are dispatched when debug is off.', 'info', {
    choices: ['critical', 'error', 'warning', 'info', 'debug'],
  }),
  exclude_derived_actions: bool(
    'Do not record events of actions derived from other actions.',
    true,
  ),
} as const;

const notification = {
  max_message_size: int('Largest message in bytes posted to a lifecycle hook queue.', 65535, {
    min: 1,
  }),
  ttl: int('Seconds a lifecycle hook message lives.', 300, { min: 1 }),
  max_queue_length: int(
    'Outgoing notifications kept in memory while the message broker cannot be reached; beyond it the oldest are dropped (events stay in the database).',
    10000,
    { min: 1 },
  ),
} as const;

const receiver = {
  host: str(
    'Host name used in webhook URLs (default: the clustering endpoint of the catalog).',
    null,
    {
      deprecatedNames: [{ group: 'webhook', name: 'host' }],
    },
  ),
  port: port('Port used in webhook URLs.', 8777, {
    deprecatedNames: [{ group: 'webhook', name: 'port' }],
  }),
  max_message_size: int('Largest message in bytes posted to a message receiver queue.', 65535, {
    min: 1,
  }),
} as const;

const revision = {
  senlin_api_revision: str('API revision reported by GET /v1/build-info.', '1.0'),
  senlin_engine_revision: str('Engine revision reported by GET /v1/build-info.', '1.0'),
} as const;

const zaqar = {
  auth_type: str('Authentication plugin of the Zaqar trustee user.', null),
  auth_section: str('Section to read the Zaqar trustee credentials from.', null),
  auth_url: str('Keystone URL of the Zaqar trustee user.', null),
  username: str('User name of the Zaqar trustee user.', null),
  password: str('Password of the Zaqar trustee user.', null, { secret: true }),
  user_id: str('User id of the Zaqar trustee user.', null),
  user_domain_id: str('Domain id of the Zaqar trustee user.', null),
  user_domain_name: str('Domain name of the Zaqar trustee user.', null),
  project_id: str('Project id of the Zaqar trustee user.', null),
  project_name: str('Project name of the Zaqar trustee user.', null),
  project_domain_id: str('Domain id of that project.', null),
  project_domain_name: str('Domain name of that project.', null),
  domain_id: str('Domain id for domain-scoped authentication.', null),
  domain_name: str('Domain name for domain-scoped authentication.', null),
  trust_id: str('Trust id for trust-scoped authentication.', null),
  system_scope: str('System scope for system-scoped authentication.', null),
  default_domain_id: str('Default domain id for v3 user and project domains.', null),
  default_domain_name: str('Default domain name for v3 user and project domains.', null),
  cafile: str('CA bundle for TLS verification of the Zaqar and Keystone endpoints.', null),
  certfile: str('Client certificate for the Zaqar and Keystone endpoints.', null),
  keyfile: str('Client key for the Zaqar and Keystone endpoints.', null),
  insecure: bool('Skip TLS verification of the Zaqar and Keystone endpoints.', false),
  timeout: int('Seconds before an HTTP request to Zaqar or Keystone times out.', null, { min: 1 }),
  collect_timing: bool('Collect per-request timing information.', false, { unused: true }),
  split_loggers: bool('Log requests and responses to separate loggers.', false, { unused: true }),
} as const;

const fake_cloud = {
  state_file: str(
    'SQLite file holding the state of the fake cloud (cloud_backend = openstack_test), so that several senlin-ts processes share the same servers, stacks and load balancers. Unset: the fake cloud lives in the memory of each process.',
    null,
  ),
  default_delay: float(
    'Seconds each status transition of the fake cloud takes (server build, stack create, load balancer provisioning, ...) unless a resource asks otherwise with simulated_wait_time.',
    0,
    { min: 0 },
  ),
  clustering_endpoint: str(
    'Clustering endpoint the fake cloud reports from its service catalog (used in webhook URLs). Unset: none.',
    null,
  ),
} as const;

const database = {
  connection: str(
    'Database URL: sqlite:///path, postgresql://user:pass@host/db or mysql://user:pass@host/db (SQLAlchemy driver suffixes such as mysql+pymysql:// are accepted). Unset: SQLite in data_dir.',
    null,
    { secret: true },
  ),
  max_pool_size: int('Largest number of open connections to PostgreSQL or MySQL.', 5, { min: 1 }),
  pool_timeout: int('Seconds to wait for a free pooled connection.', 30, { min: 1 }),
  connection_recycle_time: int('Seconds after which an idle pooled connection is replaced.', 3600, {
    min: 1,
  }),
  max_retries: int('Attempts to open the first connection at start-up (-1: forever).', 10, {
    min: -1,
  }),
  retry_interval: int('Seconds between attempts to open the first connection.', 10, { min: 0 }),
  connection_debug: int('Verbosity of SQL logging (0 none, 50 debug).', 0, { min: 0, max: 100 }),
  sqlite_synchronous: bool('Use synchronous mode for SQLite.', true),
} as const;

const keystone_authtoken = {
  www_authenticate_uri: str(
    'Keystone endpoint announced to clients in WWW-Authenticate headers.',
    null,
    {
      deprecatedNames: [{ group: 'keystone_authtoken', name: 'auth_uri' }],
    },
  ),
  auth_url: str('Keystone URL used to obtain the service token that validates user tokens.', null),
  auth_type: str('Authentication plugin of the service user (password).', 'password'),
  username: str('User name of the service user that validates tokens.', null),
  password: str('Password of that user.', null, { secret: true }),
  user_domain_name: str('Domain of that user.', 'Default'),
  user_domain_id: str('Domain id of that user.', null),
  project_name: str('Project of that user.', null),
  project_domain_name: str('Domain of that project.', 'Default'),
  project_domain_id: str('Domain id of that project.', null),
  region_name: str('Region of the identity endpoint.', null),
  interface: str('Interface of the identity endpoint.', 'internal'),
  token_cache_time: int('Seconds a validated token is cached (-1: no cache).', 300, { min: -1 }),
  http_connect_timeout: int('Seconds before a request to Keystone times out.', null, { min: 1 }),
  http_request_max_retries: int('Retries of a failed request to Keystone.', 3, { min: 0 }),
  cafile: str('CA bundle to verify Keystone.', null),
  insecure: bool('Do not verify Keystone TLS certificates.', false),
  delay_auth_decision: bool('Pass unauthenticated requests on instead of refusing them.', false, {
    unused: true,
  }),
  memcached_servers: list(
    'Memcached servers for token caching (senlin-ts caches in process).',
    [],
    { unused: true },
  ),
  service_type: str('Service type of senlin in the catalog.', 'clustering'),
  service_token_roles: list('Roles a service token must have.', ['service']),
  service_token_roles_required: bool('Require service tokens to carry service_token_roles.', false),
} as const;

const oslo_messaging_rabbit = {
  heartbeat_timeout_threshold: int(
    'Seconds of missed AMQP heartbeats before a connection is dead (0: off).',
    60,
    { min: 0 },
  ),
  rabbit_retry_interval: int('Seconds before reconnecting to RabbitMQ.', 1, { min: 0 }),
  rabbit_retry_backoff: int('Added seconds between successive reconnects.', 2, { min: 0 }),
  rabbit_interval_max: int('Largest seconds between reconnects.', 30, { min: 1 }),
  ssl: bool('Connect to RabbitMQ over TLS.', false),
  ssl_ca_file: str('CA bundle for RabbitMQ TLS.', null),
  ssl_cert_file: str('Client certificate for RabbitMQ TLS.', null),
  ssl_key_file: str('Client key for RabbitMQ TLS.', null),
  amqp_durable_queues: bool(
    'Declare notification exchanges and queues durable (as the other services on the broker do).',
    false,
  ),
  amqp_auto_delete: bool('Declare auto-deleting queues and exchanges.', false),
} as const;

const oslo_messaging_notifications = {
  driver: multistr(
    'Notification drivers: messagingv2 (oslo.messaging message format 2.0 on the transport), messaging (format 1.0), log, noop. None named: messagingv2 when a transport URL is set.',
    [],
  ),
  transport_url: uri('Transport for notifications (default: [DEFAULT] transport_url).', null, {
    secret: true,
  }),
  topics: list(
    'Topics of oslo.messaging notifiers; senlin-ts publishes on [DEFAULT] notification_topics, as upstream Senlin does.',
    ['notifications'],
    { unused: true },
  ),
  retry: int('Retries of a failed notification send (-1: forever).', -1, { min: -1 }),
} as const;

const oslo_policy = {
  policy_file: str(
    'Policy file (YAML or JSON) overriding the default rules, relative to the configuration directory.',
    'policy.yaml',
  ),
  policy_default_rule: str('Rule checked when a requested rule is not found.', 'default'),
  policy_dirs: multistr('Directories of additional policy files.', ['policy.d']),
  enforce_scope: bool('Enforce token scope types of rules.', false, { unused: true }),
  enforce_new_defaults: bool('Use new default rules over deprecated ones.', false, {
    unused: true,
  }),
} as const;

const oslo_middleware = {
  enable_proxy_headers_parsing: bool(
    'Honour X-Forwarded-Proto / Forwarded headers from a proxy in front of the API.',
    false,
  ),
} as const;

const cors = {
  allowed_origin: list('Origins allowed to make cross-origin requests.', []),
  allow_credentials: bool('Allow credentials in cross-origin requests.', true),
  expose_headers: list('Headers exposed to cross-origin clients.', [
    'X-Auth-Token',
    'X-Subject-Token',
    'X-Service-Token',
    'X-OpenStack-Request-ID',
    'OpenStack-API-Version',
  ]),
  max_age: int('Seconds a CORS preflight answer may be cached.', 3600, { min: 0 }),
  allow_methods: list('Methods allowed in cross-origin requests.', [
    'GET',
    'PUT',
    'POST',
    'DELETE',
    'PATCH',
  ]),
  allow_headers: list('Headers allowed in cross-origin requests.', [
    'X-Auth-Token',
    'X-Identity-Status',
    'X-Roles',
    'X-Service-Catalog',
    'X-User-Id',
    'X-Tenant-Id',
    'X-OpenStack-Request-ID',
    'OpenStack-API-Version',
  ]),
} as const;

const metrics = {
  bind_host: host(
    'Address the Prometheus metrics endpoint (GET /metrics) listens on. It is not authenticated: keep it on a management network.',
    '127.0.0.1',
  ),
  bind_port: port(
    'Port of the Prometheus metrics endpoint of this process; 0 serves no metrics. Processes on one host need a port each.',
    0,
  ),
} as const;

/** Every option group senlin-ts knows, in sample-file order. */
export const OPTIONS = {
  DEFAULT,
  senlin_api,
  authentication,
  conductor,
  engine,
  health_manager,
  dispatchers,
  notification,
  receiver,
  revision,
  zaqar,
  fake_cloud,
  metrics,
  database,
  keystone_authtoken,
  oslo_messaging_rabbit,
  oslo_messaging_notifications,
  oslo_policy,
  oslo_middleware,
  cors,
} as const;

/** The loaded configuration: every group and option of the registry, parsed and frozen. */
export type Config = ConfigOf<typeof OPTIONS>;
