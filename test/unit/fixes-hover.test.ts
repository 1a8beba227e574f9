// Issue 12 item 5: names in hovers and tooltips render exactly. The Markdown our tooltips are
// built from is rendered here by markdown-it (CommonMark, as VS Code's renderer follows it) and
// the text a user sees, and copies, is compared with the name on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeSpan, plainMarkdown } from '../../src/providers/markdownNames';

type Renderer = { renderInline(src: string): string };
/** markdown-it comes with @vscode/vsce (a dev dependency); without it these tests are skipped. */
function loadRenderer(): Renderer | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- markdown-it ships no types here
    const MarkdownIt = require('markdown-it') as new (options?: object) => Renderer;
    return new MarkdownIt({ html: false });
  } catch {
    return undefined;
  }
}
const md = loadRenderer();
const skip = md ? false : 'markdown-it is not installed (it comes with @vscode/vsce): no CommonMark renderer to check against';

/** What a reader sees: the rendered HTML's text, entities decoded. */
function seen(markdown: string): string {
  return md!
    .renderInline(markdown)
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&amp;/g, '&');
}

const NAMES = [
  '_ibl_trials.included.npy',
  '__ibl_trials.feedbackType.npy',
  '_ibl_trials.choice.npy ',
  ' _ibl_trials.choice.npy',
  ' both ends ',
  'trials choice.npy',
  'a`b`.npy',
  '`quoted`.npy',
  '*bold*.npy',
  '<b>tag</b>.npy',
  'a\\b.npy',
  '[link](x).npy',
  '#revision#',
  'x&amp;y.npy',
];

test('a name in a code span is shown exactly, with no Markdown escapes', { skip }, () => {
  for (const name of NAMES) assert.equal(seen(codeSpan(name)), name, JSON.stringify(name));
});

test('the way tooltips were built before showed backslashes inside the code span (the bug)', { skip }, () => {
  // MarkdownString.appendText escapes Markdown characters; inside a code span they stay visible.
  const appendText = (text: string) => text.replace(/[\\`*_{}[\]()#+\-!~]/g, '\\$&');
  assert.equal(seen(`\`${appendText('_ibl_trials.included.npy')}\``), '\\_ibl\\_trials.included.npy');
});

test('control characters are shown escaped, on one line', { skip }, () => {
  assert.equal(seen(codeSpan('trials.goCue_times.npy\n')), 'trials.goCue_times.npy\\n');
});

test('messages that quote names render to the same text, with ordinary spaces', { skip }, () => {
  const messages = [
    '"_ibl_trials.choice.npy " ends with a space; ALF names have no spaces, so ONE does not index this file.',
    '"__ibl_trials.x.npy" starts with two underscores: ONE reads no namespace and the object "ibl_trials".',
    'two  spaces and a $(warning) that is not an icon, <html> and *stars*',
  ];
  for (const m of messages) assert.equal(seen(plainMarkdown(m)).replace(/\u00a0/g, ' '), m);
  assert.ok(!seen(plainMarkdown(messages[0]!)).includes('\u00a0'), 'single spaces stay ordinary spaces');
});
