/**
 * Micro-benchmark of the ALF grammar: `node --import tsx scripts/bench-alf.ts`.
 * Prints per-call times for validation and classification, including the pathological
 * many-dot names that make ONE's regex backtrack exponentially.
 */
import { classifyPath, clearClassifyCache, describeInvalidName, isValid } from '../src/core/alf';

function time(label: string, n: number, fn: (i: number) => unknown): number {
  // Warm up so the JIT has compiled the hot paths before measuring.
  for (let i = 0; i < Math.min(n, 20_000); i++) fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - t0) / n;
  console.log(`${label.padEnd(58)} ${(ns / 1000).toFixed(3).padStart(9)} µs/call`);
  return ns;
}

const typical = 'lab/Subjects/subj/2020-01-01/001/alf/_ibl_trials.choice.npy';
const attrs = ['choice', 'contrastLeft', 'feedback_times', 'goCue_times', 'intervals', 'stimOn_times', 'rewardVolume', 'probabilityLeft'];
// 300,000 paths shaped like a real build: 20,000 session folders of 15 files.
const tree: string[] = [];
for (let s = 0; s < 20_000; s++) {
  const ses = `lab${s % 9}/Subjects/subj${s % 400}/2020-${String(1 + (s % 12)).padStart(2, '0')}-${String(1 + (s % 28)).padStart(2, '0')}/${String(1 + Math.floor(s / 4800)).padStart(3, '0')}`;
  for (let f = 0; f < 15; f++) tree.push(`${ses}/alf/_ibl_trials.${attrs[f % attrs.length]}${f}.npy`);
}
const pathological = `a.${'b.'.repeat(60)}${'c'.repeat(70)}!`;
const pathologicalValid = `a.b${'.x'.repeat(60)}.npy`;

console.log(`pathological name: ${pathological.length} characters, ${pathological.split('.').length - 1} dots`);
time('isValid(typical name)', 2_000_000, () => isValid('_ibl_trials.stimOn_times.npy'));
time('isValid(pathological invalid name)', 200_000, () => isValid(pathological));
time('isValid(pathological valid name)', 200_000, () => isValid(pathologicalValid));
time('describeInvalidName(pathological invalid name)', 50_000, () => describeInvalidName(pathological));
time('classifyPath(typical path), folder cached', 2_000_000, () => classifyPath(typical));
time('classifyPath(typical path), cache cleared every call', 200_000, () => {
  clearClassifyCache();
  return classifyPath(typical);
});
clearClassifyCache();
time('classifyPath over a 300,000-file tree (15 files/folder)', tree.length, (i) => classifyPath(tree[i] as string));
