// Each layer rule of tools/lint/eslint.config.js fires on a deliberate violation, linted as a
// file at that place in src/ (imports resolve against the real tree), and passes the real file.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT } from '../helpers';

const ESLINT_API = path.join(PROJECT, 'tools', 'lint', 'node_modules', 'eslint', 'lib', 'api.js');
const skip = existsSync(ESLINT_API) ? false : 'ESLint is not installed in tools/lint: run npm run lint once';

interface LintMessage {
  ruleId: string | null;
  message: string;
}
interface Linter {
  lintText(code: string, options: { filePath: string }): Promise<{ messages: LintMessage[] }[]>;
}

let eslint: Linter;
/** The rules that fire on `code` as the file `rel` (e.g. src/core/x.ts). */
async function rulesFor(rel: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(PROJECT, rel) });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('the layer rules of npm run lint', { skip }, () => {
  before(async () => {
    const { ESLint } = (await import(pathToFileURL(ESLINT_API).href)) as { ESLint: new (options: { cwd: string }) => Linter };
    eslint = new ESLint({ cwd: PROJECT });
  });

  test('src/core imports no vscode and nothing outside the core', async () => {
    assert.deepEqual(await rulesFor('src/core/alf/fixture.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n"), ['no-restricted-imports']);
    assert.deepEqual(await rulesFor('src/core/alf/fixture.ts', "import { AlfIndex } from '../../model/alfIndex';\nexport const i = new AlfIndex();\n"), ['import-x/no-restricted-paths']);
    assert.deepEqual(await rulesFor('src/core/alf/fixture.ts', "import { compareCodePoints } from '../order';\nexport const c = compareCodePoints;\n"), []);
  });

  test('the model imports no vscode and no layer above it', async () => {
    assert.deepEqual(await rulesFor('src/model/fixture.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n"), ['no-restricted-imports']);
    assert.deepEqual(await rulesFor('src/model/fixture.ts', "import { DIAGNOSTIC_SOURCE } from '../providers/diagnostics';\nexport const d = DIAGNOSTIC_SOURCE;\n"), ['import-x/no-restricted-paths']);
  });

  test('providers do not open panels; panels may use providers', async () => {
    assert.deepEqual(
      await rulesFor('src/providers/fixture.ts', "import { RegisterSessionPanel } from '../webviews/registerSessionPanel';\nexport const p = RegisterSessionPanel;\n"),
      ['import-x/no-restricted-paths'],
    );
    assert.deepEqual(await rulesFor('src/webviews/fixture.ts', "import { loadLists } from '../providers/alyx/lists';\nexport const l = loadLists;\n"), []);
  });

  test('the protocol takes only types from below, so the browser bundle gets no Node code', async () => {
    assert.deepEqual(await rulesFor('src/protocol/fixture.ts', "import { compareCodePoints } from '../core/order';\nexport const c = compareCodePoints;\n"), ['@typescript-eslint/no-restricted-imports']);
    assert.deepEqual(await rulesFor('src/protocol/fixture.ts', "import type { SearchForm } from '../core/one/snippet';\nexport type F = SearchForm;\n"), []);
  });

  test('webview browser code imports only the protocol, its own files and npm packages', async () => {
    assert.deepEqual(await rulesFor('src/webviews/ui/fixture.ts', "import { describe } from '../alyxFailure.js';\nexport const d = describe;\n"), ['import-x/no-restricted-paths']);
    assert.deepEqual(await rulesFor('src/webviews/ui/fixture.ts', "import type { SearchForm } from '../../core/one/snippet.js';\nexport type F = SearchForm;\n"), ['import-x/no-restricted-paths']);
    assert.deepEqual(await rulesFor('src/webviews/ui/fixture.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n"), ['no-restricted-imports']);
    assert.deepEqual(await rulesFor('src/webviews/ui/fixture.ts', "import type { SearchForm } from '../../protocol/local.js';\nimport { el } from './vscodeApi.js';\nexport type F = SearchForm;\nexport const e = el;\n"), []);
  });

  test('the CLI imports only the CLI and the core', async () => {
    assert.deepEqual(await rulesFor('src/cli/fixture.ts', "import { excluder } from '../model/exclude';\nexport const e = excluder;\n"), ['import-x/no-restricted-paths']);
  });

  test('an import cycle is found (renames ⇄ validate, as it was)', async () => {
    const file = 'src/providers/locateRoot.ts';
    const real = readFileSync(path.join(PROJECT, file), 'utf8');
    assert.deepEqual(await rulesFor(file, real), [], 'the file as it is passes');
    assert.deepEqual(await rulesFor(file, `${real}\nimport { renamesUnder } from './renames';\nexport const r = renamesUnder;\n`), ['import-x/no-cycle']);
  });

  // src/core/util (the byte formatter, errorMessage, isObject) is shared by the CLI, the extension and the browser bundle.
  test('browser code may import src/core/util, and src/core/util imports nothing else', async () => {
    assert.deepEqual(await rulesFor('src/webviews/ui/fixture.ts', "import { formatBytes } from '../../core/util/bytes.js';\nexport const f = formatBytes;\n"), []);
    assert.deepEqual(await rulesFor('src/webviews/ui/fixture.ts', "import { compareCodePoints } from '../../core/order.js';\nexport const c = compareCodePoints;\n"), ['import-x/no-restricted-paths']);
    assert.deepEqual(await rulesFor('src/core/util/fixture.ts', "import * as path from 'node:path';\nexport const p = path;\n"), ['no-restricted-imports']);
    assert.deepEqual(await rulesFor('src/core/util/fixture.ts', "import { compareCodePoints } from '../order';\nexport const c = compareCodePoints;\n"), ['import-x/no-restricted-paths']);
  });
});
