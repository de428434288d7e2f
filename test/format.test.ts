// The sources keep to 120 columns (the formatter's width, .prettierrc.json). Prettier itself runs in the test
// command (scripts/test.sh); this test also covers what it leaves alone: long strings and comments, TLA+, C,
// shell. Generated files (`npm run gen`) are not read.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const GENERATED = /^(spec\/[^/]+\.cfg|spec\/TinyGeometries\.tla|docs\/figures\/.*)$/;

it('no source line is longer than 120 characters', () => {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => /\.(ts|js|tla|cfg|c|h|sh)$/.test(f) && !GENERATED.test(f) && !f.startsWith('node_modules/'));
  const long = files.flatMap((f) =>
    readFileSync(join(ROOT, f), 'utf8')
      .split('\n')
      .flatMap((line, i) => ([...line].length > 120 ? [`${f}:${i + 1} (${[...line].length})`] : [])),
  );
  expect(long).toEqual([]);
});
