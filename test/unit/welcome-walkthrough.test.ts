/**
 * The walkthrough (issue #12, item 2) as declared in package.json: the five steps a new user
 * takes, each ticked off by something the user did — a command they ran or a context key the
 * extension sets — and every command, context key, view and image it names exists.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT } from '../helpers';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { image?: string | Record<string, string>; markdown?: string; altText?: string };
  completionEvents?: string[];
}

const manifest = JSON.parse(readFileSync(path.join(PROJECT, 'package.json'), 'utf8'));
const walkthroughs: { id: string; title: string; steps: Step[] }[] = manifest.contributes.walkthroughs ?? [];
const commands = new Set<string>(manifest.contributes.commands.map((c: { command: string }) => c.command));
const views = new Set<string>(Object.values(manifest.contributes.views as Record<string, { id: string }[]>).flatMap((v) => v.map((x) => x.id)));
/** VS Code's own commands the steps' buttons use. */
const BUILT_IN = new Set(['vscode.openFolder', 'workbench.actions.view.problems', 'workbench.action.openSettings']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}
const sources = sourceFiles(path.join(PROJECT, 'src')).map((f) => readFileSync(f, 'utf8'));

/** A context key the extension sets: its name is a string in a source file that calls setContext. */
function isSetByExtension(key: string): boolean {
  return sources.some((text) => text.includes("'setContext'") && text.includes(`'${key}'`));
}

const steps = walkthroughs.flatMap((w) => w.steps);

describe('the walkthrough', () => {
  it('has the five first steps, in order', () => {
    assert.equal(walkthroughs.length, 1);
    assert.deepEqual(
      steps.map((s) => s.id),
      ['openData', 'fixProblems', 'buildCache', 'searchObject', 'registerAlyx'],
    );
  });

  it('ticks each step off by what the user did, never by a click on the step alone', () => {
    for (const step of steps) {
      const events = step.completionEvents ?? [];
      assert.ok(events.length > 0, `${step.id}: no completionEvents (VS Code would tick it on any click of its buttons)`);
      for (const event of events) {
        const [kind, ...rest] = event.split(':');
        const arg = rest.join(':');
        if (kind === 'onCommand') assert.ok(commands.has(arg), `${step.id}: ${arg} is not a contributed command`);
        else if (kind === 'onView') assert.ok(views.has(arg), `${step.id}: ${arg} is not a contributed view`);
        else if (kind === 'onContext') {
          const keys = arg.match(/\balf\.[\w.]+/g) ?? [];
          assert.ok(keys.length > 0, `${step.id}: ${event} names no alf context key`);
          for (const key of keys) assert.ok(isSetByExtension(key), `${step.id}: the extension never sets ${key}`);
        } else assert.fail(`${step.id}: ${event} is not an event driven by the user`);
      }
    }
  });

  it('renders its descriptions as written: no code spans, which walkthroughs show with their backticks', () => {
    for (const step of steps) assert.doesNotMatch(step.description, /`/, step.id);
  });

  it('is ticked by the extension under the ids VS Code gives its steps (publisher.name#walkthrough#step)', () => {
    const provider = readFileSync(path.join(PROJECT, 'src', 'providers', 'walkthroughProgress.ts'), 'utf8');
    const prefix = provider.match(/const WALKTHROUGH = '([^']+)'/)?.[1];
    assert.equal(prefix, `${manifest.publisher}.${manifest.name}#${walkthroughs[0]!.id}`);
    const marked = [...provider.matchAll(/this\.mark\('(\w+)'\)/g)].map((m) => m[1]);
    assert.deepEqual(marked, ['openData', 'buildCache']);
    for (const id of marked) assert.ok(steps.some((s) => s.id === id), id);
  });

  it('has buttons that run commands that exist', () => {
    for (const step of steps) {
      const links = [...step.description.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]!);
      assert.ok(links.length > 0, `${step.id}: no button`);
      for (const id of links) assert.ok(commands.has(id) || BUILT_IN.has(id), `${step.id}: ${id} is not a command`);
    }
  });

  it('shows an image for each step, in the light, dark and high-contrast themes where there are three', () => {
    for (const step of steps) {
      assert.ok(step.media.altText, `${step.id}: altText`);
      const images = typeof step.media.image === 'string' ? [step.media.image] : Object.values(step.media.image ?? {});
      assert.ok(images.length > 0 || step.media.markdown, `${step.id}: no media`);
      for (const image of images) {
        assert.match(image, /^media\/screenshots\/[\w-]+\.png$/, `${step.id}: ${image} is packed only from media/screenshots`);
        assert.ok(existsSync(path.join(PROJECT, image)), `${step.id}: ${image} does not exist`);
      }
    }
    const themed = steps.filter((s) => typeof s.media.image === 'object');
    assert.ok(themed.length >= 3);
    for (const step of themed) assert.deepEqual(Object.keys(step.media.image as object).sort(), ['dark', 'hc', 'hcLight', 'light'], step.id);
  });
});
