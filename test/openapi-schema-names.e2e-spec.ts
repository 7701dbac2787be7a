/**
 * Proves every DTO class name is unique across the libraries: OpenAPI keys schemas by class
 * name, so two DTOs sharing a name would silently document one route with the other's schema.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') && !full.endsWith('.spec.ts') ? [full] : [];
  });
}

describe('OpenAPI schema names', () => {
  it('finds no two exported classes with the same name in apps and libs', () => {
    const seen = new Map<string, string[]>();
    for (const file of [...sourceFiles(join(__dirname, '..', 'libs')), ...sourceFiles(join(__dirname, '..', 'apps', 'api'))]) {
      for (const match of readFileSync(file, 'utf8').matchAll(/^export class (\w+)/gm)) {
        seen.set(match[1], [...(seen.get(match[1]) ?? []), file]);
      }
    }
    const duplicates = [...seen].filter(([, files]) => files.length > 1).map(([name, files]) => `${name}: ${files.join(', ')}`);
    expect(seen.size).toBeGreaterThan(20);
    expect(duplicates).toEqual([]);
  });
});
