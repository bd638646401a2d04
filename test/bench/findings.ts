/**
 * findings: `workspace-access findings --roster FILE --json` on the large data of all three
 * connections (5,000 members each, activity for every member where the platform gives it) against
 * a 6,000-row roster, as a nightly CI job runs it, with 50 ms added to every answer so the reads,
 * not this machine's CPU, set the time, twice, the faster counting. Its bound: the same reads alone
 * (members, invitations where listed, activity) in a fresh process at the command line's concurrency
 * (findings-child.ts), alternated with the command, the faster of two. The command runs with the heap sampler preloaded
 * (heap-peak.ts), and again with V8's old space capped at the target, where it must still finish.
 * Roster matching (parseRoster, then findingsOf on the members the reads returned) is timed in this
 * process, on the same CSV. Targets: time ≤ 1.2× the bound, roster matching ≤ 200 ms, peak heap
 * ≤ 150 MB, exit code 6 (something asks for action).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { todayUtc } from '../../src/core/access/plan';
import { DEFAULT_INACTIVE_DAYS, DEFAULT_INVITATION_DAYS, findingsOf } from '../../src/core/roster/findings';
import { gatherConnection } from '../../src/core/roster/gather';
import { parseRoster } from '../../src/core/roster/parse';
import { createProvider, PLATFORM_IDS, PLATFORMS } from '../../src/providers';
import { createSeed, type SeedPerson } from '../emulator/seed';
import { cliEnv, heapMb, runNode } from './cli-large';
import { clientAt, ratio, RemoteEmulator, report } from './common';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const CHILD = path.join(__dirname, 'findings-child.js');
const PEAK = path.join(__dirname, 'heap-peak.js');
/** A platform's answer takes this long: the reads (about 60) then take longer than the CPU's work. */
const LATENCY_MS = 50;
/** The roster's rows, the figure. */
export const ROSTER_ROWS = 6_000;
/** The heap the target allows, also given to V8 as its limit in a second run that must finish. */
export const HEAP_LIMIT_MB = 150;
/**
 * Roster matching is timed this many times in this process; the median counts, and the first (cold)
 * is reported on its own. Of three, the median was often a turn the JIT had not finished with (150 ms
 * to 250 ms from one run to the next on the same code); of seven, the steady figure.
 */
const TURNS = 7;

/**
 * The roster an HR export of the seeded organization would be (the same every run): every seeded
 * person but one in 40 (who are then on no roster), one in 20 of them under another address with the
 * seeded one as an alias, one in 50 terminated, one in 50 still active with an end date past, one
 * in 50 with an end date to come; then people who match no account (new hires, people long gone)
 * up to ROSTER_ROWS rows.
 */
export function rosterCsv(people: readonly SeedPerson[]): string {
  const lines = ['Email,Full Name,Employment Status,Termination Date,Aliases,Manager,Department'];
  const row = (cells: string[]) => lines.push(cells.join(','));
  for (const p of people) {
    const i = p.n;
    if (i % 40 === 39) continue;
    const [local] = p.email.split('@');
    const byAlias = i % 20 === 7;
    const email = byAlias ? `${local}.${i}@corp.example.org` : p.email;
    const status = i % 50 === 13 ? 'Terminated' : i % 97 === 5 ? 'On leave' : 'Active';
    const end = i % 50 === 13 ? '2026-06-30' : i % 50 === 38 ? '2025-11-30' : i % 50 === 21 ? '2099-12-31' : '';
    const manager = people[Math.floor(i / 10)].email;
    row([email, `${p.firstName} ${p.lastName}`, status, end, byAlias ? p.email : '', manager, `Team ${i % 12}`]);
  }
  for (let k = 0; lines.length <= ROSTER_ROWS; k++)
    row([
      `new.person${k}@example.com`,
      `New Person ${k}`,
      k % 5 === 0 ? 'Terminated' : 'Active',
      k % 5 === 0 ? '2024-03-31' : '',
      k % 7 === 0 ? `np${k}@corp.example.org` : '',
      people[k % 100].email,
      `Team ${k % 12}`,
    ]);
  return `${lines.join('\n')}\n`;
}

