// The lint rules of ALF Workbench: typescript-eslint's recommended rules (no stylistic ones: the
// formatting is the code's own) and the layer map of CONTRIBUTING.md, checked on resolved paths.
// Loaded by ../../eslint.config.mjs; its packages live in ./node_modules (see ./package.json).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** A layer may import the ones listed after it, never one before it (src/ relative). */
const LAYERS = {
  extension: ['./src/extension.ts'],
  commands: ['./src/commands'],
  panels: ['./src/webviews'],
  providers: ['./src/providers'],
  protocol: ['./src/protocol'],
  model: ['./src/model'],
  core: ['./src/core'],
};
const CLI = ['./src/cli.ts', './src/cli'];
const above = (layer) => {
  const names = Object.keys(LAYERS);
  return names.slice(0, names.indexOf(layer)).flatMap((n) => LAYERS[n]);
};

const layerZones = [
  ...['commands', 'panels', 'providers', 'protocol', 'model'].map((layer) => ({
    target: LAYERS[layer],
    from: [...above(layer), ...CLI],
    message: `the ${layer} layer imports only the layers below it (CONTRIBUTING.md, "Layers")`,
  })),
  {
    target: LAYERS.core,
    from: ['./src'],
    except: ['./core'],
    message: 'src/core imports nothing outside src/core: it is the library (dist/core.js) the CLI and the extension share',
  },
  { target: CLI, from: ['./src'], except: ['./cli', './cli.ts', './core'], message: 'the CLI imports only src/cli and src/core' },
  {
    // The browser bundle (dist/webview.js): its own files, npm packages, and the message types.
    target: ['./src/webviews/ui', './src/webviews/main.ts'],
    from: ['./src'],
    except: ['./webviews/ui', './protocol', './core/util'],
    message: 'webview browser code imports only src/protocol, src/core/util, its own src/webviews/ui files and npm packages',
  },
  {
    // Shared by the CLI, the extension and the browser bundle: plain code that imports nothing.
    target: ['./src/core/util'],
    from: ['./src'],
    except: ['./core/util'],
    message: 'src/core/util is bundled into the browser too: it imports nothing but its own files',
  },
];

const noVscode = { name: 'vscode', message: 'no `vscode` here: this code runs in plain Node (tests with node --test) or in the browser' };

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'tools/lint/node_modules/**', 'test/e2e/.tools/**', 'test/e2e/out/**', '.tmp/**', 'out/**', 'bench-data/**', 'example-data/**'],
  },
  {
    files: ['**/*.ts', '**/*.mts', '**/*.mjs', '**/*.js'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A leading underscore marks a value left out on purpose (`{ id: _id, ...rest }`, a callback's unused argument).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })],
      'import-x/extensions': ['.ts', '.js'],
      'import-x/core-modules': ['vscode'],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { basePath: REPO, zones: layerZones }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/model/**/*.ts', 'src/protocol/**/*.ts', 'src/cli.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode] }] },
  },
  {
    // The message modules are bundled into the browser too: from the layers below, types only.
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [{ group: ['**/core/**', '**/model/**', 'node:*'], allowTypeImports: true, message: 'src/protocol is in the browser bundle too: import only types from the core and the model' }],
        },
      ],
    },
  },
  {
    files: ['src/webviews/ui/**/*.ts', 'src/webviews/main.ts', 'src/core/util/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noVscode], patterns: [{ group: ['node:*'], message: 'browser code: no Node modules' }] }],
    },
  },
);
