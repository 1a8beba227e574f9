/**
 * The webview forms' shared page-state rules (src/webviews/ui/formKit.ts): what a form restored
 * from its saved webview state starts from, and the status a progress message becomes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as FormKit from '../../src/webviews/ui/formKit.js' with { 'resolution-mode': 'import' };

// The browser code is an ES module (src/webviews/ui/package.json): loaded through tsx's require hook.
const { restoreState, runningStatus } = module.require('../../src/webviews/ui/formKit') as typeof FormKit;

type Status = { kind: 'idle'; message?: string } | { kind: 'running'; text: string; percent?: number } | { kind: 'failed'; message: string };
interface PageState {
  values: { folder: string } | null;
  status: Status;
  result: { sha256: string } | null;
  errors: Record<string, string>;
}
const FRESH: PageState = { values: null, status: { kind: 'idle' }, result: null, errors: {} };

test('a page with no saved state starts fresh, and the fresh object is not shared', () => {
  const state = restoreState<PageState>({}, FRESH, 'running');
  assert.deepEqual(state, FRESH);
  state.errors = { folder: 'No such folder.' };
  state.values = { folder: '/data' };
  assert.deepEqual(FRESH, { values: null, status: { kind: 'idle' }, result: null, errors: {} });
});

test('what was saved is kept key by key; a key saved as null or missing is fresh', () => {
  const saved: Partial<PageState> = { values: { folder: '/data/Subjects' }, result: null, status: { kind: 'failed', message: 'server down' } };
  const state = restoreState<PageState>(saved, { ...FRESH, result: { sha256: 'fresh' } }, 'running');
  assert.deepEqual(state, { values: { folder: '/data/Subjects' }, status: { kind: 'failed', message: 'server down' }, result: { sha256: 'fresh' }, errors: {} });
  assert.deepEqual(Object.keys(state), ['values', 'status', 'result', 'errors'], 'the keys in the fresh order');
});

test('a run saved as going is over in a page made again from its state: the fresh status', () => {
  const saved: Partial<PageState> = { values: { folder: '/data' }, status: { kind: 'running', text: 'md5: 1 of 3', percent: 33 }, errors: { folder: 'x' } };
  const state = restoreState<PageState>(saved, FRESH, 'running');
  assert.deepEqual(state.status, { kind: 'idle' });
  assert.deepEqual(state.values, { folder: '/data' });
  assert.deepEqual(state.errors, { folder: 'x' });
  // The Weight / Water form calls its run 'busy': only the kind named is reset.
  assert.deepEqual(restoreState<PageState>(saved, FRESH, 'busy').status, { kind: 'running', text: 'md5: 1 of 3', percent: 33 });
  const busy = restoreState<{ status: { kind: string } }>({ status: { kind: 'busy' } }, { status: { kind: 'idle' } }, 'busy');
  assert.deepEqual(busy.status, { kind: 'idle' });
});

test('a progress message becomes a running status, with its percent only when it has one', () => {
  assert.deepEqual(runningStatus({ text: 'scan: 30 of 120', percent: 25 }), { kind: 'running', text: 'scan: 30 of 120', percent: 25 });
  assert.deepEqual(runningStatus({ text: 'starting…' }), { kind: 'running', text: 'starting…' });
  assert.equal('percent' in runningStatus({ text: 'starting…' }), false, 'no percent key: the bar moves without an end');
  assert.deepEqual(runningStatus({ text: 'done', percent: 0 }), { kind: 'running', text: 'done', percent: 0 }, 'zero is a percent');
});
