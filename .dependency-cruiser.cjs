// The layer table of ARCHITECTURE.md, checked on resolved import paths (`npm run layers`).

/** Domain folders of electron/: what others may use of one is its api.ts, nothing else. */
const domains = ['patients', 'drugs', 'profile', 'prescriptions', 'dmp'];

/** An adapter (Electron shell, IPC, preload, HTTP host, CLI) reaches the app only through these. */
const adapterMayUse = [
  '^shared/',
  '^electron/(app|dispatch|log|paths|version|security)\\.ts$',
  '^electron/worker/(client|backend)\\.ts$',
  '^electron/(main|preload|ipc|cli)\\.ts$',
  '^electron/(host|cli)/',
  '^electron/sandbox/',
  'node_modules/',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycle, type-only ones included (shared types live in a module of their own, like db/types.ts).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'adapters-through-the-app',
      comment: 'Adapters go through app.ts, dispatch.ts and the worker client, never into a service.',
      severity: 'error',
      from: { path: '^electron/(main|preload|ipc|cli)\\.ts$|^electron/(host|cli)/' },
      to: { pathNot: adapterMayUse, dependencyTypesNot: ['core'] },
    },
    ...domains.map((domain) => ({
      name: `no-reaching-into-${domain}`,
      comment: `Other folders of electron/ use ${domain}/api.ts only; the composition roots (electron/*.ts) wire the rest.`,
      severity: 'error',
      from: { path: '^electron/[^/]+/', pathNot: `^electron/${domain}/` },
      to: { path: `^electron/${domain}/`, pathNot: `^electron/${domain}/api\\.ts$` },
    })),
    {
      name: 'renderer-not-main',
      comment: 'The renderer is a browser program: it never imports main-process code.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^electron/' },
    },
    {
      name: 'renderer-no-node-no-electron',
      comment: 'The renderer imports no Node built-in, no Electron and no native module.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '(^|/)node_modules/(electron|better-sqlite3)/', dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-no-pkg', 'npm-unknown', 'local', 'unknown', 'undetermined'] },
    },
    {
      name: 'renderer-no-core',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-only-shared',
      comment: 'shared/ runs anywhere: it imports shared/ and zod only.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { pathNot: '^shared/|(^|/)node_modules/zod/' },
    },
    {
      name: 'electron-package-in-shell-only',
      comment: 'Only electron/main.ts, electron/preload.ts and electron/ipc.ts import the electron package.',
      severity: 'error',
      from: { path: '^electron/', pathNot: '^electron/(main|preload|ipc)\\.ts$' },
      to: { path: '(^|/)node_modules/electron/' },
    },
    {
      name: 'services-not-adapters',
      comment: 'Services never import an adapter (IPC, host, CLI, shell).',
      severity: 'error',
      from: { path: '^electron/', pathNot: '^electron/(main|preload|ipc|cli)\\.ts$|^electron/(host|cli)/' },
      to: { path: '^electron/(main|preload|ipc|cli)\\.ts$|^electron/(host|cli)/' },
    },
    {
      name: 'no-test-code-in-app',
      severity: 'error',
      from: { path: '^(electron|renderer|shared)/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.json') },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
