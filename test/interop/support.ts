/**
 * What the interop suite (`npm run test:interop`) checks our output against: a real Python
 * (ALF_PYTHON, never a venv made here) and the shared one-cache-check tool. Each test skips, with
 * the reason, when its reference is missing, so the suite runs anywhere.
 */
import { spawnSync } from 'node:child_process';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { SHARED } from '../helpers';

const MAKE_ONE = 'python3 -m venv .tmp/pyenv && .tmp/pyenv/bin/pip install pandas pyarrow numpy, then ALF_PYTHON=$PWD/.tmp/pyenv/bin/python (.ci/run does this)';

/**
 * The Python named by ALF_PYTHON when it imports every module in `modules`, or why not. With no
 * modules (the standard library is enough) `python3` on the PATH also does.
 */
export function interopPython(modules: readonly string[]): { python: string; reason?: undefined } | { python?: undefined; reason: string } {
  const configured = process.env.ALF_PYTHON;
  const python = configured || (modules.length === 0 ? 'python3' : undefined);
  const needs = modules.length ? `a Python with ${modules.join(', ')}` : 'a Python';
  if (!python) return { reason: `needs ${needs}: ALF_PYTHON is not set (${MAKE_ONE})` };
  const r = spawnSync(python, ['-c', modules.length ? `import ${modules.join(', ')}` : 'pass'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status === 0) return { python };
  const why = r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
  return { reason: `needs ${needs}: ${configured ? `ALF_PYTHON=${configured}` : python} fails (${why}; ${MAKE_ONE})` };
}

const CHECKER = path.join(SHARED, 'tools/one-cache-check/run.sh');
/** false, or why the shared one-cache-check cannot run here. */
export const noOneCacheCheck: false | string = existsSync(CHECKER) ? false : `needs ${CHECKER} (the shared folder beside the project, or ALF_SHARED), which is absent`;

/**
 * Runs the shared one-cache-check (DuckDB + parquet-wasm, 46 checks) on DIR's tables; the last
 * line of its output is the summary. It installs its pinned dependencies into ~/.cache once.
 */
export async function oneCacheCheck(dir: string): Promise<{ summary: string; failures: string }> {
  const { stdout, stderr } = await promisify(execFile)('bash', [CHECKER, dir], { maxBuffer: 1 << 24 }).catch((e: { stdout?: string; stderr?: string }) => ({
    stdout: String(e.stdout ?? ''),
    stderr: String(e.stderr ?? ''),
  }));
  const lines = stdout.trim().split('\n');
  return { summary: lines.at(-1) ?? '', failures: [...lines.filter((l) => !l.startsWith('PASS')), stderr].join('\n') };
}
