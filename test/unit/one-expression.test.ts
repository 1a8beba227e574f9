/** The derived-series expressions of the ALF object view: parsing, evaluation and messages. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ExpressionError, evaluateExpression, expressionNames, parseExpression } from '../../src/core/one';

const trials = {
  goCue_times: { shape: [4], data: Float64Array.from([1, 2, 3, 4]) },
  feedback_times: { shape: [4], data: Float64Array.from([1.5, 2.25, 3.75, NaN]) },
  intervals: { shape: [4, 2], data: Float64Array.from([0, 1, 1, 2, 2, 3, 3, 4.5]) },
  contrastLeft: { shape: [4], data: Float32Array.from([0.25, 0, 1, 0.5]) },
  'times.part1': { shape: [4], data: Float64Array.from([10, 20, 30, 40]) },
};
const ev = (s: string) => Array.from(evaluateExpression(s, trials));
const fails = (s: string, re: RegExp) => assert.throws(() => evaluateExpression(s, trials), (e: unknown) => e instanceof ExpressionError && re.test(e.message));

describe('expression parser', () => {
  test('feedback_times - goCue_times, element by element, NaN kept', () => {
    assert.deepEqual(ev('feedback_times - goCue_times'), [0.5, 0.25, 0.75, NaN]);
  });
  test('precedence, associativity, parentheses, unary minus, numbers', () => {
    assert.deepEqual(ev('goCue_times - 1 - 1'), [-1, 0, 1, 2]);
    assert.deepEqual(ev('1 + goCue_times * 2'), [3, 5, 7, 9]);
    assert.deepEqual(ev('(1 + goCue_times) * 2'), [4, 6, 8, 10]);
    assert.deepEqual(ev('-goCue_times / 2'), [-0.5, -1, -1.5, -2]);
    assert.deepEqual(ev('--goCue_times + +1'), [2, 3, 4, 5]);
    assert.deepEqual(ev('goCue_times * 1e3 + .5'), [1000.5, 2000.5, 3000.5, 4000.5]);
    assert.deepEqual(ev('goCue_times / (2 - 2)'), [Infinity, Infinity, Infinity, Infinity]);
  });
  test('2-D attributes by column, float32 input, names with a dot', () => {
    assert.deepEqual(ev('intervals[1] - intervals[ 0 ]'), [1, 1, 1, 1.5]);
    assert.deepEqual(ev('contrastLeft * 4'), [1, 0, 4, 2]);
    assert.deepEqual(ev('times.part1 / 10'), [1, 2, 3, 4]);
  });
  test('names in order of first use', () => {
    assert.deepEqual(expressionNames(parseExpression('a - b * (a + c[1])')), ['a', 'b', 'c']);
  });
  test('an unknown attribute is named, with the attributes there (or the case-insensitive match)', () => {
    fails('feedback_times - gocue_times', /unknown attribute "gocue_times": did you mean goCue_times\?/);
    fails('stimOn_times', /unknown attribute "stimOn_times": the attributes are goCue_times, feedback_times, intervals/);
    fails('toString + 1', /unknown attribute "toString"/);
  });
  test('shape problems say what to do', () => {
    fails('intervals', /"intervals" has shape \(4, 2\): pick a column, e.g\. intervals\[0\]/);
    fails('intervals[2]', /columns 0 to 1/);
    fails('goCue_times[0]', /no columns/);
    const short = { ...trials, short_times: { shape: [3], data: Float64Array.from([1, 2, 3]) } };
    assert.throws(() => evaluateExpression('goCue_times - short_times', short), /lengths differ: goCue_times has 4 values, short_times has 3/);
  });
  test('syntax errors name the place', () => {
    fails('', /empty/);
    fails('goCue_times -', /found the end of the expression/);
    fails('(goCue_times - 1', /expected "\)" to close the "\(" at character 1/);
    fails('goCue_times goCue_times', /unexpected "goCue_times" at character 13/);
    fails('goCue_times ** 2', /found "\*" at character 14/);
    fails('goCue_times; process.exit()', /unexpected ";" at character 12/);
    fails('2 * 3', /uses no attribute/);
    assert.throws(() => parseExpression('a $ b'), (e: unknown) => e instanceof ExpressionError && e.position === 2);
  });
});
