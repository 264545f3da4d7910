/**
 * Layer rules of senlin-ts (see docs/architecture.md). A module may import from its own layer
 * and from layers listed before it:
 *   common, config  <-  db, drivers, messaging  <-  profiles, policies  <-  engine
 *   <-  conductor, health  <-  api  <-  cmd
 * profiles and policies may reach the engine only through engine/contracts.ts, type-only.
 */
const layer = (name, forbidden, extra = {}) => ({
  name: `layer-${name}`,
  severity: 'error',
  comment: `src/${name} must not depend on higher layers`,
  from: { path: `^src/${name}/` },
  to: { path: `^src/(${forbidden.join('|')})/`, ...extra },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    layer('common', [
      'config',
      'db',
      'drivers',
      'messaging',
      'profiles',
      'policies',
      'engine',
      'conductor',
      'health',
      'api',
      'cmd',
    ]),
    layer('config', [
      'db',
      'drivers',
      'messaging',
      'profiles',
      'policies',
      'engine',
      'conductor',
      'health',
      'api',
      'cmd',
    ]),
    layer('db', [
      'drivers',
      'messaging',
      'profiles',
      'policies',
      'engine',
      'conductor',
      'health',
      'api',
      'cmd',
    ]),
    layer('drivers', [
      'db',
      'messaging',
      'profiles',
      'policies',
      'engine',
      'conductor',
      'health',
      'api',
      'cmd',
    ]),
    layer('messaging', [
      'db',
      'drivers',
      'profiles',
      'policies',
      'engine',
      'conductor',
      'health',
      'api',
      'cmd',
    ]),
    layer('profiles', ['policies', 'conductor', 'health', 'api', 'cmd']),
    layer('policies', ['profiles', 'conductor', 'health', 'api', 'cmd']),
    {
      name: 'plugins-reach-engine-through-contracts',
      severity: 'error',
      from: { path: '^src/(profiles|policies)/' },
      to: { path: '^src/engine/', pathNot: '^src/engine/contracts\\.ts$' },
    },
    layer('engine', ['conductor', 'health', 'api', 'cmd']),
    layer('conductor', ['health', 'api', 'cmd']),
    layer('health', ['conductor', 'api', 'cmd']),
    layer('api', ['cmd']),
    {
      name: 'no-process-env-outside-config',
      severity: 'error',
      comment:
        'only src/config reads the environment (enforced by biome/grep in test/unit/conventions.test.ts)',
      from: { path: '^src/(?!config/)' },
      to: { path: '^$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
