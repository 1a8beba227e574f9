import { Minimatch } from 'minimatch';

/**
 * The `alf.exclude` test for one root-relative path, with the same reading of a pattern as the
 * core's walk (a pattern without '/' matches a name at any depth), so a watcher event is ignored
 * exactly when the scan would have skipped the path. A path is excluded when it or one of its
 * parent folders matches.
 */
export function excluder(patterns: readonly string[]): (rel: string) => boolean {
  const matchers = patterns.map((p) => new Minimatch(p, { dot: true, matchBase: !p.includes('/') }));
  if (matchers.length === 0) return () => false;
  return (rel) => {
    let prefix = rel;
    for (;;) {
      if (matchers.some((m) => m.match(prefix))) return true;
      const slash = prefix.lastIndexOf('/');
      if (slash < 0) return false;
      prefix = prefix.slice(0, slash);
    }
  };
}
