/** `export`: live access written to a new access file, or an existing one rewritten in its own shape. */
import * as fs from 'node:fs';
import { readLive } from '../core/access/live';
import { renderAccessFile, renderLive } from '../core/access/render';
import { PLATFORM_IDS } from '../providers';
import { CliError, load, planned, reportErrors, type Context } from './commands';
import { keyVariable } from './connections';
import { writePrivate } from './outputs';

/** export: live access to a new file, or with --force over an existing one in its own shape. */
export async function exportCommand(ctx: Context): Promise<number> {
  const file = ctx.args.file;
  const exists = fs.existsSync(file);
  if (exists && !ctx.args.force)
    throw new CliError(
      `${file} exists: export writes a new file. Add --force to replace it with live access of its connections, in its own shape.`,
    );
  let text: string;
  let count: number;
  if (exists) {
    const loaded = load(ctx);
    const { plan } = await planned(ctx, loaded);
    if (reportErrors(ctx, loaded, plan.findings)) throw new CliError(`${file} was not replaced.`);
    text = renderLive(loaded.parsed, plan);
    count = plan.live.size;
  } else {
    const all = await ctx.sessions.everything(ctx.signal);
    if (!all.length)
      throw new CliError(`No key is set: set at least one of ${PLATFORM_IDS.map(keyVariable).join(', ')}.`);
    const entries = await Promise.all(
      all.map(async (c) => ({
        facts: c.facts,
        name: c.name,
        provider: c.provider,
        live: await readLive(c.provider, undefined, { concurrency: ctx.args.concurrency, signal: ctx.signal }),
      })),
    );
    text = renderAccessFile(entries);
    count = entries.length;
  }
  writePrivate(file, text);
  ctx.err(
    `Wrote ${file}: the live access of ${count} connection(s). It names people: it is readable by you only until you commit it.\n`,
  );
  return 0;
}
