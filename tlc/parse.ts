// Reads the output of `tlc2.TLC -tool` (TLC 2.18): messages framed as
//   @!@!@STARTMSG <code>:<class> @!@!@
//   <body lines>
//   @!@!@ENDMSG <code> @!@!@
// with codes from tlc2.output.EC and classes from tlc2.output.MP (0 none, 1 error, 2 TLC bug, 3 warning,
// 4 state). Text outside the frames is SANY's parse log ("Parsing file ...") and its error report.
// Whatever does not fit this shape is reported in `problems`: the caller must then not call the run a pass.

import { parseTlaValue, TlaValueSyntaxError } from './value-parse.js';
import type { TlaValue } from './value.js';

/** The message codes we read (tlc2.output.EC, TLC 2.18). */
export const EC = {
  GENERAL: 1000,
  TLC_INVARIANT_VIOLATED_INITIAL: 2107,
  TLC_PROPERTY_VIOLATED_INITIAL: 2108,
  TLC_INVARIANT_VIOLATED_BEHAVIOR: 2110,
  TLC_INVARIANT_EVALUATION_FAILED: 2111,
  TLC_DEADLOCK_REACHED: 2114,
  TLC_TEMPORAL_PROPERTY_VIOLATED: 2116,
  TLC_BEHAVIOR_UP_TO_THIS_POINT: 2121,
  TLC_BACK_TO_STATE: 2122,
  TLC_STARTING: 2185,
  TLC_FINISHED: 2186,
  TLC_MODE_MC: 2187,
  TLC_COMPUTING_INIT: 2189,
  TLC_INIT_GENERATED1: 2190,
  TLC_CHECKING_TEMPORAL_PROPS: 2192,
  TLC_SUCCESS: 2193,
  TLC_SEARCH_DEPTH: 2194,
  TLC_STATS: 2199,
  TLC_PROGRESS_STATS: 2200,
  TLC_STATE_PRINT2: 2217,
  TLC_STATE_PRINT3: 2218,
  TLC_SANY_END: 2219,
  TLC_SANY_START: 2220,
  TLC_VERSION: 2262,
  TLC_COUNTER_EXAMPLE: 2264,
  TLC_CHECKING_TEMPORAL_PROPS_END: 2267,
  TLC_STATE_GRAPH_OUTDEGREE: 2268,
  TLC_COMPUTING_INIT_PROGRESS: 2269,
} as const;

/** tlc2.output.MP message classes. */
export const MSG_CLASS = { none: 0, error: 1, tlcBug: 2, warning: 3, state: 4 } as const;

export interface TlcMessage {
  code: number;
  cls: number;
  body: string;
}

export interface TlcProgress {
  distinct: number;
  generated: number;
  left: number;
}

export interface TlcTraceState {
  /** TLC's 1-based state number in the behaviour. */
  index: number;
  /** The action that led here (`Next`, `Inc`), or null for the initial state. */
  action: string | null;
  vars: Record<string, TlaValue>;
}

/** How a liveness counter-example closes: stuttering forever, or a loop back to state `index`. */
export type TlcLasso = { kind: 'stuttering' } | { kind: 'back-to'; index: number };

export interface ParsedTlcOutput {
  version: string | null;
  messages: TlcMessage[];
  /** Lines outside any message frame (SANY's log, its error report, JVM crash text). */
  loose: string[];
  /** TLC_SUCCESS was printed: "Model checking completed. No error has been found." */
  success: boolean;
  finished: boolean;
  /** The final TLC_STATS, else the last progress line, else the initial-state count. */
  stats: TlcProgress | null;
  depth: number | null;
  /** Name of the violated invariant (2107 / 2110) or of the one whose evaluation failed (2111). */
  invariant: string | null;
  deadlock: boolean;
  temporalViolated: boolean;
  trace: TlcTraceState[];
  lasso: TlcLasso | null;
  /** TLC's error and bug messages (class 1 and 2) other than the verdict and trace headers. */
  errors: string[];
  /** The loose lines other than SANY's log, joined: SANY's error report, a JVM crash, or the spec's Print
   *  output; null when there are none. */
  otherOutput: string | null;
  /** Class-0 messages we have no rule for: routine in a clean run (checkpoints, liveness set-up), the
   *  explanation in a failed one (2179 "The second argument of \div is 0." comes with class 0). */
  notes: string[];
  warnings: string[];
  /** The output did not have the shape we know: any entry here means the run cannot be believed. */
  problems: string[];
}

