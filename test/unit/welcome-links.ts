/**
 * Link checking for the README packed in the .vsix (test helper): every image and link must be
 * an https address or a file inside the unpacked extension, so the Extensions details page shows
 * no broken image and no dead link.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** Every link and image target of a Markdown text: `[t](x)`, `![t](x)`, `[t]: x`, `src=`/`href=`. */
export function linkTargets(markdown: string): string[] {
  // Code spans and fenced blocks hold no links.
  const text = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '').replace(/<!--[\s\S]*?-->/g, '');
  const targets: string[] = [];
  for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]!);
  for (const m of text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)) targets.push(m[1]!);
  for (const m of text.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/g)) targets.push(m[1]!);
  return targets;
}

/** GitHub-style heading anchors, as VS Code's Markdown renderer makes them. */
export function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    slugs.add(
      m[1]!
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s-]/gu, '')
        .trim()
        .replace(/\s/g, '-'),
    );
  }
  return slugs;
}

/**
 * The targets that would not resolve for a Markdown file at `file` inside `root`, each with the
 * reason. Allowed: https addresses, same-page anchors to a heading, and relative paths to files
 * that exist under `root`.
 */
export function brokenLinks(markdown: string, file: string, root: string): string[] {
  const broken: string[] = [];
  const slugs = headingSlugs(markdown);
  for (const target of linkTargets(markdown)) {
    if (/^https:\/\/[^\s/]+\.[^\s/]+/.test(target)) continue;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      broken.push(`${target}: only https addresses work on the details page`);
      continue;
    }
    if (target.startsWith('#')) {
      if (!slugs.has(target.slice(1))) broken.push(`${target}: no such heading`);
      continue;
    }
    const rel = decodeURIComponent(target.split('#')[0]!.split('?')[0]!);
    const resolved = path.resolve(path.dirname(file), rel);
    if (rel.startsWith('/') || !resolved.startsWith(path.resolve(root) + path.sep)) {
      broken.push(`${target}: points outside the extension`);
    } else if (!existsSync(resolved) || !statSync(resolved).isFile()) {
      broken.push(`${target}: not in the .vsix`);
    }
  }
  return broken;
}
