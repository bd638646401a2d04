/**
 * `workspace-access review start|status|close|verify`: an access review (issue #27) run from the
 * command line alone, so a review can be a pull request: started on a branch, decided in the pull
 * request, closed by CI on merge. The review file and its checks, the close plan and the evidence
 * are the core's (src/core/review); this reads and writes the files and prints. start and close are
 * in reviewStart.ts and reviewClose.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { todayUtc } from '../core/access/plan';
import { parseReview } from '../core/review/parse';
import { daysUntil, progressOf, REVIEW_SUFFIX } from '../core/review/review';
import { EVIDENCE_SUFFIX, verifyChain, type VerifyResult } from '../core/review/evidence';
import { mdCell } from '../core/jobs/report';
import { CliError, type Context } from './commands';
import { EXIT } from './exit';
import { capMarkdown, JSON_SCHEMA_VERSION, MAX_MARKDOWN_CHARS, problemLine } from './output';
import { progressWords, readReviewFile } from './reviewFile';
import { reviewStart } from './reviewStart';
import { reviewClose } from './reviewClose';

export async function reviewCommand(ctx: Context): Promise<number> {
  const action = ctx.args.review?.action;
  switch (action) {
    case 'start':
      return reviewStart(ctx);
    case 'status':
      return reviewStatus(ctx);
    case 'close':
      return reviewClose(ctx);
    case 'verify':
      return reviewVerify(ctx);
    default:
      throw new CliError('review takes start, status, close or verify.', EXIT.usage);
  }
}

/** review status FILE: progress and every problem; 0 all decided and not overdue, EXIT.undecided otherwise, 1 errors. */
function reviewStatus(ctx: Context): number {
  const loaded = readReviewFile(ctx.args.file);
  const { review, problems } = loaded.parsed;
  const today = todayUtc();
  const progress = review ? progressOf(review) : { items: 0, decided: 0, unreasoned: 0 };
  const overdue = !!review && !review.closed && daysUntil(review.due, today) < 0;
  const code = loaded.errors.length
    ? EXIT.error
    : review && !review.closed && (progress.decided < progress.items || overdue)
      ? EXIT.undecided
      : EXIT.ok;
  const summary = review ? progressWords(review, today) : 'not a review';
  const file = ctx.args.file;
  const placed = problems.map((p) => ({ ...loaded.pos(p), severity: p.severity, code: p.code, message: p.message }));
  if (ctx.args.format === 'json') {
    ctx.out(
      `${JSON.stringify(
        {
          schemaVersion: JSON_SCHEMA_VERSION,
          command: 'review status',
          file,
          exitCode: code,
          name: review?.name,
          due: review?.due,
          overdue,
          closed: review?.closed ?? null,
          signedOff: !!review?.signoff,
          items: progress.items,
          decided: progress.decided,
          summary,
          problems: placed,
        },
        null,
        2,
      )}\n`,
    );
    return code;
  }
  if (ctx.args.format === 'markdown') {
    const lines = [
      `<!-- workspace-access:review ${file.replace(/--/g, '- -')} -->`,
      `# Access review: ${mdCell(review?.name ?? file)}`,
      '',
      `**${mdCell(summary)}**${review && !review.closed ? (review.signoff ? ', signed off' : ', not signed off') : ''}`,
      '',
      ...placed.map((p) => `- line ${p.line}: ${p.severity}: ${mdCell(p.message)}`),
    ];
    // A pull-request comment: GitHub refuses more than 65,536 characters (a large review's undecided items).
    ctx.out(capMarkdown(`${lines.join('\n')}\n`, MAX_MARKDOWN_CHARS, `Run: workspace-access review status ${file}`));
    return code;
  }
  for (const p of problems) ctx.out(`${problemLine(file, loaded.pos, p)}\n`);
  ctx.out(
    `${file}: ${summary}${review && !review.closed ? (review.signoff ? '; signed off' : '; not signed off') : ''}.\n`,
  );
  return code;
}

/** The folder's evidence JSON files, by base name, and each review file's `closed` record. */
function evidenceIn(dir: string) {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      `${dir}: ${code === 'ENOENT' ? 'no such folder' : `cannot be read (${code ?? String(err)})`}. Give the folder of the reviews: workspace-access review verify reviews`,
    );
  }
  const found = names
    .filter((n) => n.endsWith(EVIDENCE_SUFFIX))
    .sort()
    .map((file) => ({ file, bytes: fs.readFileSync(path.join(dir, file)) }));
  const anchors = new Map<string, string>();
  for (const n of names.filter((x) => x.endsWith(REVIEW_SUFFIX))) {
    const closed = parseReview(fs.readFileSync(path.join(dir, n), 'utf8'), todayUtc()).review?.closed;
    if (closed) anchors.set(closed.evidence, closed.sha256);
  }
  return { found, anchors };
}

/** review verify [DIR|FILE]: the chain of the folder's evidence; 0 when whole, EXIT.tampered naming the first file changed. */
function reviewVerify(ctx: Context): number {
  const given = ctx.args.file;
  const dir = fs.existsSync(given) && fs.statSync(given).isDirectory() ? given : path.dirname(given);
  const { found, anchors } = evidenceIn(dir);
  const result: VerifyResult = verifyChain(
    found,
    (file) => {
      try {
        return fs.readFileSync(path.join(dir, file));
      } catch {
        return undefined;
      }
    },
    anchors,
  );
  const code = result.ok ? EXIT.ok : EXIT.tampered;
  const words = result.ok
    ? found.length
      ? `${found.length} evidence file(s) verified in ${dir}: the chain is whole.`
      : `No evidence files (*${EVIDENCE_SUFFIX}) in ${dir}: nothing to verify.`
    : `${path.join(dir, result.file)} does not verify: ${result.why}.`;
  if (ctx.args.format === 'json')
    ctx.out(
      `${JSON.stringify(
        {
          schemaVersion: JSON_SCHEMA_VERSION,
          command: 'review verify',
          folder: dir,
          exitCode: code,
          verified: result.ok,
          files: result.files,
          ...(result.ok ? {} : { file: path.join(dir, result.file), why: result.why }),
          summary: words,
        },
        null,
        2,
      )}\n`,
    );
  else if (ctx.args.format === 'markdown') ctx.out(`# Evidence chain: ${mdCell(dir)}\n\n**${mdCell(words)}**\n`);
  else if (result.ok) ctx.out(`${words}\n`);
  else ctx.err(`workspace-access: ${words}\n`);
  return code;
}
