/**
 * Micro-benchmark of the ALF grammar: `node --import tsx scripts/bench-alf.ts`.
 * Reports CPU time per call (best of several rounds), which other processes on a shared
 * machine disturb far less than wall time, for validation and classification, including the
 * many-dot names that make ONE's regex backtrack exponentially.
 */
import { classifyPath, clearClassifyCache, describeInvalidName, isValid } from '../src/core/alf';

function cpuPerCall(label: string, n: number, fn: (i: number) => unknown, before?: () => void): number {
  // Warm up so the JIT has compiled the hot paths before measuring.
  for (let i = 0; i < Math.min(n, 20_000); i++) fn(i);
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    before?.();
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) fn(i);
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / n);
  }
  console.log(`${label.padEnd(60)} ${best.toFixed(3).padStart(9)} µs/call`);
  return best;
}

const typical = 'lab/Subjects/subj/2020-01-01/001/alf/_ibl_trials.choice.npy';
const attrs = ['choice', 'contrastLeft', 'feedback_times', 'goCueTrigger_times', 'intervals', 'stimOn_times', 'rewardVolume', 'probabilityLeft'];
// 300,000 paths shaped like a real build: 20,000 session folders of 15 files.
const tree: string[] = [];
for (let s = 0; s < 20_000; s++) {
  const ses = `lab${s % 9}/Subjects/subj${s % 400}/2020-${String(1 + (s % 12)).padStart(2, '0')}-${String(1 + (s % 28)).padStart(2, '0')}/${String(1 + Math.floor(s / 4800)).padStart(3, '0')}`;
  for (let f = 0; f < 15; f++) tree.push(`${ses}/alf/_ibl_trials.${attrs[f % attrs.length]}${f}.npy`);
}
const pathological = `a.${'b.'.repeat(60)}${'c'.repeat(70)}!`;
const pathologicalValid = `a.b${'.x'.repeat(60)}.npy`;

console.log(`pathological name: ${pathological.length} characters, ${pathological.split('.').length - 1} dots`);
cpuPerCall('isValid(typical name)', 1_000_000, () => isValid('_ibl_trials.stimOn_times.npy'));
cpuPerCall('isValid(pathological invalid name)', 200_000, () => isValid(pathological));
cpuPerCall('isValid(pathological valid name)', 200_000, () => isValid(pathologicalValid));
cpuPerCall('describeInvalidName(pathological invalid name)', 20_000, () => describeInvalidName(pathological));
cpuPerCall('classifyPath(typical path), folder cached', 1_000_000, () => classifyPath(typical));
cpuPerCall('classifyPath(typical path), folder analysed every call', 100_000, () => {
  clearClassifyCache();
  return classifyPath(typical);
});
cpuPerCall('classifyPath over a 300,000-file tree (15 files/folder)', tree.length, (i) => classifyPath(tree[i] as string), clearClassifyCache);
