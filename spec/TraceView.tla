----------------------------- MODULE TraceView -----------------------------
(***************************************************************************)
(* What TLC prints for each state of a counterexample (cfg ALIAS           *)
(* TraceView): the variables plus the values a reader needs to see what    *)
(* went wrong in kernel terms, computed only for printed states.           *)
(*   vmas       the layout as VMA ranges [start, end, kind] (pages)        *)
(*   order      the driver's get_mapping_order(pgoff, len)                 *)
(*   hintFree   the hint range is free and below the next guard gap        *)
(*   leaves     the leaves a sequential touch installs at the policy's VA  *)
(*   baseLeaves the same at baseline's VA                                  *)
(*   bestOrder  O_best of MaxLeafCoverage, bestLeaves its ideal leaves,    *)
(*   room       MaxLeafCoverage's room condition                           *)
(* cli/check.ts reads these fields to explain a violation.                 *)
(***************************************************************************)
EXTENDS Invariants

\* maximal runs of pages of one kind, as VMA ranges
VmaRuns(L) ==
    {[start |-> s, end |-> VmaEnd(L, s), kind |-> L[s]] :
        s \in {p \in Pages : L[p] # "free" /\ (p = 0 \/ L[p - 1] # L[p])}}

LeavesAt(va, r) ==
    IF r.op = "mmap" /\ ~IsErr(va) THEN Leaves(va, r.len, Pfn0(r), PfnmapOrders) ELSE {}

TraceView ==
    [layout |-> layout, req |-> req, ans |-> ans, calls |-> calls,
     vmas |-> VmaRuns(layout),
     order |-> IF req.op = "mmap" THEN getMappingOrder(req) ELSE 0,
     hintFree |-> req.op = "mmap" /\ req.addr # 0 /\ FitsBelowNext(layout, Req_.addr, req.len),
     leaves |-> LeavesAt(Ans_.va, req),
     baseLeaves |-> LeavesAt(Base_.va, req),
     bestOrder |-> IF req.op = "mmap" THEN BestPfnmapOrder(req) ELSE 0,
     bestLeaves |-> IF req.op = "mmap" /\ BestPfnmapOrder(req) >= 1
                    THEN Leaves(req.pgoff, req.len, Pfn0(req), {k \in PfnmapOrders : k <= BestPfnmapOrder(req)})
                    ELSE {},
     room |-> /\ req.op = "mmap"
              /\ BestPfnmapOrder(req) >= 1
              /\ Room(layout, req, req.len + Pow2(BestPfnmapOrder(req)) - 1)]
=============================================================================
