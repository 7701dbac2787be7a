#!/usr/bin/env node
/**
 * Compiles the server programs (apps/api, apps/worker, apps/cli) and the libraries they use
 * into dist/ with swc. Type-checking is done separately by `npm run typecheck` (part of
 * `npm test`); this build only transpiles, so it takes seconds and `npm start` stays quick.
 * Path aliases (`@app/platform` …) from tsconfig.json are rewritten to relative requires.
 * Files the programs read at run time beside their modules (the Redis scripts, `*.lua`) are
 * copied to the same place under dist/. `--with-testing` also compiles libs/testing, which the
 * benchmarks use (`npm run bench`); a production build leaves it out.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'dist');
const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));

// bench/ is compiled too, so `npm run bench` runs the same production build it measures.
const sourceRoots = ['apps/api/src', 'apps/worker/src', 'apps/cli/src', 'libs', 'bench'];
const skip = /\.(spec|e2e-spec|test)\.ts$/;
const assets = /\.lua$/;

const withTesting = process.argv.includes('--with-testing');

/** The files under `dir` whose names pass `wanted`, outside node_modules (and libs/testing unless asked). */
function listFiles(dir, wanted) {
  const found = [];
  if (!fs.existsSync(dir)) return found;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      // libs/testing is test-only and never part of a production build.
      if (entry.name === 'node_modules' || (!withTesting && full === path.join(root, 'libs', 'testing'))) continue;
      found.push(...listFiles(full, wanted));
    } else if (wanted(entry.name)) {
      found.push(full);
    }
  }
  return found;
}

async function main() {
  const started = Date.now();
  const isSource = (name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && !skip.test(name);
  const files = sourceRoots.flatMap((dir) => listFiles(path.join(root, dir), isSource));
  const copies = sourceRoots.flatMap((dir) => listFiles(path.join(root, dir), (name) => assets.test(name)));
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const file of copies) {
    const target = path.join(outDir, path.relative(root, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }
  await Promise.all(
    files.map(async (file) => {
      const output = await swc.transformFile(file, {
        sourceMaps: true,
        swcrc: false,
        module: { type: 'commonjs' },
        jsc: {
          target: 'es2022',
          keepClassNames: true,
          baseUrl: root,
          paths: tsconfig.compilerOptions.paths,
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        },
      });
      const target = path.join(outDir, path.relative(root, file)).replace(/\.ts$/, '.js');
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, `${output.code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
      if (output.map) fs.writeFileSync(`${target}.map`, output.map);
    }),
  );
  console.log(`build: ${files.length} files compiled and ${copies.length} copied into dist/ in ${Date.now() - started} ms`);
}

main().catch((error) => {
  console.error('build failed:', error);
  process.exit(1);
});
