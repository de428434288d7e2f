// Installs the pinned TLC jar into .cache/tla2tools/ (or at $TLA2TOOLS_JAR): see tlc/install.ts.
// Usage: node --import tsx scripts/install-tlc.ts
// Exit 0 when the jar is in place; 3 when java or mvn is missing; 4 when mvn fails or the hash is wrong.

import { exitCodeFor } from '../io/errors.js';
import { installTlc } from '../tlc/install.js';

try {
  installTlc(process.env, (line) => console.log(`install-tlc: ${line}`));
} catch (e) {
  console.error(`install-tlc: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = exitCodeFor(e);
}
