// Builds the extension bundle, and (with --tests) the plain-JS tree that tests, the emulator
// and benchmarks run from. Usage:
//   node esbuild.js                 development bundle with source maps
//   node esbuild.js --production    minified bundle for packaging, no source maps, and
//                                   dist/README.md (the README the VSIX shows, images inlined)
//   node esbuild.js --watch         development bundle, rebuilt on change
//   node esbuild.js --tests         also transpile src/ and test/ to out/ (one file per module)
// Each also builds dist/cli.js, the command line (package.json `bin`).
const esbuild = require('esbuild');
const { chmodSync, readdirSync, readFileSync, statSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

/**
 * The YAML libraries are files of their own (dist/yaml.js writes access files, dist/js-yaml.js reads
 * them), required by the access file's code the first time a file or command needs them: activation
 * never loads them, and the main bundle stays lean. In the unbundled test tree they resolve from
 * node_modules as usual.
 */
const APART = { yaml: 'yaml.js', 'js-yaml': 'js-yaml.js' };
const apart = {
  name: 'libraries-apart',
  setup(build) {
    build.onResolve({ filter: /^(yaml|js-yaml)$/ }, (args) => ({ path: `./${APART[args.path]}`, external: true }));
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const apartBundles = Object.entries(APART).map(([pkg, file]) => ({
  entryPoints: [pkg],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: `dist/${file}`,
  minify: production,
  sourcemap: false,
  logLevel: 'warning',
}));

/**
 * The access review's editor features are a bundle of their own too (dist/review.js), loaded by
 * src/vscode/review/setup.ts the first time a review file or command needs them. In the main bundle
 * its `import('./features')` stays a require of `./review.js`; in the test tree it resolves as usual.
 */
const reviewApart = {
  name: 'review-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/features$/ }, (args) =>
      args.importer.replace(/\\/g, '/').endsWith('src/vscode/review/setup.ts')
        ? { path: './review.js', external: true }
        : undefined,
    );
  },
};

/**
 * What the review bundle must not hold a copy of: code whose errors or state are told apart by class
 * (the HTTP client, the providers, the editor's sessions, store and jobs). It gets those from the
 * main bundle (ReviewKit, and the deps it is given); a second copy would fail `instanceof` checks.
 */
const FORBIDDEN_IN_REVIEW = /[\\/]src[\\/](core[\\/]http|providers|vscode[\\/](?!review[\\/]|documents\.ts$))/;
const reviewGuard = {
  name: 'review-guard',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (FORBIDDEN_IN_REVIEW.test(args.path))
        return {
          errors: [
            {
              text: `dist/review.js must not bundle ${args.path}: take it from the main bundle (ReviewKit or the deps the features are given).`,
            },
          ],
        };
      return undefined;
    });
  },
};

/** @type {import('esbuild').BuildOptions} */
const review = {
  entryPoints: ['src/vscode/review/features.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/review.js',
  external: ['vscode'],
  plugins: [apart, reviewGuard],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
};

/** @type {import('esbuild').BuildOptions} */
const extension = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/extension.js',
  external: ['vscode'],
  plugins: [apart, reviewApart],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
};

/**
 * The command line (`workspace-access`, package.json `bin`): a second bundle from the same core and
 * providers, for CI runners. It holds its YAML libraries (no VS Code, no lazy loading to serve) and
 * is not in the VSIX (.vscodeignore).
 */
/** @type {import('esbuild').BuildOptions} */
const cli = {
  entryPoints: ['src/cli.ts'],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node' },
  minify: production,
  sourcemap: false,
  logLevel: 'warning',
};

function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * The README as the Extensions view shows it on the Details page. That page loads images only from
 * https: and data: (its content security policy), and this extension has no public repository to
 * point at, so each local image is inlined as a data: URI. The repository's README keeps its
 * relative links.
 */
function packagedReadme() {
  const types = { png: 'image/png', svg: 'image/svg+xml' };
  const text = readFileSync('README.md', 'utf8').replace(
    /!\[([^\]]*)\]\((media\/[\w.-]+\.(png|svg))\)/g,
    (_, alt, path, ext) => `![${alt}](data:${types[ext]};base64,${readFileSync(path).toString('base64')})`,
  );
  writeFileSync('dist/README.md', text);
}

async function main() {
  if (watch) {
    await Promise.all([cli, review, ...apartBundles].map((b) => esbuild.build(b)));
    const ctx = await esbuild.context(extension);
    await ctx.watch();
    return;
  }
  rmSync('dist', { recursive: true, force: true });
  const [result] = await Promise.all([
    esbuild.build(extension),
    esbuild.build(cli),
    esbuild.build(review),
    ...apartBundles.map((b) => esbuild.build(b)),
  ]);
  chmodSync('dist/cli.js', 0o755);
  const bytes = Object.values(result.metafile?.outputs ?? {}).reduce((n, o) => n + o.bytes, 0);
  console.log(`dist/extension.js ${(bytes / 1024).toFixed(0)} KB${production ? ' (production)' : ''}`);
  if (production) packagedReadme();
  if (tests) {
    rmSync('out', { recursive: true, force: true });
    await esbuild.build({
      entryPoints: [...tsFiles('src'), ...tsFiles('test')],
      outbase: '.',
      outdir: 'out',
      bundle: false,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      logLevel: 'warning',
    });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
