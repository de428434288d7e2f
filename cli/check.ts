// `mapping-order check`: the main job. Runs every check stage, prints each stage's report and time, and exits
// 0 only if every verdict matched its expectation. The stages live in check/pipeline.ts; this file parses the
// arguments and prints.
//
//   mapping-order check [--json] [--only NAME] [--workers N] [--tlc-timeout S] [--no-counterexamples] [--record]
//
//   --only NAME   run one TLC configuration of spec/verdicts.json (CI or manual, e.g. MCV2_bug_NoOffSub)
//   --workers N   cores to use (default 2): TLC processes at once (one worker each), the TLC workers of each
//                 model -> spec table check, the exhaustive checker's threads
//   --tlc-timeout S  kill a TLC run after S seconds, reported as a tool error (default 3600)
//   --no-counterexamples  do not re-run TLC to decode counterexamples (faster; the matrix is unchanged)
//   --record      write the measured state counts and times back into spec/verdicts.json
//   --json        the same report as JSON on stdout (numbers as strings)
//
// Exit codes (io/errors.ts): 0 all verdicts matched; 1 a verdict differed; 2 bad arguments; 3 java or
// the TLC jar missing; 4 TLC failed or printed something we cannot read.

import { EXIT, exitCodeFor, InputError, MissingToolError, ToolError } from '../io/errors.js';
import { loadManifest } from '../check/manifest.js';
import { checkJson, checkText, runCheck } from '../check/pipeline.js';
import { DEFAULT_CHECK_OPTIONS, type CheckOptions } from '../check/stage.js';

export function parseCheckArgs(argv: readonly string[]): CheckOptions {
  const o: CheckOptions = { ...DEFAULT_CHECK_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    switch (a) {
      case '--json':
        o.json = true;
        break;
      case '--no-counterexamples':
        o.counterexamples = false;
        break;
      case '--record':
        o.record = true;
        break;
      case '--only': {
        const v = argv[++i];
        if (v === undefined || v.startsWith('--')) throw new InputError('--only', 'needs a configuration name');
        o.only = v.replace(/\.cfg$/, '');
        break;
      }
      case '--tlc-timeout': {
        const v = argv[++i];
        if (v === undefined || !/^[1-9][0-9]{0,6}$/.test(v)) {
          throw new InputError('--tlc-timeout', 'must be a number of seconds from 1 to 9999999');
        }
        o.tlcTimeoutSeconds = Number(v);
        break;
      }
      case '--workers': {
        const v = argv[++i];
        if (v === undefined || !/^[1-9][0-9]*$/.test(v) || Number(v) > 64) {
          throw new InputError('--workers', 'must be an integer from 1 to 64');
        }
        o.workers = Number(v);
        break;
      }
      default:
        throw new InputError(
          a.startsWith('-') ? a : 'arguments',
          `unknown option '${a}' (--json, --only NAME, --workers N, --tlc-timeout S, --no-counterexamples, --record)`,
        );
    }
  }
  if (o.only !== undefined) {
    const names = loadManifest().configs.map((c) => c.name);
    if (!names.includes(o.only)) {
      throw new InputError(
        '--only',
        `unknown configuration '${o.only}' (see spec/verdicts.json; e.g. ${names.slice(0, 3).join(', ')})`,
      );
    }
  }
  return o;
}

export async function run(argv: string[]): Promise<number> {
  let o: CheckOptions;
  try {
    o = parseCheckArgs(argv);
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`mapping-order: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
  // One progress line per configuration: rewritten in place on a terminal; otherwise each update (TLC
  // reports about once a minute) is its own line.
  const tty = process.stderr.isTTY === true;
  const progress = (line: string, final: boolean): void => {
    if (tty) process.stderr.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else process.stderr.write(`${line}\n`);
  };
  let r;
  try {
    r = await runCheck(o, progress);
  } catch (e) {
    // With --json the answer is JSON whatever happens: a missing tool or unreadable TLC output too.
    if (!o.json || !(e instanceof MissingToolError || e instanceof ToolError)) throw e;
    const exitCode = exitCodeFor(e);
    process.stdout.write(JSON.stringify({ ok: false, exitCode: String(exitCode), error: e.message }, null, 2) + '\n');
    return exitCode;
  }
  process.stdout.write(o.json ? JSON.stringify(checkJson(r), null, 2) + '\n' : checkText(r));
  return r.exitCode;
}
