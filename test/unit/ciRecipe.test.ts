// The CI recipe (examples/github/workspace-access.yml) and its problem matcher. The workflow cannot
// run here, so: GitHub's own parser checks it; what it must guarantee is asserted on its structure
// (triggers and paths, the concurrency group evaluated with GitHub's expression engine, keys only
// where the tool runs, pinned actions, the exit codes each step accepts); every workspace-access
// command it runs goes through the command line's parser and then runs, with the same options,
// against the emulator; and the problem matcher is applied to the command line's real output.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import { parse as parseYaml } from 'yaml';
import { parseCli } from '../../src/cli/args';
import { EXIT } from '../../src/cli/exit';
import { FINDINGS_MARKER } from '../../src/cli/findings';
import { markdownMarker } from '../../src/cli/output';
import { edit, exported as exportedFile, type Run, useCliSandbox } from './cliSandbox';

const root = path.resolve(__dirname, '../../..');
const WORKFLOW = 'examples/github/workspace-access.yml';
const MATCHER = 'examples/github/workspace-access-matcher.json';
const workflowText = () => fs.readFileSync(path.join(root, WORKFLOW), 'utf8');

// ---- GitHub's parser and expression engine (ESM for bundlers: bundled here with esbuild) ----

interface ParseResult {
  context: { errors: { getErrors(): { message: string }[] } };
}
interface GithubTools {
  parseWorkflow(file: { name: string; content: string }, trace: object): ParseResult;
  NoOperationTraceWriter: new () => object;
  Lexer: new (text: string) => { lex(): { tokens: unknown[] } };
  Parser: new (tokens: unknown[], contexts: string[], functions: unknown[]) => { parse(): unknown };
  Evaluator: new (
    expr: unknown,
    context: unknown,
  ) => { evaluate(): { coerceString(): string; coerceBoolean?: unknown } };
  data: { reviver: (key: string, value: unknown) => unknown };
}

let tools: Promise<GithubTools> | undefined;
/**
 * @actions/workflow-parser imports its JSON schema without an import attribute, which plain Node
 * refuses: it is published for bundlers, so it is bundled here (devDependencies, found through
 * node_modules or NODE_PATH).
 */
