import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachSliced, mapSliced, Slicer } from '../../src/core/status/slices';

/** Holds the thread for `ms`, as a CPU-heavy item does. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/**
 * Logs 'tick' each time the event loop gets a turn (a setImmediate that re-queues itself) until
 * stopped: the items logged between two ticks ran in one turn.
 */
function ticker(log: string[]): () => void {
  let on = true;
  const tick = () => {
    if (!on) return;
    log.push('tick');
    setImmediate(tick);
  };
  setImmediate(tick);
  return () => (on = false);
}

/** The most items logged between two ticks. */
function longestRun(log: readonly string[]): number {
  let run = 0;
  let most = 0;
  for (const e of log) {
    run = e === 'tick' ? 0 : run + 1;
    most = Math.max(most, run);
  }
  return most;
}

describe('slices', () => {
  test('mapSliced yields once its budget is spent, and keeps the results in order', async () => {
    const log: string[] = [];
    const stop = ticker(log);
    const items = Array.from({ length: 30 }, (_, i) => i);
    const slicer = new Slicer({ budgetMs: 5 });
    // Items of 2 ms against a 5 ms budget: three items a turn (0, 2, 4 ms in, then spent).
    const out = await mapSliced(items, (i) => {
      busy(2);
      log.push(`item ${i}`);
      return i * i;
    }, slicer);
    stop();
    assert.deepEqual(out, items.map((i) => i * i));
    assert.ok(slicer.yields >= 8, `${slicer.yields} yields`);
    assert.ok(longestRun(log) <= 3, `at most 3 items a turn, saw ${longestRun(log)}: ${log.join(', ')}`);
    assert.deepEqual(log.filter((e) => e !== 'tick'), items.map((i) => `item ${i}`));
  });

  test('without a budget the loop holds the thread: the measure above can fail', async () => {
    const log: string[] = [];
    const stop = ticker(log);
    await mapSliced(Array.from({ length: 10 }, (_, i) => i), () => {
      busy(2);
      log.push('item');
    }, { budgetMs: Infinity });
    stop();
    assert.equal(longestRun(log), 10);
  });

  test('async items keep their order and results, whatever order their promises settle in', async () => {
    const items = [30, 5, 20, 0, 10];
    const started: number[] = [];
    const out = await mapSliced(items, async (ms, i) => {
      started.push(i);
      await new Promise((r) => setTimeout(r, ms));
      return `${i}:${ms}`;
    }, { budgetMs: 0 });
    assert.deepEqual(out, items.map((ms, i) => `${i}:${ms}`));
    assert.deepEqual(started, [0, 1, 2, 3, 4], 'one item at a time');
  });

  test('an abort stops the loop at its next item with a CancelledError', async () => {
    // A clock that only the items move (1 ms each): a pause of the machine (GC, load) between
    // the slicer's start and its first item cannot spend the slice before any item has run.
    const controller = new AbortController();
    const seen: number[] = [];
    const items = Array.from({ length: 100 }, (_, i) => i);
    let now = 0;
    setImmediate(() => controller.abort());
    await assert.rejects(
      forEachSliced(items, (i) => {
        now += 1;
        seen.push(i);
      }, { budgetMs: 3, signal: controller.signal, clock: () => now }),
      { name: 'CancelledError' },
    );
    assert.deepEqual(seen, [0, 1, 2], 'one slice of three items ran, then the yield met the abort');
    await assert.rejects(mapSliced([1], (x) => x, { signal: controller.signal }), { name: 'CancelledError' }, 'an aborted signal stops before the first item');
  });

  test('loops sharing one Slicer hold the thread for one slice between them, not one each', async () => {
    // A clock that only the items move (2 ms each), so the counts do not depend on the machine's load.
    const run = async (shared: boolean): Promise<string[]> => {
      let now = 0;
      const clock = () => now;
      const log: string[] = [];
      const stop = ticker(log);
      const slicer = new Slicer({ budgetMs: 5, clock });
      const loop = (name: string) => forEachSliced(Array.from({ length: 12 }, (_, i) => i), (i) => {
        now += 2;
        log.push(`${name}${i}`);
      }, shared ? slicer : { budgetMs: 5, clock });
      await Promise.all([loop('a'), loop('b')]);
      stop();
      assert.equal(log.filter((e) => e !== 'tick').length, 24);
      return log;
    };
    // The loops interleave item by item and each checks the shared budget before its item, so a
    // turn is the budget plus at most one item per loop: 4 items of 2 ms for 5 ms, where
    // budgets of their own let each loop run 3 items in the same turn.
    const shared = await run(true);
    assert.equal(longestRun(shared), 4, shared.join(' '));
    const separate = await run(false);
    assert.equal(longestRun(separate), 6, separate.join(' '));
  });
});
