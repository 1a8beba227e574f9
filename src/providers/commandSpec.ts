/**
 * One entry of the extension's command table (src/extension.ts). Feature modules export lists
 * of these so that activation stays one table: id as in package.json, run with the arguments
 * VS Code passes (a Uri and the selected Uris from the Explorer, a tree node from a view, none
 * from the palette).
 */
export interface CommandSpec {
  id: string;
  run(...args: unknown[]): unknown;
}
