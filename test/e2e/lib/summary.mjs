// Prints the closing line of an e2e run from the results each phase wrote, and sets the exit
// status. A phase that failed without reporting a failed check (it crashed, or timed out)
// counts as one failure.
//   node summary.mjs OUT_DIR SCENARIO_STATUS EXT_STATUS   (status: pass | fail | skip;
//   SCENARIO_STATUS is fail when any scenario phase failed)
import fs from 'node:fs';
import path from 'node:path';

const [outDir, scenarioStatus, extStatus] = process.argv.slice(2);
const read = (name) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(outDir, name), 'utf8'));
  } catch {
    return null;
  }
};
let passed = 0;
let failed = 0;
const lines = [];

function phase(label, status, results, toChecks) {
  if (status === 'skip') return;
  const checks = results ? toChecks(results) : [];
  for (const c of checks) {
    if (c.ok) passed += 1;
    else failed += 1;
    lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${label}: ${c.name}${c.ok ? '' : ` — ${c.error}`}`);
  }
  if (status === 'fail' && !checks.some((c) => !c.ok)) {
    failed += 1;
    lines.push(`  FAIL ${label}: the phase stopped before reporting its checks (see ${outDir}/*-driver.log)`);
  }
}

// scenario-results.json (scenario.mjs) and scenario-NAME-results.json (scenarios/NAME.mjs).
const scenarioFiles = fs.readdirSync(outDir).filter((f) => /^scenario(-[\w-]+)?-results\.json$/.test(f)).sort();
for (const file of scenarioFiles) {
  const label = file === 'scenario-results.json' ? 'scenario' : file.replace(/-results\.json$/, '');
  phase(label, scenarioStatus === 'skip' ? 'skip' : 'pass', read(file), (r) => r.checks);
}
if (scenarioStatus === 'fail' && !lines.some((l) => l.startsWith('  FAIL scenario'))) {
  failed += 1;
  lines.push(`  FAIL scenario: a scenario phase stopped before reporting its checks (see ${outDir}/scenario*-driver.log)`);
}
phase('ext-host', extStatus, read('ext-results.json'), (r) => [
  ...r.passed.map((name) => ({ name, ok: true })),
  ...r.failed.map((t) => ({ name: t.title, ok: false, error: t.error })),
]);
const timings = read('timings.json');
if (timings) lines.push(`  timings (ms): ${JSON.stringify(timings)}`);
console.log(lines.join('\n'));
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