export async function findings(): Promise<Record<string, unknown>> {
  const emulator = await RemoteEmulator.start('large', { latencyMs: LATENCY_MS });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-bench-findings-'));
  try {
    const connections = PLATFORM_IDS.map((p) => emulator.connection(p));
    const env = cliEnv(connections, path.join(dir, 'state'));
    const people = createSeed('large').people;
    const csv = rosterCsv(people);
    const file = path.join(dir, 'roster.csv');
    // Names and emails: personal data, readable by this user only.
    fs.writeFileSync(file, csv, { mode: 0o600 });

    const readsAlone = async () => {
      const before = (await emulator.stats()).requests;
      const run = await runNode([CHILD, JSON.stringify(connections)], { PATH: process.env.PATH });
      if (run.code !== 0) throw new Error(`the reads failed (${run.code}): ${run.stderr.slice(-500)}`);
      const counts = JSON.parse(run.stdout) as { members: number }[];
      return { ms: run.ms, requests: (await emulator.stats()).requests - before, counts };
    };
    const findingsRun = async () => {
      const before = (await emulator.stats()).requests;
      const run = await runNode(['-r', PEAK, CLI, 'findings', '--roster', file, '--json'], env);
      return { run, reads: (await emulator.stats()).requests - before };
    };
    // Alternated, twice each, the faster of each taken, as the bound is (one run of each moved the ratio by 0.1).
    const first = await readsAlone();
    const cmdFirst = await findingsRun();
    const again = await readsAlone();
    const cmdAgain = await findingsRun();
    const reads = first.ms <= again.ms ? first : again;
    const { run: cmd, reads: cmdReads } = cmdFirst.run.ms <= cmdAgain.run.ms ? cmdFirst : cmdAgain;
    const capped = await runNode(
      [`--max-old-space-size=${HEAP_LIMIT_MB}`, '-r', PEAK, CLI, 'findings', '--roster', file, '--json'],
      env,
    );
    if (cmd.code !== 6 && cmd.code !== 0) throw new Error(`findings failed (${cmd.code}): ${cmd.stderr.slice(-500)}`);
    const out = JSON.parse(cmd.stdout) as { findings: { kind: string }[] };
    const byKind: Record<string, number> = {};
    for (const f of out.findings) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;

    // Roster matching in this process: the same CSV, and the members the same reads return.
    const today = todayUtc();
    const facts = await Promise.all(
      connections.map((c) =>
        gatherConnection(
          createProvider(c.platform, clientAt(c.platform, c.baseUrl, c.key), c.tenantId),
          `${c.platform}:bench`,
          PLATFORMS[c.platform].label,
          { today, inactiveDays: DEFAULT_INACTIVE_DAYS },
        ),
      ),
    );
    const turns: { parse: number; match: number; findings: number }[] = [];
    for (let t = 0; t < TURNS; t++) {
      const started = performance.now();
      const { roster } = await parseRoster(csv);
      const parsed = performance.now();
      const result = findingsOf({
        connections: facts,
        roster,
        today,
        inactiveDays: DEFAULT_INACTIVE_DAYS,
        invitationDays: DEFAULT_INVITATION_DAYS,
      });
      turns.push({ parse: parsed - started, match: performance.now() - parsed, findings: result.findings.length });
    }
    // The median turn by parse and match together.
    const mid = [...turns].sort((a, b) => a.parse + a.match - (b.parse + b.match))[Math.floor(TURNS / 2)];
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return report('findings', {
      latency_ms: LATENCY_MS,
      roster_rows: csv.split('\n').length - 2,
      roster_bytes: Buffer.byteLength(csv),
      members: reads.counts.map((c) => c.members),
      findings_reads: cmdReads,
      reads_alone_requests: reads.requests,
      reads_ms: reads.ms,
      reads_ms_runs: [first.ms, again.ms],
      findings_ms: cmd.ms,
      findings_ms_runs: [cmdFirst.run.ms, cmdAgain.run.ms],
      ratio: ratio(cmd.ms, reads.ms),
      roster_parse_ms: round(mid.parse),
      match_ms: round(mid.match),
      roster_match_ms: round(mid.parse + mid.match),
      roster_match_ms_first: round(turns[0].parse + turns[0].match),
      in_process_findings: mid.findings,
      peak_heap_mb: heapMb(cmd.stderr, 'peak'),
      live_heap_mb: heapMb(cmd.stderr, 'live'),
      heap_limit_mb: HEAP_LIMIT_MB,
      peak_heap_mb_in_limit: heapMb(capped.stderr, 'peak'),
      exit_code_in_limit: capped.code,
      findings: out.findings.length,
      by_kind: byKind,
      exit_code: cmd.code,
      targets: { ratio: '<= 1.2', roster_match_ms: '<= 200', peak_heap_mb: '<= 150', exit_code: 6 },
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await emulator.close();
  }
}
