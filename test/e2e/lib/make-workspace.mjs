// The workspace of an e2e phase: a messy ALF tree from the project's own generator
// (scripts/make-example-data.mjs), with empty files so scans are quick and data files open
// as text (the quick fix is tried in the editor), plus one ALF-named file outside any session.
// A scenario module may export prepareWorkspace(dir, { projectDir }) to add what it needs
// (real data files, settings) before VS Code opens the folder.
//   node make-workspace.mjs DIR SESSIONS [SCENARIO_MODULE]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [dir, sessions = '24', scenarioModule] = process.argv.slice(2);
if (!dir) throw new Error('usage: make-workspace.mjs DIR [SESSIONS]');
const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
fs.mkdirSync(path.dirname(dir), { recursive: true });
execFileSync(process.execPath, [path.join(project, 'scripts/make-example-data.mjs'), '--out', dir, '--messy', '--no-bytes', '--sessions', sessions, '--quiet'], {
  stdio: 'inherit',
});
fs.writeFileSync(path.join(dir, '_ibl_wheel.position.npy'), '');
if (scenarioModule) {
  const { prepareWorkspace } = await import(pathToFileURL(path.resolve(scenarioModule)).href);
  if (typeof prepareWorkspace === 'function') await prepareWorkspace(dir, { projectDir: project });
}
console.log(`workspace ${dir}`);
