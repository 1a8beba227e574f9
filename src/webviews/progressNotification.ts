import * as vscode from 'vscode';

/** Says how far a run is: a line of text, and how much of it is done when that is known (0-100). */
export type ReportProgress = (text: string, percent?: number) => void;

/**
 * Runs `work` under a cancellable progress notification (`title`): its Cancel aborts
 * `controller`, as the form's Cancel does. `work` reports percentages of the whole; the
 * notification, which takes increments, never moves back.
 */
export function withProgressNotification<T>(title: string, controller: AbortController, work: (report: ReportProgress) => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const sub = token.onCancellationRequested(() => controller.abort());
      let lastPercent = 0;
      try {
        return await work((text, percent) => {
          if (percent !== undefined && percent > lastPercent) {
            progress.report({ message: text, increment: percent - lastPercent });
            lastPercent = percent;
          } else progress.report({ message: text });
        });
      } finally {
        sub.dispose();
      }
    }),
  );
}
