/**
 * Register after Preview, as the Register Session form runs them: a session of 3 × 50 MB files
 * (written here) against the test Alyx server. "before": Register hashes every file again (a new
 * Md5Memo, as the form did before it kept Preview's md5s); "after": Register reuses the md5s
 * Preview computed for files whose path, size and mtime are unchanged. Prints medians; asserts
 * nothing about time (the machine is shared), only that both post the same md5s.
 * Run: node --import tsx scripts/bench-register-after-preview.ts [--files 3] [--mb 50] [--rounds 3]
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Md5Memo, RegistrationClient } from '../src/core/registration';
import type { RegisterFileBody } from '../src/core/registration';
import { startAlyxServer } from '../test/alyx-server';
import { loggedInClient } from '../test/alyx-server/testing';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const N = option('files', 3);
const MB = option('mb', 50);
const ROUNDS = option('rounds', 3);
const NAMES = ['spikes.times.npy', 'spikes.clusters.npy', 'clusters.amps.npy', 'wheel.position.npy', 'wheel.timestamps.npy'];

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'alf-bench-preview-'));
  const server = await startAlyxServer();
  try {
    const session = path.join(dir, 'cortexlab', 'Subjects', 'algernon', '2024-01-15', '001');
    const files: string[] = [];
    for (let i = 0; i < N; i++) {
      const file = path.join(session, 'alf', NAMES[i % NAMES.length] as string);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, randomBytes(MB * 1_000_000));
      files.push(file);
    }
    const rc = await RegistrationClient.create(loggedInClient(server));
    const preview = (memo: Md5Memo) => rc.registerSession(session, { fileList: files, dry: true, files: { md5Memo: memo } });
    // As the form's Register: the session, then its files.
    const register = async (memo: Md5Memo) => {
      await rc.registerSession(session, { fileList: false });
      return rc.registerFiles(files, { md5Memo: memo });
    };
    await preview(new Md5Memo()); // warm the page cache: both contenders read from memory
    const times = { preview: [] as number[], before: [] as number[], after: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      let t = process.hrtime.bigint();
      const memo = new Md5Memo();
      await preview(memo);
      times.preview.push(ms(t));
      t = process.hrtime.bigint();
      const again = await register(new Md5Memo());
      times.before.push(ms(t));
      t = process.hrtime.bigint();
      const reused = await register(memo);
      times.after.push(ms(t));
      const hashes = (x: typeof again) => (x.requests[0]?.body as RegisterFileBody).hashes;
      if (JSON.stringify(hashes(again)) !== JSON.stringify(hashes(reused))) throw new Error('the memo gave different md5s');
      if (memo.reused !== N) throw new Error(`expected ${N} md5s reused, got ${memo.reused}`);
    }
    const f = (xs: number[]) => `${Math.round(median(xs))} ms (runs: ${xs.map((x) => Math.round(x)).join(', ')})`;
    console.log(`${N} × ${MB} MB, ${ROUNDS} rounds, medians:`);
    console.log(`  Preview (md5 of every file):          ${f(times.preview)}`);
    console.log(`  Register after Preview, before:       ${f(times.before)}`);
    console.log(`  Register after Preview, after (memo): ${f(times.after)}`);
  } finally {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