const START = /^@!@!@STARTMSG (\d+):(\d+) @!@!@$/;
const END = /^@!@!@ENDMSG (\d+) @!@!@$/;

/**
 * Splits raw `-tool` output into message frames and loose lines; framing errors go to `problems`. Frames
 * nest (2111 "Evaluating invariant X failed." encloses the 2179 that says why): an inner message becomes a
 * message of its own, listed after the one that encloses it (messages are in the order they started).
 */
export function splitMessages(raw: string): { messages: TlcMessage[]; loose: string[]; problems: string[] } {
  const done: Array<TlcMessage & { order: number }> = [];
  const loose: string[] = [];
  const problems: string[] = [];
  const open: Array<{ code: number; cls: number; lines: string[]; order: number }> = [];
  let started = 0;
  for (const line of raw.split(/\r?\n/)) {
    const s = START.exec(line);
    if (s) {
      open.push({ code: Number(s[1]), cls: Number(s[2]), lines: [], order: started++ });
      continue;
    }
    const e = END.exec(line);
    if (e) {
      const top = open.pop();
      if (!top) problems.push(`ENDMSG ${e[1]} without STARTMSG`);
      else if (Number(e[1]) !== top.code) problems.push(`ENDMSG ${e[1]} closes message ${top.code}`);
      else done.push({ code: top.code, cls: top.cls, body: top.lines.join('\n'), order: top.order });
      continue;
    }
    const top = open[open.length - 1];
    if (top) top.lines.push(line);
    else loose.push(line);
  }
  for (const m of open) problems.push(`message ${m.code} not closed at end of output`);
  const messages = done.sort((a, b) => a.order - b.order).map(({ code, cls, body }) => ({ code, cls, body }));
  return { messages, loose, problems };
}

function num(s: string): number {
  return Number(s.replace(/,/g, ''));
}

// "Progress(6) at 2026-11-25 19:00:24: 7 states generated (1,047 s/min), 6 distinct states found (897 ds/min),
// 0 states left on queue." The rates are absent in the first lines of a run.
const COUNT = String.raw`([\d,]+)`;
const RATE = String.raw`(?: \([^)]*\))?`;
const PROGRESS = new RegExp(
  `${COUNT} states generated${RATE}, ${COUNT} distinct states found${RATE}, ${COUNT} states left on queue`,
);

/** The counts in a TLC_PROGRESS_STATS or TLC_STATS body, or null if it does not read as one. */
export function parseProgress(body: string): TlcProgress | null {
  const m = PROGRESS.exec(body);
  if (!m) return null;
  return { generated: num(m[1] as string), distinct: num(m[2] as string), left: num(m[3] as string) };
}

/**
 * The `/\ x = 1` lines of a printed state (TLCStateMut.toString). A state with a single variable is printed
 * without the `/\ `; wide values continue on indented lines.
 */
export function parseStateVars(text: string): Record<string, TlaValue> {
  const vars: Record<string, TlaValue> = {};
  const lines = text.split('\n');
  const chunks: Array<{ name: string; src: string[] }> = [];
  for (const line of lines) {
    const m = /^(?:\/\\ )?([A-Za-z_][A-Za-z0-9_]*) = (.*)$/.exec(line);
    // A new variable starts at column 0; a continuation is indented (TLC's pretty printer indents).
    if (m && !/^\s/.test(line) && (line.startsWith('/\\ ') || chunks.length === 0)) {
      chunks.push({ name: m[1] as string, src: [m[2] as string] });
    } else if (line.trim() === '') {
      continue;
    } else {
      const last = chunks[chunks.length - 1];
      if (!last) throw new TlaValueSyntaxError(`state text does not start with a variable: ${JSON.stringify(line)}`);
      last.src.push(line);
    }
  }
  if (chunks.length === 0) throw new TlaValueSyntaxError(`state with no variables: ${JSON.stringify(text)}`);
  for (const c of chunks) {
    if (Object.hasOwn(vars, c.name)) throw new TlaValueSyntaxError(`variable ${c.name} twice in one state`);
    Object.defineProperty(vars, c.name, {
      value: parseTlaValue(c.src.join('\n')),
      enumerable: true,
      writable: false,
      configurable: false,
    });
  }
  return vars;
}