function githubTools(): Promise<GithubTools> {
  tools ??= (async () => {
    const built = await esbuild.build({
      stdin: {
        contents: [
          "export { parseWorkflow, NoOperationTraceWriter } from '@actions/workflow-parser';",
          "export { Lexer, Parser, Evaluator, data } from '@actions/expressions';",
        ].join('\n'),
        resolveDir: root,
        loader: 'js',
      },
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      nodePaths: (process.env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean),
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-actions-'));
    try {
      const file = path.join(dir, 'actions.cjs');
      fs.writeFileSync(file, built.outputFiles[0].text);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(file) as GithubTools;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  })();
  return tools;
}

/** Evaluates a `${{ … }}` expression as GitHub would, with the contexts given. */
async function evaluate(expression: string, contexts: Record<string, unknown>): Promise<string> {
  const t = await githubTools();
  const inner = /^\$\{\{([\s\S]*)\}\}$/.exec(expression.trim())?.[1] ?? expression;
  const expr = new t.Parser(new t.Lexer(inner).lex().tokens, Object.keys(contexts), []).parse();
  const context = JSON.parse(JSON.stringify(contexts), t.data.reviver) as unknown;
  return new t.Evaluator(expr, context).evaluate().coerceString();
}

// ---- The workflow's structure ----

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number | boolean>;
}
interface Job {
  name?: string;
  if?: string;
  needs?: string | string[];
  environment?: string;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, { paths?: string[]; branches?: string[] } | null>;
  concurrency: { group: string; 'cancel-in-progress': string };
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = () => parseYaml(workflowText()) as Workflow;
const stepsOf = (w: Workflow) => Object.entries(w.jobs).flatMap(([id, job]) => job.steps.map((s) => ({ id, job, s })));
const step = (w: Workflow, job: string, name: string): Step => {
  const s = w.jobs[job]?.steps.find((x) => x.name === name);
  assert.ok(s, `job ${job} has the step "${name}"`);
  return s;
};

/** How the workflow runs the tool: from the clone of workspace-access it builds (as the README says). */
const TOOL = 'npx --prefix .workspace-access workspace-access ';
const KEYS = ['WORKSPACE_ACCESS_ELEVENLABS_KEY', 'WORKSPACE_ACCESS_GITBOOK_KEY', 'WORKSPACE_ACCESS_CONFIDENT_KEY'];
/** Where the workflow finds access files (git pathspecs: `*` crosses folders), and the trigger's paths. */
const PATHSPECS = "'workspace-access.yaml' '*/workspace-access.yaml' '*.workspace-access.yaml'";
const TRIGGER_PATHS = ['**/workspace-access.yaml', '**/*.workspace-access.yaml'];

interface Invocation {
  /** The words after `workspace-access`, as the script has them (variables not yet expanded). */
  readonly words: readonly string[];
  /** Where stdout goes, if redirected. */
  readonly stdout?: string;
  /** The exit codes the step carries on with; any other fails it. */
  readonly accepted: ReadonlySet<number>;
}

/** Splits shell words, keeping what double quotes hold together. */
const words = (text: string) => [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);

/** Each workspace-access command in a step's script, with the `case $code in … esac` that follows it. */
function invocations(script: string): Invocation[] {
  const out: Invocation[] = [];
  for (const m of script.matchAll(new RegExp(`${TOOL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(.*)`, 'g'))) {
    const [command, redirect] = m[1].split(/\s+>\s+/);
    const rest = script.slice((m.index ?? 0) + m[0].length);
    assert.match(rest, /^\n\s*code=\$\?\n/, 'each command is followed by its exit code');
    const body = rest.slice(rest.indexOf('case $code in'), rest.indexOf('esac'));
    assert.ok(body && !body.includes(TOOL), 'and its case before the next command');
    const accepted = new Set<number>();
    const cleaned = body.replace(/#.*$/gm, '');
    const arms = cleaned
      .slice(cleaned.indexOf(' in\n') + 4)
      .split(';;')
      .map((a) => a.trim())
      .filter(Boolean);
    for (const arm of arms) {
      const pattern = arm.slice(0, arm.indexOf(')')).trim();
      const fails = /\bstatus=/.test(arm.slice(arm.indexOf(')') + 1));
      if (pattern === '*') assert.ok(fails, 'any other exit code fails the step');
      else if (!fails) for (const c of pattern.split('|')) accepted.add(Number(c.trim()));
    }
    out.push({ words: words(command), ...(redirect ? { stdout: words(redirect)[0] } : {}), accepted });
  }
  return out;
}

/** Expands `$NAME` and `${NAME}` as bash would, failing on a variable the test does not know. */
function expand(word: string, vars: Record<string, string>): string {
  return word.replace(/\$\{?(\w+)\}?/g, (_, name: string) => {
    assert.ok(name in vars, `the test knows $${name}`);
    return vars[name];
  });
}

/** The argv a command runs with here: its words, expanded; `"${name[@]}"` is a bash array, given in `arrays`. */
const argvOf = (
  inv: Invocation,
  vars: Record<string, string>,
  arrays: Record<string, readonly string[]> = {},
): string[] =>
  inv.words.flatMap((w) => {
    const array = /^\$\{(\w+)\[@\]\}$/.exec(w)?.[1];
    if (array === undefined) return [expand(w, vars)];
    assert.ok(array in arrays, `the test knows the array ${array}`);
    return [...arrays[array]];
  });

// ---- The problem matcher, applied as the runner applies it ----

interface MatcherConfig {
  problemMatcher: {
    owner: string;
    severity?: string;
    pattern: {
      regexp: string;
      file?: number;
      line?: number;
      column?: number;
      severity?: number;
      message?: number;
      code?: number;
    }[];
  }[];
}
interface Annotation {
  owner: string;
  file: string;
  line: number;
  column: number;
  severity: string;
  message: string;
  code: string;
}

/** The runner's rules for a matcher file: owners unique, a default severity it knows, groups that exist. */
function checkMatcher(config: MatcherConfig): void {
  const owners = config.problemMatcher.map((m) => m.owner.toLowerCase());
  assert.equal(new Set(owners).size, owners.length, 'owners are unique');
  for (const m of config.problemMatcher) {
    assert.ok(['', 'error', 'warning', 'notice'].includes((m.severity ?? '').toLowerCase()), m.owner);
    for (const p of m.pattern) {
      const groups = new RegExp(`${p.regexp}|`).exec('')?.length ?? 0;
      for (const key of ['file', 'line', 'column', 'severity', 'message', 'code'] as const) {
        const g = p[key];
        if (g !== undefined) assert.ok(g > 0 && g < groups, `${m.owner}: ${key} is group ${g} of ${groups - 1}`);
      }
      assert.ok(p.message !== undefined, `${m.owner} sets message`);
    }
  }
}

/** Each line as the runner reads it: the first matcher that matches makes an annotation; a severity it does not know makes none. */
function annotate(config: MatcherConfig, text: string): Annotation[] {
  const out: Annotation[] = [];
  for (const line of text.split('\n')) {
    for (const m of config.problemMatcher) {
      const p = m.pattern[0];
      const g = new RegExp(p.regexp).exec(line);
      if (!g) continue;
      const pick = (i?: number) => (i === undefined ? '' : (g[i] ?? ''));
      const severity = (pick(p.severity) || m.severity || 'error').toLowerCase();
      if (['error', 'warning', 'notice'].includes(severity))
        out.push({
          owner: m.owner,
          file: pick(p.file),
          line: Number(pick(p.line)),
          column: Number(pick(p.column)),
          severity,
          message: pick(p.message),
          code: pick(p.code),
        });
      break;
    }
  }
  return out;
}

describe('the CI recipe (examples/github/workspace-access.yml) and its problem matcher', () => {
  const sandbox = useCliSandbox();
  const cli = (args: readonly string[]) => sandbox.cli(args);
  const file = () => path.join(sandbox.dir, 'workspace-access.yaml');
  const write = (text: string) => fs.writeFileSync(file(), text);
  const exported = () => exportedFile(sandbox);

  it("GitHub's workflow parser finds no error in it (and finds them in a broken copy)", async () => {
    const t = await githubTools();
    const parse = (content: string) =>
      t
        .parseWorkflow({ name: WORKFLOW, content }, new t.NoOperationTraceWriter())
        .context.errors.getErrors()
        .map((e) => e.message);
    assert.deepEqual(parse(workflowText()), []);
    const broken = workflowText()
      .replace('runs-on: ubuntu-latest', 'run-on: ubuntu-latest')
      .replace('${{ secrets.WORKSPACE_ACCESS_GITBOOK_KEY }}', '${{ secret.WORKSPACE_ACCESS_GITBOOK_KEY }}');
    const errors = parse(broken);
    assert.ok(errors.some((e) => /run-on/.test(e)) && errors.some((e) => /secret/.test(e)), errors.join('\n'));
  });

  it('triggers on both file names, finds both, and pins real major tags of its actions', () => {
    const w = workflow();
    assert.deepEqual(w.on.pull_request?.paths, TRIGGER_PATHS);
    assert.deepEqual(w.on.push?.paths, TRIGGER_PATHS);
    assert.deepEqual(w.on.push?.branches, ['main']);
    assert.ok('schedule' in w.on && 'workflow_dispatch' in w.on);
    // Every script that lists access files uses the same pathspecs, and git finds both names with them.
    const listing = stepsOf(w).filter(({ s }) => /git (ls-files|diff --name-only)/.test(s.run ?? ''));
    assert.equal(listing.length, 3, 'pull request, default branch, drift');
    for (const { s } of listing) assert.ok(s.run?.includes(`-- ${PATHSPECS})`), s.name);
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-git-'));
    try {
      const files = [
        'workspace-access.yaml',
        'teams/workspace-access.yaml',
        'sales.workspace-access.yaml',
        'teams/eu/ops.workspace-access.yaml',
        'other.yaml',
        'workspace-access.yaml.orig',
        'teams/not-workspace-access.yaml',
      ];
      for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
        fs.writeFileSync(path.join(repo, f), 'version: 1\n');
      }
      const git = (script: string) =>
        spawnSync('bash', ['-c', script], { cwd: repo, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: repo } });
      assert.equal(git('git init -q && git add -A').status, 0);
      const listed = git(`git ls-files -- ${PATHSPECS}`);
      assert.deepEqual(listed.stdout.split('\n').filter(Boolean).sort(), files.slice(0, 4).sort());
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
    const pinned = new Set([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'actions/upload-artifact@v4',
      'actions/download-artifact@v4',
      'actions/github-script@v7',
      'github/codeql-action/upload-sarif@v3',
    ]);
    for (const { s } of stepsOf(w)) if (s.uses) assert.ok(pinned.has(s.uses), s.uses);
  });

  it('one apply of a repository at a time: the concurrency group, evaluated as GitHub evaluates it', async () => {
    const w = workflow();
    const group = (github: Record<string, unknown>, inputs: Record<string, unknown> = {}) =>
      evaluate(w.concurrency.group, { github: { repository: 'acme/access', ...github }, inputs });
    const cancel = (github: Record<string, unknown>) =>
      evaluate(w.concurrency['cancel-in-progress'], { github, inputs: {} });
    const apply = 'workspace-access-apply-acme/access';
    assert.equal(await group({ event_name: 'push' }), apply);
    assert.equal(await group({ event_name: 'workflow_dispatch' }, { run: 'apply' }), apply);
    assert.equal(await group({ event_name: 'schedule' }), 'workspace-access-drift-acme/access');
    assert.equal(
      await group({ event_name: 'workflow_dispatch' }, { run: 'drift' }),
      'workspace-access-drift-acme/access',
    );
    assert.equal(
      await group({ event_name: 'pull_request', event: { pull_request: { number: 7 } } }),
      'workspace-access-pr-7',
    );
    assert.equal(await cancel({ event_name: 'push' }), 'false', 'an apply in progress is never cancelled');
    assert.equal(await cancel({ event_name: 'schedule' }), 'false');
    assert.equal(await cancel({ event_name: 'pull_request' }), 'true', "a pull request's newer push replaces its plan");

    // The apply path: plan, then apply the saved plans after the environment's approval.
    assert.deepEqual(w.permissions, { contents: 'read' });
    const writers = Object.entries(w.jobs).filter(([, j]) => j.permissions?.contents === 'write');
    assert.deepEqual(
      writers.map(([id]) => id),
      ['apply'],
      'only apply writes, to commit the state file back',
    );
    const a = w.jobs.apply;
    assert.equal(a.needs, 'plan');
    assert.equal(a.environment, 'workspace-access');
    const uploaded = step(w, 'plan', 'Keep the saved plans for the apply job (one day)').with;
    const downloaded = a.steps.find((s) => s.uses === 'actions/download-artifact@v4')?.with;
    assert.equal(downloaded?.name, uploaded?.name, 'apply takes the plans this run made');
    assert.equal(uploaded?.['retention-days'], 1);
    const commit = step(w, 'apply', 'Commit the state apply recorded');
    assert.equal(commit.if, "always() && steps.apply.outcome != 'skipped'", 'also after a failed apply');
    assert.match(commit.run ?? '', /git push --quiet origin "HEAD:refs\/heads\/\$BRANCH"/);
    assert.equal(
      a.steps.find((s) => s.uses === 'actions/checkout@v4' && !s.with?.repository)?.with?.ref,
      '${{ needs.plan.outputs.commit }}',
      'apply checks out exactly what was planned',
    );
  });

  it('keys only in the steps that run workspace-access; packages installed without scripts and without keys', () => {
    const w = workflow();
    assert.doesNotMatch(JSON.stringify(w.env), /secrets\./, 'no key in the workflow env');
    for (const [id, job] of Object.entries(w.jobs)) {
      assert.doesNotMatch(JSON.stringify(job.env ?? {}), /secrets\./, `no key in ${id}'s env`);
      for (const s of job.steps) {
        assert.doesNotMatch(JSON.stringify(s.with ?? {}), /secrets\./, `${id}: no key passed to an action`);
        const keyed = Object.values(s.env ?? {}).some((v) => v.includes('secrets.'));
        const runsTool = (s.run ?? '').includes(TOOL);
        assert.equal(keyed, runsTool, `${id}/${s.name ?? s.uses}: keys exactly where the tool runs`);
        if (runsTool) {
          for (const k of KEYS) assert.equal(s.env?.[k], `\${{ secrets.${k} }}`, `${id}/${s.name}: ${k}`);
          assert.equal(s.env?.WORKSPACE_ACCESS_STATE_DIR, '${{ runner.temp }}/workspace-access-state');
        }
        if (/npm ci/.test(s.run ?? '')) {
          assert.equal(s.env, undefined, 'npm ci runs without keys');
          assert.match(s.run ?? '', /npm ci --ignore-scripts --prefix \.workspace-access\n/);
        }
      }
    }
    // The scripts' own text stays free of expressions: variables come through env.
    for (const { s } of stepsOf(w)) assert.doesNotMatch(s.run ?? '', /\$\{\{/, s.name);
  });

  it('every workspace-access command it runs is one the command line accepts, and each step passes on the codes it should', () => {
    const w = workflow();
    const expected: [string, string, number[]][] = [
      ['pull-request', 'Plan', [EXIT.ok, EXIT.pending]],
      ['plan', 'Plan into saved plans', [EXIT.ok, EXIT.pending, EXIT.cannot]],
      ['apply', 'Apply', [EXIT.ok, EXIT.cannot]],
      ['drift', 'Drift', [EXIT.ok, EXIT.pending, EXIT.cannot]],
      ['drift', 'Findings', [EXIT.ok, EXIT.findings]],
    ];
    const all = stepsOf(w).filter(({ s }) => (s.run ?? '').includes(TOOL));
    assert.deepEqual(
      all.map(({ id, s }) => [id, s.name]),
      expected.map(([id, name]) => [id, name]),
    );
    const vars = {
      file: 'workspace-access.yaml',
      name: 'workspace-access.yaml',
      RUNNER_TEMP: '/tmp/r',
      plan: '/tmp/r/p',
      ROSTER: 'people/roster.csv',
    };
    for (const [id, name, codes] of expected) {
      const [inv, ...more] = invocations(step(w, id, name).run ?? '');
      assert.deepEqual(more, [], `${id}: one command per file`);
      assert.deepEqual([...inv.accepted].sort(), codes, `${id}/${name} passes on ${codes.join(', ')}`);
      for (const domains of [[], ['--domains', 'example.com,example.org']]) {
        const argv = argvOf(inv, vars, { domains });
        assert.doesNotThrow(() => parseCli(argv), `${argv.join(' ')}`);
      }
    }
    assert.equal(EXIT.stale, 4);
    assert.match(step(w, 'apply', 'Apply').run ?? '', /^\s*4\)\n\s*echo "::error title=Stale saved plan::/m);
    // The comment and the issue find their earlier one by the marker the Markdown starts with.
    const marker = (kind: 'plan' | 'drift') => markdownMarker(kind, '\u0000').split('\u0000')[0];
    const github = (job: string) =>
      step(w, job, w.jobs[job].steps.find((s) => s.uses?.startsWith('actions/github-script'))?.name ?? '');
    assert.ok(
      github('pull-request')
        .with?.script?.toString()
        .includes(`'${marker('plan')}'`),
    );
    assert.ok(
      github('drift')
        .with?.script?.toString()
        .includes(`'${marker('drift')}'`),
    );
    // Findings: one issue, found by its marker, updated on 6 and closed on 0; skipped without a roster.
    const issue = step(
      w,
      'drift',
      'One findings issue, updated in place while something asks for action, closed when nothing does',
    );
    const script = issue.with?.script?.toString() ?? '';
    assert.ok(script.includes(`marker !== '${FINDINGS_MARKER}'`), script);
    assert.match(script, /if \(code === '6'\) \{\n\s*if \(issue\) await github\.rest\.issues\.update\(/);
    assert.match(script, /else if \(code === '0' && issue\)/);
    const findings = step(w, 'drift', 'Findings');
    assert.equal(findings.env?.ROSTER, "${{ vars.WORKSPACE_ACCESS_ROSTER || 'people/roster.csv' }}");
    assert.equal(findings.env?.DOMAINS, '${{ vars.WORKSPACE_ACCESS_DOMAINS }}');
    assert.match(findings.run ?? '', /if \[ ! -f "\$ROSTER" \]; then\n.*\n\s*exit 0\n\s*fi\n/);
    assert.match(findings.run ?? '', /\[ -z "\$DOMAINS" \] \|\| domains=\(--domains "\$DOMAINS"\)\n/);
    const matcher = stepsOf(w).filter(({ s }) => s.run?.includes('::add-matcher::'));
    assert.equal(matcher.length, 4, 'every job that runs the tool annotates its lines');
    for (const { s } of matcher) assert.equal(s.run, `echo "::add-matcher::.workspace-access/${MATCHER}"`);
    const sarif = step(w, 'drift', 'Drift as code scanning alerts');
    assert.equal(sarif.with?.sarif_file, '.workspace-access-sarif');
    assert.match(step(w, 'drift', 'Drift').run ?? '', /--sarif "\.workspace-access-sarif\/\$name\.sarif"/);
  });

  it('each command, with the options the workflow gives it, against the emulator', async () => {
    const w = workflow();
    const runnerTemp = path.join(sandbox.dir, 'runner-temp');
    const vars = { file: 'workspace-access.yaml', name: 'workspace-access.yaml', RUNNER_TEMP: runnerTemp };
    /** Runs the command of a step as its script would, after its `mkdir -p`, and checks the code against the step's case. */
    async function run(
      job: string,
      name: string,
      extra: Record<string, string> = {},
      arrays: Record<string, readonly string[]> = {},
    ) {
      const script = step(w, job, name).run ?? '';
      for (const m of script.matchAll(/mkdir -p (.+)/g))
        for (const d of words(m[1]))
          fs.mkdirSync(path.resolve(sandbox.dir, expand(d, { ...vars, ...extra })), { recursive: true });
      const [inv] = invocations(script);
      const r: Run = await cli(argvOf(inv, { ...vars, ...extra }, arrays));
      if (inv.stdout) fs.writeFileSync(path.resolve(sandbox.dir, expand(inv.stdout, { ...vars, ...extra })), r.stdout);
      return { ...r, passes: inv.accepted.has(r.code ?? -1) };
    }
    const writes = () => sandbox.emulator.requests.filter((q) => q.method !== 'GET');

    const text = await exported();
    const inSync = await run('pull-request', 'Plan');
    assert.deepEqual([inSync.code, inSync.passes], [0, true], inSync.stderr);
    assert.ok(inSync.stdout.startsWith(`${markdownMarker('plan', 'workspace-access.yaml')}\n# Access plan`));
    const md = path.join(runnerTemp, 'plans', 'workspace-access.yaml.md');
    assert.equal(fs.readFileSync(md, 'utf8'), inSync.stdout, 'the comment is the Markdown printed');

    // A pull request gives Alan admin and invites someone new.
    write(
      edit(
        text,
        /alan\.lovelace@example\.com: workspace_member # Alan/,
        'alan.lovelace@example.com: workspace_admin\n      new.lovelace@example.com: workspace_member',
      ),
    );
    const pr = await run('pull-request', 'Plan');
    assert.deepEqual([pr.code, pr.passes], [2, true]);
    assert.match(pr.stdout, /new\.lovelace@example\.com/);
    const saved = path.join(runnerTemp, 'plans', 'workspace-access.yaml.plan');
    assert.equal(fs.statSync(saved).mode & 0o777, 0o600, 'the saved plan names people');
    const merged = await run('plan', 'Plan into saved plans');
    assert.deepEqual([merged.code, merged.passes], [2, true]);
    assert.deepEqual(writes(), [], 'planning sent nothing');

    const applied = await run('apply', 'Apply', { plan: saved });
    assert.deepEqual([applied.code, applied.passes], [0, true], applied.stderr);
    assert.match(applied.stdout, /2 done, 0 failed/);
    const report = path.join(runnerTemp, 'reports', 'workspace-access.yaml.csv');
    assert.equal(fs.statSync(report).mode & 0o777, 0o600, 'the report names people');

    const nightly = await run('drift', 'Drift');
    assert.deepEqual([nightly.code, nightly.passes], [0, true], nightly.stderr);
    assert.ok(nightly.stdout.startsWith(`${markdownMarker('drift', 'workspace-access.yaml')}\n# Access drift`));
    const sarifFile = path.join(sandbox.dir, '.workspace-access-sarif', 'workspace-access.yaml.sarif');
    const sarif = JSON.parse(fs.readFileSync(sarifFile, 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    assert.deepEqual(
      sarif.runs[0].results.map((r) => r.ruleId),
      ['waiting'],
      'the invitation apply sent waits for them to join',
    );

    // The nightly findings against a roster in the repository: an issue's Markdown and alerts (exit 6).
    fs.mkdirSync(path.join(sandbox.dir, 'people'));
    fs.writeFileSync(
      path.join(sandbox.dir, 'people', 'roster.csv'),
      'email,status\nada.lovelace@example.com,active\ngrace.lovelace@example.com,left\n',
    );
    const found = await run(
      'drift',
      'Findings',
      { ROSTER: 'people/roster.csv' },
      { domains: ['--domains', 'example.com'] },
    );
    assert.deepEqual([found.code, found.passes], [EXIT.findings, true], found.stderr);
    const issueBody = fs.readFileSync(path.join(runnerTemp, 'findings', 'findings.md'), 'utf8');
    assert.ok(issueBody.startsWith(`${FINDINGS_MARKER}\n# Access findings`), issueBody.slice(0, 200));
    assert.match(issueBody, /\| grace\.lovelace@example\.com \| roster line 3: left \|/);
    const findingsSarif = JSON.parse(
      fs.readFileSync(path.join(sandbox.dir, '.workspace-access-sarif', 'findings.sarif'), 'utf8'),
    ) as { runs: { results: { ruleId: string }[] }[] };
    assert.ok(findingsSarif.runs[0].results.some((r) => r.ruleId === 'left'));
    const noDomains = await run('drift', 'Findings', { ROSTER: 'people/roster.csv' }, { domains: [] });
    assert.deepEqual([noDomains.code, noDomains.passes], [EXIT.findings, true], noDomains.stderr);

    // A saved plan whose file moved before the apply: nothing is sent, and the apply step fails (exit 4).
    const before = fs.readFileSync(file(), 'utf8');
    write(
      edit(
        before,
        /dennis\.lovelace@example\.com: workspace_lite_member # Dennis/,
        'dennis.lovelace@example.com: workspace_member',
      ),
    );
    assert.equal((await run('plan', 'Plan into saved plans')).code, 2);
    write(`${fs.readFileSync(file(), 'utf8')}# a later commit\n`);
    const sent = writes().length;
    const stale = await run('apply', 'Apply', { plan: saved });
    assert.deepEqual([stale.code, stale.passes], [EXIT.stale, false], stale.stderr);
    assert.equal(writes().length, sent, 'a stale plan sends nothing');
    write(before);

    // Someone changed live by hand: the file now differs from it.
    write(
      edit(
        fs.readFileSync(file(), 'utf8'),
        /dennis\.lovelace@example\.com: workspace_lite_member # Dennis/,
        'dennis.lovelace@example.com: workspace_member',
      ),
    );
    const drifted = await run('drift', 'Drift');
    assert.deepEqual([drifted.code, drifted.passes], [2, true]);
    assert.match(drifted.stdout, /\| \d+ \| `dennis\.lovelace@example\.com: workspace_member` \| drift \|/);

    // A pull request that breaks the file fails its check, and its comment says why, at the line.
    write(edit(text, /alan\.lovelace@example\.com: workspace_member # Alan/, 'alan.lovelace@example.com: captain'));
    const broken = await run('pull-request', 'Plan');
    assert.deepEqual([broken.code, broken.passes], [1, false]);
    const line = text.split('\n').findIndex((l) => l.includes('alan.lovelace@example.com')) + 1;
    assert.ok(broken.stdout.startsWith(`${markdownMarker('plan', 'workspace-access.yaml')}\n# Access plan`));
    assert.match(broken.stdout, new RegExp(`- line ${line}: .*captain`));
    assert.match(broken.stdout, /The plan stopped \(exit code 1\); nothing was sent\./);
  });

  it("the problem matcher turns the command line's file:line:column lines into annotations with the right place, severity and message", async () => {
    const config = JSON.parse(fs.readFileSync(path.join(root, MATCHER), 'utf8')) as MatcherConfig;
    checkMatcher(config);
    const text = await exported();
    // The file's errors, on stderr, as a pull request's plan prints them.
    write(
      edit(text, /alan\.lovelace@example\.com: workspace_member # Alan/, 'alan.lovelace@example.com: captain').replace(
        /grace\.lovelace@example\.com: workspace_admin # Grace/,
        'grace.lovelace@example.com: [admin]',
      ),
    );
    const bad = await cli(['plan', 'workspace-access.yaml', '--markdown']);
    const json = JSON.parse((await cli(['plan', 'workspace-access.yaml', '--json'])).stdout) as {
      errors: { line?: number; column?: number; code?: string; message: string }[];
    };
    const errors = json.errors.filter((e) => e.line !== undefined);
    assert.equal(errors.length, 2, JSON.stringify(json.errors));
    assert.deepEqual(
      annotate(config, bad.stderr),
      errors.map((e) => ({
        owner: 'workspace-access',
        file: 'workspace-access.yaml',
        line: e.line,
        column: e.column,
        severity: 'error',
        message: e.message,
        code: e.code,
      })),
    );

    // Drift as text: warnings and notes (info), each at its line; the summary line is not one.
    write(
      edit(
        text,
        /alan\.lovelace@example\.com: workspace_member # Alan/,
        'alan.lovelace@example.com: workspace_admin',
      ).replace(/ +barbara\.lovelace@example\.com: workspace_lite_member # Barbara\n/, ''),
    );
    const drift = await cli(['drift', 'workspace-access.yaml']);
    assert.equal(drift.code, 2);
    const found = (
      JSON.parse((await cli(['drift', 'workspace-access.yaml', '--json'])).stdout) as {
        findings: { line: number; column: number; severity: string; code: string; message: string }[];
      }
    ).findings;
    assert.deepEqual(
      [...new Set(found.map((f) => f.severity))].sort(),
      ['info', 'warning'],
      'both severities are in this drift',
    );
    assert.deepEqual(
      annotate(config, drift.stdout),
      found.map((f) => ({
        owner: f.severity === 'info' ? 'workspace-access-info' : 'workspace-access',
        file: 'workspace-access.yaml',
        line: f.line,
        column: f.column,
        severity: f.severity === 'info' ? 'notice' : f.severity,
        message: f.message,
        code: f.code,
      })),
    );
    assert.match(drift.stdout.trim().split('\n').at(-1) ?? '', /line\(s\) of workspace-access\.yaml differ from live/);
  });

  it('the README documents the recipe where it lives, and no longer carries one of its own', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    assert.ok(readme.includes(`(${WORKFLOW})`), 'the README links the workflow');
    assert.ok(readme.includes(`(${MATCHER})`), 'and the problem matcher');
    assert.doesNotMatch(readme, /```yaml\n# \.github\/workflows/, 'no second copy to drift from the tested one');
    assert.doesNotMatch(readme, /ref: v\d/, 'no tag that does not exist');
  });
});
