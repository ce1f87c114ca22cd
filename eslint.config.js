const nx = require('@nx/eslint-plugin');
const jsonParser = require('jsonc-eslint-parser');
const tseslint = require('typescript-eslint');

// Services never import each other; everyone may import the shared libs.
const BOUNDARIES = [
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'scope:identity', onlyDependOnLibsWithTags: ['scope:shared', 'scope:identity'] },
  { sourceTag: 'scope:orders', onlyDependOnLibsWithTags: ['scope:shared', 'scope:orders'] },
  { sourceTag: 'scope:accounts', onlyDependOnLibsWithTags: ['scope:shared', 'scope:accounts'] },
  { sourceTag: 'scope:pharmacy', onlyDependOnLibsWithTags: ['scope:shared', 'scope:pharmacy'] },
  { sourceTag: 'scope:notifications', onlyDependOnLibsWithTags: ['scope:shared', 'scope:notifications'] },
  { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:shared', 'scope:gateway'] },
];

module.exports = [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/src/generated/**', 'coverage/**', '.nx/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Services never import each other; everyone may import the shared libs.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: BOUNDARIES,
        },
      ],
    },
  },
  {
    // Tests may use the workspace's shared test support and tooling (test/support, tools/), which
    // belong to no project; service-to-service imports stay forbidden there too.
    files: [
      '**/*.spec.ts',
      '**/*.spec.tsx',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      '**/test/**/*.ts',
      '**/src/testing/**/*.ts',
    ],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: ['../', '../../', '../../../', '../../../../', '../../../../../', '../../../../../../'].flatMap((up) => [
            `${up}test/support/**`,
            `${up}tools/**`,
          ]),
          depConstraints: BOUNDARIES,
        },
      ],
    },
  },
  {
    // The domain is plain TypeScript: no framework, ORM or schema library.
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*'], message: 'domain/ is plain TypeScript: no Nest.' },
            {
              group: ['@prisma/*', '**/generated/prisma*'],
              message: 'domain/ is plain TypeScript: no Prisma.',
            },
            { group: ['zod', 'zod/*'], message: 'domain/ is plain TypeScript: no zod.' },
            {
              group: ['**/adapters/**', '**/application/**'],
              message: 'domain/ depends on nothing outward.',
            },
          ],
        },
      ],
    },
  },
  {
    // Each project's package.json declares what its build inputs import (Nx's project graph), no
    // more, no less — what `npm ci --workspace <project> --omit=dev` installs into its image.
    files: [
      'libs/*/package.json',
      'services/*/package.json',
      'gateway/package.json',
      'gateway/portal/package.json',
    ],
    languageOptions: { parser: jsonParser },
    plugins: { '@nx': nx },
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          ignoredDependencies: [
            // Imported by the generated Prisma client (src/generated, git-ignored, so outside the graph).
            '@prisma/client',
            // The image's migrate step (tools/migrate.js) runs on it; the service reaches it through @prisma/adapter-pg.
            'pg',
            // @zxing/browser's peer dependency: declared beside it, imported only through it.
            '@zxing/library',
          ],
          // Build tooling, not what the project's code imports: the Prisma CLI's config, the portal's
          // Vite config and its API-types generator (dev dependencies of their projects).
          ignoredFiles: [
            'services/*/prisma.config.ts',
            'gateway/portal/vite.config.mts',
            'gateway/portal/scripts/**',
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
