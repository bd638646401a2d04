// A platform that stops answering in the middle of `apply` (dist/cli.js against the emulator): the
// job pauses and keeps its journal, as an outage does, instead of failing every change that is
// left; `apply --resume` then finishes it, checking the changes whose answer was lost, so nothing
// is sent twice and live matches the file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EXIT } from '../../src/cli/exit';
import { MIN_OUTAGE_FAILURES } from '../../src/core/jobs/units';
import { sandboxEnv, startCli, useCliSandbox } from './cliSandbox';

describe('command line: a platform that stops answering mid-apply', () => {
  const sandbox = useCliSandbox();
  const file = () => path.join(sandbox.dir, 'workspace-access.yaml');
  /** Writes whose handler ran (the platform acted on them), by what they changed. */
  const acted = () => {
    const seen = new Map<string, number>();
    for (const r of sandbox.emulator.requests) {
      if (r.method === 'GET' || r.status >= 400 || !['none', 'stall'].includes(r.fault)) continue;
      const key = `${r.platform} ${r.method} ${r.path} ${JSON.stringify(r.body)}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    return seen;
  };

  for (const [what, faults] of [
    ['answers nothing (each call times out)', { rateStall: 1, stallMs: 20_000 }],
    ['refuses every request (503)', { outage: 1 }],
  ] as const) {
    it(`one that ${what}: the apply pauses with its journal, and --resume finishes it with nothing sent twice`, async () => {
      assert.equal(MIN_OUTAGE_FAILURES, 4);
      const exported = await sandbox.cli(['export', 'workspace-access.yaml']);
      assert.equal(exported.code, 0, exported.stderr);
      const text = fs.readFileSync(file(), 'utf8');
      // Every GitBook member made an admin: one call each.
      const gitbook = text.indexOf('platform: gitbook');
      const end = text.indexOf('\n  - platform:', gitbook + 1);
      const section = text.slice(gitbook, end < 0 ? undefined : end);
      const raised = section.replace(/(@example\.com: )(read|edit|review|create)\b/g, '$1admin');
      const changes = (section.match(/@example\.com: (read|edit|review|create)\b/g) ?? []).length;
      assert.ok(changes >= 6, `the sandbox's GitBook has members to raise (${changes})`);
      fs.writeFileSync(file(), text.replace(section, raised));

      // Each answer takes a while, so the platform goes down with changes still to send.
      sandbox.emulator.setFaults({ latencyMs: 20 });
      const env = sandboxEnv(sandbox.emulator, sandbox.dir);
      // Down from the first GitBook write the platform acted on: the changes after it meet the outage.
      const firstWrite = sandbox.emulator.handled((r) => r.method !== 'GET' && r.platform === 'gitbook');
      const run = startCli(
        ['apply', 'workspace-access.yaml', '--timeout', '1', '--concurrency', '2'],
        sandbox.dir,
        env,
      );
      await Promise.race([firstWrite, run.done]);
      sandbox.emulator.setFaults(faults);
      const paused = await run.done;
      assert.equal(paused.code, EXIT.error, paused.stderr);
      assert.match(paused.stderr, /Paused: \d+ requests in a row failed: /);
      assert.match(paused.stderr, /workspace-access apply workspace-access\.yaml --resume/);
      assert.doesNotMatch(paused.stdout, /\b0 skipped, 0 unknown/, 'changes were left when it paused');
      const jobs = path.join(sandbox.dir, 'state', 'jobs');
      assert.equal(
        fs.readdirSync(jobs).filter((f) => f.endsWith('.jsonl') || f.endsWith('.json')).length,
        1,
        'the journal is kept',
      );

      // Back up: the resume checks what was sent, sends the rest, and live matches the file.
      sandbox.emulator.setFaults({ rateStall: 0, outage: 0, latencyMs: 0 });
      const resumed = await sandbox.cli(['apply', 'workspace-access.yaml', '--resume']);
      assert.equal(resumed.code, EXIT.ok, resumed.stderr);
      const twice = [...acted()].filter(([, n]) => n > 1);
      assert.deepEqual(twice, [], 'no change reached the platform twice');
      assert.equal((await sandbox.cli(['plan', 'workspace-access.yaml'])).code, EXIT.ok);
      assert.equal(fs.existsSync(jobs) ? fs.readdirSync(jobs).length : 0, 0, 'the finished job leaves no journal');
    });
  }
});
