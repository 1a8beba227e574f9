import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { ProgressBar } from '../../src/cli/progress-bar';

function terminal(columns = 120): Writable & { isTTY: boolean; columns: number; text: string } {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      stream.text += chunk.toString();
      done();
    },
  }) as Writable & { isTTY: boolean; columns: number; text: string };
  return Object.assign(stream, { isTTY: true, columns, text: '' });
}

const lines = (text: string) => text.split('\r\x1b[2K').filter(Boolean);

test('the walk and the hashing share one line; the hash bar and ETA appear once the walk is done', async (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: 0 });
  const out = terminal();
  const bar = new ProgressBar(out);
  bar.update({ phase: 'scan', done: 1000, unit: 'files' });
  t.mock.timers.tick(150);
  bar.update({ phase: 'hash', done: 2 * 2 ** 20, total: 3 * 2 ** 20, unit: 'bytes' });
  assert.match(lines(out.text).at(-1)!, /^scan: 1,000 files · hash: 2\.00 MiB of 3\.00 MiB found so far · 0\.1 s$/);
  t.mock.timers.tick(150);
  bar.update({ phase: 'scan', done: 5000, total: 5000, unit: 'files' });
  t.mock.timers.tick(850);
  bar.update({ phase: 'hash', done: 5 * 2 ** 20, total: 20 * 2 ** 20, unit: 'bytes' });
  assert.match(lines(out.text).at(-1)!, /^\[#####\.{15}\] hash: 5\.00 MiB \/ 20\.0 MiB · ETA \d+\.\d s · 1\.1 s$/);
  bar.done();
  assert.ok(out.text.endsWith('\r\x1b[2K'), 'the line is cleared at the end');
});

test('nothing is written when the output is not a terminal', () => {
  const out = terminal();
  out.isTTY = false;
  const bar = new ProgressBar(out);
  bar.update({ phase: 'scan', done: 10, unit: 'files' });
  bar.done();
  assert.equal(out.text, '');
});

test('a long line is cut to the terminal width', (t) => {
  t.mock.timers.enable({ apis: ['Date'], now: 0 });
  const out = terminal(60);
  const bar = new ProgressBar(out);
  t.mock.timers.tick(200);
  bar.update({ phase: 'write', done: 1, total: 2, detail: `sessions.pqt, ${'x'.repeat(100)}` });
  const line = lines(out.text).at(-1)!;
  assert.equal(line.length, 59);
  assert.match(line, /^\[##########\.{10}\] write: 1 \/ 2 · sessions\.pqt, x+…$/);
});
