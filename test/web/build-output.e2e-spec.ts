/** Proves that building the web pages prints no warning (Vite's config loading included), so a warning in a build is news. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

describe('web build', () => {
  it('prints no warning', async () => {
    // Into a directory of its own: other tests serve apps/web/dist meanwhile.
    const outDir = mkdtempSync(join(tmpdir(), 'eldercare-web-build-'));
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', join(ROOT, 'apps/web/vite.config.mts'), '--outDir', outDir, '--emptyOutDir'],
        { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } },
      );
      const output = `${stdout}\n${stderr}`;
      expect(output).toContain('built in');
      expect(output.split('\n').filter((line) => /warn|\(!\)|deprecat/i.test(line))).toEqual([]);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
