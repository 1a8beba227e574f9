/** Trees of real files and sessions registered over real HTTP, for the `alyxStatus` tests. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AlyxClient } from '../../src/core/alyx/client';
import { RegistrationClient } from '../../src/core/registration/client';
import type { AlyxTestServer } from '../alyx-server';
import { loggedInClient, writeFiles } from '../alyx-server/testing';

/** `{lab}/Subjects/{subject}/{date}/{number}` under `root`. */
export function sessionDir(root: string, lab: string, subject: string, date: string, number = '001'): string {
  return path.join(root, lab, 'Subjects', subject, date, number);
}

/** Writes the files (session-relative → content) and returns their absolute paths. */
export async function writeSession(dir: string, files: Record<string, string>): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  return writeFiles(dir, files);
}

/** Registers the session and the given files (absolute) as `alf register-session` does. */
export async function register(server: AlyxTestServer, dir: string, files: readonly string[], now?: () => Date): Promise<void> {
  const reg = await RegistrationClient.create(loggedInClient(server), now ? { now } : {});
  await reg.registerSession(dir, { fileList: [...files] });
}

/** A client that retries fast (Retry-After still wins) and has no password to log in again with. */
export function client(server: AlyxTestServer): AlyxClient {
  return loggedInClient(server);
}
