/** The webview side of VS Code's messaging and state API, typed per page. */

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** VS Code allows acquireVsCodeApi() once per page: keep the handle. */
let api: VsCodeApi | undefined;

export interface PageChannel<State, Out, In> {
  post(message: Out): void;
  /** State saved with setState; survives the panel being hidden and VS Code restarting the page. */
  state(): Partial<State>;
  save(state: State): void;
  onMessage(handler: (message: In) => void): void;
}

export function pageChannel<State, Out, In>(): PageChannel<State, Out, In> {
  api ??= acquireVsCodeApi();
  const vscode = api;
  return {
    post: (message) => vscode.postMessage(message),
    state: () => {
      const s = vscode.getState();
      return typeof s === 'object' && s !== null ? (s as Partial<State>) : {};
    },
    save: (state) => vscode.setState(state),
    onMessage: (handler) => window.addEventListener('message', (e: MessageEvent<In>) => handler(e.data)),
  };
}

/** A small element builder: text goes in as text, never as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string | boolean | number>> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (key === 'class') node.className = String(value);
    else if (key in node && typeof value !== 'string') (node as unknown as Record<string, unknown>)[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

/** A vscode-progress-bar at `percent` (0-100), or moving without an end when it is not known. */
export function progressBar(percent: number | undefined, label = 'Progress'): HTMLElement {
  const bar = el('vscode-progress-bar', { 'aria-label': label });
  if (percent !== undefined) bar.setAttribute('value', String(percent / 100));
  else bar.setAttribute('indeterminate', '');
  return bar;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
