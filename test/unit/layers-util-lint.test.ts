// src/core/util (the byte formatter, errorMessage, isObject) is shared by the CLI, the extension
// and the browser bundle: browser code may import it, and it may import nothing (no Node module).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT } from '../helpers';

const ESLINT_API = path.join(PROJECT, 'tools', 'lint', 'node_modules', 'eslint', 'lib', 'api.js');
const skip = existsSync(ESLINT_API) ? false : 'ESLint is not installed in tools/lint: run npm run lint once';

interface Linter {
  lintText(code: string, options: { filePath: string }): Promise<{ messages: { ruleId: string | null; message: string }[] }[]>;
}

describe('the lint rules of src/core/util', { skip }, () => {
  let eslint: Linter;
  const rulesFor = async (rel: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(PROJECT, rel) });
    return result!.messages.map((m) => m.ruleId ?? m.message);
  };
  before(async () => {
    const { ESLint } = (await import(pathToFileURL(ESLINT_API).href)) as { ESLint: new (options: { cwd: string }) => Linter };
    eslint = new ESLint({ cwd: PROJECT });
  });

  test('browser code may import the shared formatter, not the rest of the core', async () => {
    assert.deepEqual(await rulesFor('src/webviews/ui/fixture.ts', "import { formatBytes } from '../../core/util/bytes.js';\nexport const f = formatBytes;\n"), []);
    assert.deepEqual(await rulesFor('src/webviews/ui/fixture.ts', "import { compareCodePoints } from '../../core/order.js';\nexport const c = compareCodePoints;\n"), ['import-x/no-restricted-paths']);
  });

  test('src/core/util imports no Node module and nothing else of the core', async () => {
    assert.deepEqual(await rulesFor('src/core/util/fixture.ts', "import * as path from 'node:path';\nexport const p = path;\n"), ['no-restricted-imports']);
    assert.deepEqual(await rulesFor('src/core/util/fixture.ts', "import { compareCodePoints } from '../order';\nexport const c = compareCodePoints;\n"), ['import-x/no-restricted-paths']);
  });
});