/** "2: <Inc line 6, col 8 to line 6, col 84 of module Counter>" -> index 2, action "Inc". */
function parseStateHeader(line: string): { index: number; action: string | null } {
  const m = /^(\d+): <(.*)>$/.exec(line.trim());
  if (!m) throw new TlaValueSyntaxError(`state header not understood: ${JSON.stringify(line)}`);
  const label = m[2] as string;
  if (label === 'Initial predicate') return { index: Number(m[1]), action: null };
  const a = /^(.*?) line \d+, col \d+ to line \d+, col \d+ of module \S+$/.exec(label);
  return { index: Number(m[1]), action: a ? (a[1] as string) : label };
}

const TRACE_HEADERS: ReadonlySet<number> = new Set([
  EC.TLC_BEHAVIOR_UP_TO_THIS_POINT,
  EC.TLC_COUNTER_EXAMPLE,
  EC.TLC_BACK_TO_STATE,
  EC.TLC_INVARIANT_VIOLATED_INITIAL,
  EC.TLC_INVARIANT_VIOLATED_BEHAVIOR,
  EC.TLC_DEADLOCK_REACHED,
  EC.TLC_TEMPORAL_PROPERTY_VIOLATED,
]);

/** Class-0 messages that are routine progress chatter, not part of an error report. */
const ROUTINE: ReadonlySet<number> = new Set([
  EC.TLC_VERSION,
  EC.TLC_MODE_MC,
  EC.TLC_SANY_START,
  EC.TLC_SANY_END,
  EC.TLC_STARTING,
  EC.TLC_FINISHED,
  EC.TLC_COMPUTING_INIT,
  EC.TLC_COMPUTING_INIT_PROGRESS,
  EC.TLC_INIT_GENERATED1,
  EC.TLC_CHECKING_TEMPORAL_PROPS,
  EC.TLC_CHECKING_TEMPORAL_PROPS_END,
  EC.TLC_SUCCESS,
  EC.TLC_SEARCH_DEPTH,
  EC.TLC_STATS,
  EC.TLC_PROGRESS_STATS,
  EC.TLC_STATE_GRAPH_OUTDEGREE,
]);

// SANY's own log lines, printed outside message frames.
const SANY_LOG = /^(Parsing file |Semantic processing of module |Linting of module |\s*$)/;

