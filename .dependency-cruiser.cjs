/**
 * The import rules of docs/ARCHITECTURE.md ("Import rules"), kept by dependency-cruiser in CI
 * (`npm run deps`). Violations that existed when the rules were written are listed in
 * .dependency-cruiser-known-violations.json and do not fail the run (`--ignore-known`); any NEW
 * violation does. As the layout work moves code into place, regenerate the baseline
 * (`npm run deps:baseline`) so that it only shrinks; never add to it by hand.
 */
/** The top-level folders of the code. */
const FOLDERS = 'audit|bench|bin|commands|gateways|ops|projections|runtime|stores|streams|test|web';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycle',
      // An error: the folders follow one order (docs/ARCHITECTURE.md, "Import rules"; decision 0320).
      // dependency-cruiser 17's known-violations baseline covers module rules only, so a folder cycle
      // fails the run even when the baseline lists it.
      severity: 'error',
      comment:
        'No import cycle between folders (a folder that needs another folder which needs it back is one module in two places).',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-module-cycle',
      severity: 'error',
      comment: 'No import cycle between modules (type-only imports included: they still tie the modules together).',
      from: { path: `^(${FOLDERS})/` },
      to: { circular: true },
    },
    {
      name: 'nats-only-in-streams',
      severity: 'error',
      comment:
        "Only streams/ talks to NATS (the event log, signals); the benchmarks' raw baselines and the test support that starts servers are the exceptions.",
      from: { path: '^', pathNot: '^(streams|bench|test/support)/|\\.test\\.ts$' },
      to: { path: '(^|/)node_modules/@nats-io/' },
    },
    {
      name: 'gateways-not-stores',
      severity: 'error',
      comment: 'Gateways use use cases and query interfaces, never a store adapter.',
      from: { path: '^gateways/', pathNot: '\\.test\\.ts$' },
      to: { path: '^stores/' },
    },
    {
      name: 'gateways-not-projection-runtime',
      severity: 'error',
      comment:
        'Gateways never drive the projection runtime (consumers, checkpoints, rebuild); they read views through query interfaces.',
      from: { path: '^gateways/', pathNot: '\\.test\\.ts$' },
      to: { path: '^projections/(runtime/|index\\.ts$)' },
    },
    {
      name: 'projections-not-gateways',
      severity: 'error',
      comment: 'Projections build views from the log; they never call a gateway.',
      from: { path: '^projections/' },
      to: { path: '^gateways/' },
    },
    {
      name: 'commands-not-views',
      severity: 'error',
      comment:
        'Commands read views and stores only through the narrow interfaces they declare (commands/<aggregate>/reads.ts); bin/ passes the views and stores in.',
      from: { path: '^commands/' },
      to: { path: '^(projections|stores|gateways)/' },
    },
    {
      name: 'stores-not-domain',
      severity: 'error',
      comment: 'stores/ imports nothing of the domain: ports and adapters only.',
      from: { path: '^stores/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(commands|projections|gateways|audit|bin)/' },
    },
    {
      name: 'only-bin-wires',
      severity: 'error',
      comment: 'Only bin/ (and tests, benchmarks, ops tools) imports bin/: the wiring is not a library.',
      from: { path: '^', pathNot: '^(bin|bench|test|ops)/|\\.test\\.ts$' },
      to: { path: '^bin/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves (a typo or a missing dependency).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The rules are about the product's code: tests and their support may reach into anything.
    exclude: { path: '^(\\.tmp|data|coverage|test)/|\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
