// Starts the emulator: node out/test/emulator/cli.js [--port 3939] [--size demo|large] [--seed 42]
//   [--latency 50] [--rate429 0.1] [--retry-after 1] [--max-concurrent 16] [--rate5xx 0.05]
//   [--rate-reset 0.02] [--rate-malformed 0.02] [--rate-stall 0] [--stall-ms 30000] [--env]
// Prints one JSON line with the URL and the sandbox connections, then serves until stopped. With
// --env, prints instead the shell lines that point the command line at it (keys and base URLs).
import { PLATFORMS } from '../../src/providers';
import { parseArgs } from 'node:util';
import { Emulator } from './server';
import type { Faults } from './faults';

const FLAG_TO_FAULT: Record<string, keyof Faults> = {
  latency: 'latencyMs',
  rate429: 'rate429',
  'retry-after': 'retryAfterSec',
  'max-concurrent': 'maxConcurrent',
  rate5xx: 'rate5xx',
  'rate-reset': 'rateReset',
  'rate-malformed': 'rateMalformed',
  'rate-stall': 'rateStall',
  'stall-ms': 'stallMs',
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      size: { type: 'string', default: 'demo' },
      seed: { type: 'string', default: '42' },
      env: { type: 'boolean', default: false },
      ...Object.fromEntries(Object.keys(FLAG_TO_FAULT).map((k) => [k, { type: 'string' as const }])),
    },
    strict: true,
  });
  if (values.size !== 'demo' && values.size !== 'large')
    throw new Error(`--size must be demo or large (got ${values.size})`);
  const faults: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(FLAG_TO_FAULT)) {
    const v = (values as unknown as Record<string, string | undefined>)[flag];
    if (v !== undefined) faults[key] = v;
  }
  const emulator = await Emulator.start({
    port: Number(values.port),
    host: values.host,
    size: values.size,
    seed: Number(values.seed),
  });
  emulator.setFaults(faults);
  process.stdout.write(
    values.env
      ? envLines(emulator)
      : JSON.stringify({
          url: emulator.origin,
          size: values.size,
          faults: emulator.faults,
          sandbox: emulator.sandbox(),
        }) + '\n',
  );
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** `export WORKSPACE_ACCESS_<PLATFORM>_KEY=…` and `_URL=…` for each sandbox connection (sandbox keys: not secrets). */
function envLines(emulator: Emulator): string {
  const lines = [
    `# The sandbox at ${emulator.origin}, for the command line. Paste these lines into another shell, then e.g.:`,
    '#   npx workspace-access export sandbox.workspace-access.yaml',
  ];
  for (const c of emulator.sandbox()) {
    const name = c.platform.toUpperCase();
    lines.push(`# ${PLATFORMS[c.platform].label}: ${c.label}`);
    lines.push(`export WORKSPACE_ACCESS_${name}_KEY=${c.key}`);
    lines.push(`export WORKSPACE_ACCESS_${name}_URL=${c.baseUrl}`);
  }
  return `${lines.join('\n')}\n`;
}

main().catch((err: unknown) => {
  process.stderr.write(`emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
