// `npm run bench`: every benchmark in one run, each printing one JSON line (ratios against a
// baseline measured in the same run), then a line saying which targets were met.
import { reachIndex } from './access-index';
import { accessFile } from './access-file';
import { activation } from './activation';
import { apply } from './apply';
import { cli } from './cli';
import { cliLarge } from './cli-large';
import { evidenceVerify } from './evidence-verify';
import { faults } from './faults';
import { findings } from './findings';
import { inviteBulk } from './invite-bulk';
import { offboard } from './offboard';
import { outage } from './outage';
import { person } from './person';
import { resumeRace } from './resume-race';
import { reviewClose } from './review-close';
import { reviewStart } from './review-start';
import { shareFanout } from './share-fanout';
import { teamApply } from './team-apply';
import { treeScale } from './tree-scale';

type Line = Record<string, unknown>;

function met(line: Line): Record<string, boolean> {
  const n = (k: string) => line[k] as number;
  switch (line.bench) {
    case 'share-fanout':
      return {
        speedup: n('speedup') >= 12,
        bound_ratio: n('bound_ratio') <= 1.25,
        lost: n('lost') === 0,
        duplicated: n('duplicated') === 0,
      };
    case 'invite-bulk':
      return {
        ratio_vs_batch: n('ratio_vs_batch') <= 1.1,
        fallback_speedup: n('fallback_speedup') >= 10,
        lost: n('lost') === 0,
        duplicated: n('duplicated') === 0,
      };
    case 'tree-scale':
      return {
        requests_per_level: n('max_requests_per_level') <= 1,
        ms_per_level: line.all_within_time === true,
        heap: n('heap_growth_mb') <= 50,
      };
    case 'faults': {
      const r = line.resume as Line;
      return {
        lost: n('lost') === 0 && r.lost === 0,
        duplicated: n('duplicated') === 0 && r.duplicated === 0,
        every_item_final: line.every_item_final === true && r.every_item_final === true,
      };
    }
    case 'outage':
      return {
        paused: line.paused === true,
        requests_per_item: n('requests_per_item') <= 2,
        lost: n('lost') === 0,
        duplicated: n('duplicated') === 0,
      };
    case 'resume-race':
      return { one_runner: n('ran') === 1, lost: n('lost') === 0, duplicated: n('duplicated') === 0 };
    case 'access-index':
      return { bound_ratio: n('bound_ratio') <= 1.2, heap_mb: n('heap_mb') <= 50, complete: line.complete === true };
    case 'person':
      return { bound_ratio: n('worst_bound_ratio') <= 1.2, index_lookup_ms: n('index_lookup_ms') <= 20 };
    case 'offboard':
      return { bound_ratio: n('bound_ratio') <= 1.25, lost: n('lost') === 0, duplicated: n('duplicated') === 0 };
    case 'access-file':
      return {
        plan_cpu_ms: n('plan_cpu_ms') <= 500,
        edit_check_ms: n('edit_check_ms') <= 100,
        planned_changes: n('planned_changes') === 1000,
      };
    case 'apply':
      return {
        bound_ratio: n('bound_ratio') <= 1.25,
        lost: n('lost') === 0,
        duplicated: n('duplicated') === 0,
        second_plan_empty: n('second_plan_changes') === 0,
      };
    case 'cli':
      return {
        ratio: n('ratio') <= 1.25,
        same_changes:
          n('cli_changes') === n('planned_changes') &&
          n('bare_changes') === n('planned_changes') &&
          n('planned_changes') === 1000,
        exit_code: n('exit_code') === 2,
      };
    case 'cli-large':
      return {
        ratio: n('ratio') <= 1.25,
        heap: n('peak_heap_mb') <= 300 && n('heap_limit_mb') === 300,
        exit_code: n('exit_code') === 0,
      };
    case 'findings':
      return {
        ratio: n('ratio') <= 1.2,
        roster_match_ms: n('roster_match_ms') <= 200,
        heap: n('peak_heap_mb') <= 150 && n('heap_limit_mb') === 150 && n('exit_code_in_limit') === 6,
        exit_code: n('exit_code') === 6,
      };
    case 'team-apply':
      return {
        sent_twice: n('sent_twice') === 0,
        lost: n('lost') === 0,
        fresh_plan_empty: n('fresh_plan_changes') === 0 && n('fresh_exit_code') === 0,
        one_applied: (line.exit_codes as (number | null)[]).includes(0),
      };
    case 'activation':
      return {
        bundle: n('bundle_bytes') <= 800 * 1024,
        activate_ms: n('activate_ms') <= 5,
        undici_lazy: line.undici_loaded_at_activation === false,
        yaml_lazy: line.yaml_loaded_at_activation === false,
      };
    case 'review-start':
      return {
        ratio: n('ratio') <= 1.2,
        heap: n('peak_heap_mb') <= 200 && n('heap_limit_mb') === 200,
        parse_check_ms: n('parse_check_ms') <= 300,
        parsed_clean: line.parsed_clean === true,
      };
    case 'review-close':
      return {
        bound_ratio: n('bound_ratio') <= 1.25,
        revocations: n('planned_changes') === 1000,
        lost: n('lost') === 0,
        sent_twice: n('sent_twice') === 0,
        second_close_empty: n('second_plan_changes') === 0 && n('second_close_writes') === 0,
      };
    case 'evidence-verify':
      return {
        verify_ms: n('verify_ms') <= 1000,
        verified: line.verified === true,
        tamper_detected: line.tamper_detected === true,
      };
    default:
      return {};
  }
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const benches: [string, () => Promise<Line>][] = [
    ['share-fanout', shareFanout],
    ['invite-bulk', inviteBulk],
    ['tree-scale', treeScale],
    ['faults', faults],
    ['outage', outage],
    ['resume-race', resumeRace],
    ['access-index', reachIndex],
    ['person', person],
    ['offboard', offboard],
    ['access-file', accessFile],
    ['apply', apply],
    ['cli', cli],
    ['cli-large', cliLarge],
    ['findings', findings],
    ['team-apply', teamApply],
    ['review-start', reviewStart],
    ['review-close', reviewClose],
    ['evidence-verify', evidenceVerify],
    ['activation', activation],
  ];
  const results: Record<string, Record<string, boolean>> = {};
  for (const [name, run] of benches) {
    if (only.length && !only.includes(name)) continue;
    results[name] = met(await run());
  }
  const missed = Object.entries(results).flatMap(([b, r]) =>
    Object.entries(r)
      .filter(([, ok]) => !ok)
      .map(([k]) => `${b}.${k}`),
  );
  console.log(JSON.stringify({ bench: 'summary', targets_met: missed.length === 0, missed }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
