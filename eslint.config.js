// ESLint (flat config): JavaScript's and typescript-eslint's recommended rules over the
// sources, tests, benchmarks and scripts. Formatting is Prettier's job (.prettierrc.json);
// the import layers are dependency-cruiser's (.dependency-cruiser.cjs).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'bench/results/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // `_` names a value that is there to be skipped: `for (const _ of rows)`, `{ sources: _, ...rest }`
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  // the dashboard's own browser script (src/serve/assets/app.js)
  { files: ['src/serve/assets/*.js'], languageOptions: { globals: globals.browser } },
);
