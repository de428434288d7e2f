// Why the tests that run TLC cannot run here (java or the TLC jar missing), or null; the reason is
// printed as "skipped: ..." so a skipped test never passes silently.

import { findJava, findTlaJar } from '../../tlc/jar.js';

export function tlcMissing(): string | null {
  let why: string | null = null;
  try {
    findJava();
  } catch {
    why = 'java missing, run scripts/setup.sh';
  }
  if (why === null) {
    try {
      findTlaJar();
    } catch {
      why = 'TLC jar missing, run scripts/setup.sh';
    }
  }
  if (why !== null) console.log(`skipped: ${why}`);
  return why;
}
