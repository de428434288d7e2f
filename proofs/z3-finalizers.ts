// Z3 contexts are not thread-safe, and z3-solver 5.2.0 breaks that rule on its own.
//
// Its high-level API frees every Z3 object from a FinalizationRegistry callback:
// `Z3.dec_ref(ctx, ast)` runs on the main thread whenever V8 collects a wrapper. But
// `solver.check()` runs on an Emscripten worker thread, and while JS awaits it the event
// loop is idle, so a collection can run those callbacks in the middle of the check, on the
// same ast_manager. CI saw the result: "memory access out of bounds" in dec_ref, then an
// abort asking for 2.17 GB. Forcing a collection every 25 ms during the proofs reproduces it
// in two lemmas (test/proofs/z3-finalizers.test.ts).
//
// The remedy: hand z3-solver a FinalizationRegistry whose callbacks wait while a check is in
// flight, and run them once no native call is running. Nothing is freed later than the next
// check's end; nothing is freed while Z3 works.

let busy = 0;
let pending: (() => void)[] = [];

/** `callback`, made to wait while a native call runs: it runs now if Z3 is idle, else after the call. */
export function deferringCallback<T>(callback: (held: T) => void): (held: T) => void {
  return (held) => {
    if (busy > 0) pending.push(() => callback(held));
    else callback(held);
  };
}

function flush(): void {
  const due = pending;
  pending = [];
  for (const run of due) run();
}

/** A FinalizationRegistry whose callbacks never overlap a native call made through `whileZ3Runs`. */
export class DeferringRegistry<T> extends FinalizationRegistry<T> {
  constructor(callback: (held: T) => void) {
    super(deferringCallback(callback));
  }
}

/**
 * Calls `start` (z3-solver's `init`) with DeferringRegistry in place of the global
 * FinalizationRegistry: z3-solver builds its registry inside init, and only that registry
 * needs the deferral. The global is restored when init settles.
 */
export async function initDeferringFinalizers<T>(start: () => Promise<T>): Promise<T> {
  const original = globalThis.FinalizationRegistry;
  globalThis.FinalizationRegistry = DeferringRegistry;
  try {
    return await start();
  } finally {
    globalThis.FinalizationRegistry = original;
  }
}

/** Awaits a native call that runs on a Z3 worker thread, holding back finalizers until it ends. */
export async function whileZ3Runs<T>(call: () => Promise<T>): Promise<T> {
  busy += 1;
  try {
    return await call();
  } finally {
    busy -= 1;
    if (busy === 0) flush();
  }
}

/** Finalizer callbacks waiting for the running check (a figure for tests). */
export function deferredFinalizers(): number {
  return pending.length;
}