/** Interprets a whole `-tool` run. Never throws: what it cannot read lands in `problems`. */
export function parseTlcOutput(raw: string): ParsedTlcOutput {
  const { messages, loose, problems } = splitMessages(raw);
  const out: ParsedTlcOutput = {
    version: null,
    messages,
    loose,
    success: false,
    finished: false,
    stats: null,
    depth: null,
    invariant: null,
    deadlock: false,
    temporalViolated: false,
    trace: [],
    lasso: null,
    errors: [],
    otherOutput: null,
    notes: [],
    warnings: [],
    problems,
  };
  let progress: TlcProgress | null = null;
  let initCount: number | null = null;
  const sanyErrors = loose.filter((l) => !SANY_LOG.test(l));
  for (const msg of messages) {
    const body = msg.body.trim();
    try {
      switch (msg.code) {
        case EC.TLC_VERSION: {
          const m = /^TLC2 Version (\S+)/.exec(body);
          if (!m) problems.push(`version message not understood: ${JSON.stringify(body)}`);
          else out.version = m[1] as string;
          break;
        }
        case EC.TLC_FINISHED:
          out.finished = true;
          break;
        case EC.TLC_SUCCESS:
          out.success = true;
          break;
        case EC.TLC_INIT_GENERATED1: {
          const m = /^Finished computing initial states: ([\d,]+) distinct states? generated/.exec(body);
          if (m) initCount = num(m[1] as string);
          else problems.push(`initial-states message not understood: ${JSON.stringify(body)}`);
          break;
        }
        case EC.TLC_PROGRESS_STATS:
        case EC.TLC_STATS: {
          const p = parseProgress(body);
          if (!p) problems.push(`statistics not understood: ${JSON.stringify(body)}`);
          else if (msg.code === EC.TLC_STATS) out.stats = p;
          else progress = p;
          break;
        }
        case EC.TLC_SEARCH_DEPTH: {
          const m = /^The depth of the complete state graph search is ([\d,]+)\./.exec(body);
          if (m) out.depth = num(m[1] as string);
          else problems.push(`depth message not understood: ${JSON.stringify(body)}`);
          break;
        }
        case EC.TLC_INVARIANT_VIOLATED_INITIAL: {
          // The body carries the offending initial state itself.
          const m = /^Invariant (\S+) is violated by the initial state:\n([\s\S]*)$/.exec(body);
          if (!m) {
            problems.push(`initial invariant violation not understood: ${JSON.stringify(body)}`);
            break;
          }
          out.invariant = m[1] as string;
          out.trace.push({ index: 1, action: null, vars: parseStateVars(m[2] as string) });
          break;
        }
        case EC.TLC_INVARIANT_VIOLATED_BEHAVIOR: {
          const m = /^Invariant (\S+) is violated\.$/.exec(body);
          if (m) out.invariant = m[1] as string;
          else problems.push(`invariant violation not understood: ${JSON.stringify(body)}`);
          break;
        }
        case EC.TLC_INVARIANT_EVALUATION_FAILED: {
          const m = /^Evaluating invariant (\S+) failed\./.exec(body);
          if (m) out.invariant = m[1] as string;
          out.errors.push(body);
          break;
        }
        case EC.TLC_DEADLOCK_REACHED:
          out.deadlock = true;
          break;
        case EC.TLC_TEMPORAL_PROPERTY_VIOLATED:
          out.temporalViolated = true;
          break;
        case EC.TLC_STATE_PRINT2: {
          const nl = body.indexOf('\n');
          const head = parseStateHeader(nl < 0 ? body : body.slice(0, nl));
          out.trace.push({ ...head, vars: parseStateVars(nl < 0 ? '' : body.slice(nl + 1)) });
          break;
        }
        case EC.TLC_STATE_PRINT3:
          if (!/^\d+: Stuttering$/.test(body)) problems.push(`stuttering line not understood: ${JSON.stringify(body)}`);
          else out.lasso = { kind: 'stuttering' };
          break;
        case EC.TLC_BACK_TO_STATE: {
          const m = /^(\d+): Back to state/.exec(body);
          if (m) out.lasso = { kind: 'back-to', index: Number(m[1]) };
          else problems.push(`back-to-state line not understood: ${JSON.stringify(body)}`);
          break;
        }
        default:
          if (TRACE_HEADERS.has(msg.code) || ROUTINE.has(msg.code)) break;
          if (msg.cls === MSG_CLASS.warning) out.warnings.push(body);
          else if (msg.cls === MSG_CLASS.none) out.notes.push(body);
          // Errors, TLC bugs and classes we do not know.
          else out.errors.push(body === '' ? `TLC message ${msg.code}` : body);
      }
    } catch (e) {
      if (e instanceof TlaValueSyntaxError) problems.push(`trace state not understood: ${e.message}`);
      else throw e;
    }
  }
  if (sanyErrors.join('').trim() !== '') out.otherOutput = sanyErrors.join('\n').trim();
  out.stats ??= progress ?? (initCount === null ? null : { generated: initCount, distinct: initCount, left: 0 });
  return out;
}
