/**
 * Registration speed: one session of 1,000 files (~200 MB) against the test Alyx server.
 * Compares our md5 throughput with `md5sum` on the same files in the same run, times the
 * register-file POST alone, and the whole `alf register-files` command, then checks:
 *   - hashing ≥ 80% of md5sum's speed;
 *   - exactly one POST for the session;
 *   - the whole command ≤ 1.5 × (md5sum time + POST time).
 * Run: node --import tsx scripts/bench-registration.ts [--files N] [--mb TOTAL] [--rounds R] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { parseArgs } from '../src/cli/args';
import { alyxCommands } from '../src/cli/commands/alyx';
import type { CliIo } from '../src/cli/types';
import { AlyxClient, PARAMS_DIR_ENV, saveToken } from '../src/core/alyx';
import { RegistrationClient } from '../src/core/registration';
import { md5Files } from '../src/core/registration/md5';
import { startAlyxServer } from '../test/alyx-server';
import { seedSession } from '../test/alyx-server/testing';

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const N_FILES = option('files', 1000);
const TOTAL_MB = option('mb', 200);
const KEEP = argv.includes('--keep');
const ROUNDS = option('rounds', 5);
const TYPES = ['spikes.times', 'spikes.clusters', 'clusters.amps', 'wheel.position', 'wheel.timestamps'];

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'alf-bench-registration-'));
  const server = await startAlyxServer();
  try {
    // ---- data: N files in one session, distinct contents, ~TOTAL_MB in all
    const session = path.join(dir, 'cortexlab', 'Subjects', 'algernon', '2024-01-15', '001');
    const size = Math.round((TOTAL_MB * 1e6) / N_FILES);
    const block = randomBytes(size);
    const files: string[] = [];
    for (let i = 0; i < N_FILES; i++) {
      const file = path.join(session, 'alf', `probe${String(Math.floor(i / TYPES.length)).padStart(3, '0')}`, `${TYPES[i % TYPES.length]}.npy`);
      await fs.mkdir(path.dirname(file), { recursive: true });
      block.writeUInt32LE(i, 0); // distinct md5s
      await fs.writeFile(file, block);
      files.push(file);
    }
    const bytes = size * N_FILES;
    seedSession(server, 'algernon', '2024-01-15', 1);
    // Same footing for every contender: the files are in the page cache.
    spawnSync('cat', files, { stdio: ['ignore', 'ignore', 'inherit'] });

    // ---- md5sum and our hashing, interleaved so that both see the same machine load
    const env: NodeJS.ProcessEnv = { [PARAMS_DIR_ENV]: path.join(dir, '.one'), HOME: dir, ALYX_URL: server.url };
    await saveToken(server.url, 'test_user', server.tokenFor('test_user'), env);
    const client = new AlyxClient({ baseUrl: server.url, username: 'test_user', token: server.tokenFor('test_user') });
    const rc = await RegistrationClient.create(client);
    const body = (await rc.registerFiles(files, { dry: true })).requests[0]?.body;
    const command = alyxCommands.find((c) => c.name === 'register-files');
    if (!command) throw new Error('register-files command missing');
    const runCommand = async () => {
      const io: CliIo = { stdout: new PassThrough().resume(), stderr: new PassThrough().resume(), stdin: Readable.from([]), env, signal: new AbortController().signal };
      const code = await command.run(parseArgs([...files, '--json'], command), io);
      if (code !== 0) throw new Error(`register-files exited with ${code}`);
    };
    // Each registration starts from a server that has never seen the files (the costlier case).
    const fresh = () => {
      server.state.datasets = [];
      server.state.revisions = [];
    };

    const timings = { md5sum: [] as number[], ours: [] as number[], post: [] as number[], command: [] as number[] };
    let reference = new Map<string, string>();
    let posts = 0;
    for (let round = 0; round < ROUNDS; round++) {
      let t = process.hrtime.bigint();
      const r = spawnSync('md5sum', files, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      if (r.status !== 0) throw new Error(`md5sum failed: ${r.stderr}`);
      timings.md5sum.push(ms(t));
      reference = new Map(r.stdout.trim().split('\n').map((l) => [l.slice(34), l.slice(0, 32)] as const));

      t = process.hrtime.bigint();
      const digests = await md5Files(files, bytes);
      timings.ours.push(ms(t));
      files.forEach((f, i) => {
        if (reference.get(f) !== digests[i]) throw new Error(`md5 mismatch for ${f}`);
      });

      fresh();
      t = process.hrtime.bigint();
      await client.post('/register-file', body);
      timings.post.push(ms(t));

      fresh();
      const before = server.requests.length;
      t = process.hrtime.bigint();
      await runCommand();
      timings.command.push(ms(t));
      posts = server.requests.slice(before).filter((q) => q.method === 'POST' && q.path === '/register-file').length;
    }
    const md5sum = Math.min(...timings.md5sum);
    const ours = Math.min(...timings.ours);
    const post = Math.min(...timings.post);
    const whole = Math.min(...timings.command);

    // ---- figures
    const mbps = (t: number) => bytes / 1e6 / (t / 1000);
    const speedRatio = mbps(ours) / mbps(md5sum);
    const budget = 1.5 * (md5sum + post);
    const all = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
    const rows: Array<[string, string]> = [
      ['files / bytes', `${N_FILES} / ${(bytes / 1e6).toFixed(1)} MB (${(size / 1e3).toFixed(0)} kB each)`],
      ['md5sum', `${md5sum.toFixed(0)} ms  ${mbps(md5sum).toFixed(0)} MB/s  (runs: ${all(timings.md5sum)})`],
      ['our md5', `${ours.toFixed(0)} ms  ${mbps(ours).toFixed(0)} MB/s = ${(speedRatio * 100).toFixed(0)}% of md5sum  (runs: ${all(timings.ours)})`],
      ['POST /register-file alone', `${post.toFixed(0)} ms  (runs: ${all(timings.post)})`],
      ['alf register-files, whole command', `${whole.toFixed(0)} ms  (runs: ${all(timings.command)})`],
      ['budget 1.5 × (md5sum + POST)', `${budget.toFixed(0)} ms`],
      ['register-file POSTs for the session', String(posts)],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(`Registration benchmark (${os.cpus().length} cores, Node ${process.version}, best of ${ROUNDS} interleaved rounds, load average ${os.loadavg()[0]?.toFixed(1)})`);
    for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
    const checks: Array<[string, boolean]> = [
      ['hashing ≥ 80% of md5sum', speedRatio >= 0.8],
      ['one POST for the session', posts === 1],
      ['whole command ≤ 1.5 × (md5sum + POST)', whole <= budget],
    ];
    for (const [name, ok] of checks) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${name}`);
    process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
  } finally {
    await server.close();
    if (KEEP) console.log(`files kept in ${dir}`);
    else await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
