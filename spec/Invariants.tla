----------------------------- MODULE Invariants -----------------------------
(***************************************************************************)
(* The invariants of docs/SEMANTICS.md §5, under the same names as the     *)
(* model, the Z3 lemmas and the docs.  Each is a state predicate over the  *)
(* last call (req), the layout it was placed in (layout) and the answers   *)
(* of the checked Policy (Ans_) and of baseline (Base_).                   *)
(*                                                                         *)
(* Readings that the contract leaves open, fixed here (and in the verdict  *)
(* matrix spec/verdicts.json):                                             *)
(*  - S is the alignment the policy CHOSE: order >= 0 in the answer        *)
(*    (v2: the sanitised driver order; jason: O2 >= 1; optimal: O >= 1);   *)
(*    baseline never chooses one.                                          *)
(*  - HintKept: every policy here says a free hint is honoured (v2 and     *)
(*    jason skip the hook for a hint, optimal tries it first), so it reads *)
(*    "a free hint is the answer"; free = the kernel's hint test with the  *)
(*    kernel's guard gaps.                                                 *)
(*  - NoOverlap: the start_gap part applies to requests carrying           *)
(*    VM_SHADOW_STACK (sg = 1), which have no hint (see MappingOrder).     *)
(*  - OrderClamped: for every order the policy chose (also one the chunk  *)
(*    test then refused: path "plain"), S = PS << o with o a leaf order,   *)
(*    o <= O_drv and o <= floor_log2(len) (orders compared, so O_drv may   *)
(*    be huge or negative without overflow); o = 0 counts: v2 pads by a    *)
(*    page for a negative O_drv. The TypeScript predicate reads it the     *)
(*    same way.                                                            *)
(*  - DriverObligation: "where large leaves are expected" = where the      *)
(*    policy's aligned placement succeeded with S > PS: there off = PA     *)
(*    (mod S) must hold, i.e. the BAR's first PFN is S-aligned.            *)
(*  - MaxLeafCoverage: for a placement the policy made itself (not         *)
(*    MAP_FIXED, not a kept hint) of a driver that keeps its obligation,   *)
(*    when the layout has room (one free range of len + S_best - 1 pages plus *)
(*    the start gap, inside the allocator's search windows, S_best = the best  *)
(*    order below), the leaves of a sequential touch cover, for every      *)
(*    PFN-map order k <= O_best, at least as many pages with leaves of order   *)
(*    >= k as the ideal placement VA = off (mod S_best) does with the orders   *)
(*    the driver vouches for (<= O_best).  O_best = the largest PFN-map order      *)
(*    <= O_drv with a whole aligned chunk in [off, off + len).  Without    *)
(*    room no single search can promise it, so the invariant does not      *)
(*    apply there.                                                         *)
(***************************************************************************)
EXTENDS MappingOrder

TypeOK ==
    /\ IsLayout(layout)
    /\ req.op \in {"none", "mmap"}
    /\ DOMAIN ans = Checked
    /\ \A p \in Checked : ans[p].path \in {"none", "fixed", "hint", "aligned", "fallback", "plain", "error"}
    /\ calls \in 0..MaxCalls

LastMmap == req.op = "mmap"
Ans_ == ans[Policy]
Base_ == ans["baseline"]
Req_ == effectiveRequest(req)       \* the request as do_mmap hands it on (hint raised to mmap_min_addr)

\* page-aligned (page units), >= mmap_min_addr unless MAP_FIXED, VA + len <= mmap_end
InRange ==
    LastMmap /\ ~IsErr(Ans_.va) =>
        /\ req.fixed \/ Ans_.va >= MmapMinAddr
        /\ Ans_.va + req.len <= TaskSize

\* unless MAP_FIXED, [VA, VA+len) meets no VMA, ends below vm_start_gap of the next one,
\* and leaves start_gap free below it
NoOverlap ==
    LastMmap /\ ~IsErr(Ans_.va) /\ ~req.fixed =>
        /\ FitsBelowNext(layout, Ans_.va, req.len)
        /\ Ans_.va - req.sg >= 0
        /\ AllFree(layout, Ans_.va - req.sg, req.sg)

\* MAP_FIXED returns addr or an error, never another address
FixedExact ==
    LastMmap /\ req.fixed => Ans_.va = req.addr \/ IsErr(Ans_.va)

\* a free hint is kept
HintKept ==
    LastMmap /\ ~req.fixed /\ Req_.addr # 0 /\ FitsBelowNext(layout, Req_.addr, req.len) =>
        Ans_.va = Req_.addr

\* when the aligned path succeeds, VA = off (mod S)
Congruent ==
    LastMmap /\ Ans_.path = "aligned" /\ ~IsErr(Ans_.va) =>
        /\ Ans_.order <= BigOrder
        /\ (Ans_.va - req.pgoff) % Pow2(Ans_.order) = 0

\* no padding or shift when [off, off+len) holds no whole aligned S-chunk
UsefulOnly ==
    LastMmap /\ Ans_.order # NoOrder /\ ~HoldsAlignedChunk(req.pgoff, req.len, Ans_.order) =>
        Ans_.va = Base_.va

\* the policy never fails where baseline succeeds
NoNewFailure ==
    LastMmap /\ ~IsErr(Base_.va) => ~IsErr(Ans_.va)

\* a driver order of 0 gives exactly baseline's VA
OrderZeroIsBaseline ==
    LastMmap /\ getMappingOrder(req) = 0 => Ans_.va = Base_.va

\* S is a leaf size and S <= min(PS << O_drv, 2^floor_log2(len))
OrderClamped ==
    LastMmap /\ Ans_.order # NoOrder =>
        /\ Ans_.order \in LeafOrders
        /\ Ans_.order <= getMappingOrder(req)
        /\ Ans_.order <= FloorLog2(req.len)

\* the best order any placement could use for this request (0: none)
BestPfnmapOrder(r) ==
    LET c == {o \in PfnmapOrders : o <= getMappingOrder(r) /\ HoldsAlignedChunk(r.pgoff, r.len, o)}
    IN IF c = {} THEN 0 ELSE MaxOf(c)

\* the allocator's search windows <<low, high, start gap>> for a request: top-down below mmap_base, then
\* the bottom-up retry from TASK_UNMAPPED_BASE (x86 drops the start gap there, the generic allocator keeps it)
SearchWindows(r) ==
    IF r.topdown
    THEN {<<Max(1, MmapMinAddr), MmapBase, r.sg>>,
          <<Max(MmapLegacyBase, MmapMinAddr), TaskSize, IF Allocator = "x86" THEN 0 ELSE r.sg>>}
    ELSE {<<Max(MmapLegacyBase, MmapMinAddr), TaskSize, r.sg>>}

\* one free range of n pages (plus the window's start gap) in a search window
Room(L, r, n) ==
    \E w \in SearchWindows(r) :
        \E u \in w[1]..(w[2] - n - w[3]) : FitsBelowNext(L, u, n + w[3])

MaxLeafCoverage ==
    LastMmap =>
      LET o == BestPfnmapOrder(req)
      IN (/\ ~IsErr(Ans_.va) /\ ~req.fixed /\ Ans_.path # "hint"
          /\ o >= 1
          /\ req.drv.pa % Pow2(o) = 0
          /\ Room(layout, req, req.len + Pow2(o) - 1))
         =>
         LET got == Leaves(Ans_.va, req.len, Pfn0(req), PfnmapOrders)
             best == Leaves(req.pgoff, req.len, Pfn0(req), {k \in PfnmapOrders : k <= o})
         IN \A k \in {j \in PfnmapOrders : j <= o} :
               Covered(got, Ans_.va, req.len, k) >= Covered(best, req.pgoff, req.len, k)

\* no leaf crosses the VMA's ends or maps a PFN not aligned to its size
FaultSafe ==
    LastMmap /\ ~IsErr(Ans_.va) =>
        \A l \in Leaves(Ans_.va, req.len, Pfn0(req), PfnmapOrders) :
            /\ l.start >= Ans_.va
            /\ l.start + Pow2(l.order) <= Ans_.va + req.len
            /\ (Pfn0(req) + (l.start - Ans_.va)) % Pow2(l.order) = 0

\* off = PA (mod S) where the policy's alignment expects large leaves
DriverObligation ==
    LastMmap /\ ~IsErr(Ans_.va) /\ Ans_.path = "aligned" /\ Ans_.order >= 1 =>
        /\ Ans_.order <= BigOrder
        /\ req.drv.pa % Pow2(Ans_.order) = 0
=============================================================================
