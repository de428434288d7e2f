------------------------------ MODULE Policies ------------------------------
(***************************************************************************)
(* The hint contract: what the core does with the driver's order, under    *)
(* four policies, and the do_mmap / __get_unmapped_area steps around it.   *)
(*                                                                         *)
(* Models (Linux v6.18 mm/mmap.c do_mmap pre-steps, round_hint_to_min,     *)
(* __get_unmapped_area with its post-checks and security_mmap_addr /       *)
(* cap_mmap_addr; v2 2/4 mmap_should_align and the order sanitising), for  *)
(* a request on a driver file that has get_mapping_order and no            *)
(* get_unmapped_area (the only case where the policies differ).            *)
(*                                                                         *)
(* Policies (docs/SEMANTICS.md §4); S = PS << order, off = pgoff:          *)
(*  baseline  upstream v6.18 without the hook: mm_get_unmapped_area_vmflags.*)
(*  v2        hook only when addr == 0 (THP built in); order < 0 -> 0;     *)
(*            order >= BITS_PER_LONG - PAGE_SHIFT -> 0 (S = PS); no clamp; *)
(*            thp_get_unmapped_area_vmflags(..., S): pad len + S, off_sub, *)
(*            top-down ret + S, 0 -> plain fallback.  Order 0 still pads.  *)
(*  jason     O1 = min(O_drv, floor_log2(len)); O2 = largest leaf order    *)
(*            <= O1; O2 = 0 -> exactly baseline; else v2's mechanism with  *)
(*            S = PS << O2.  Hint and MAP_FIXED as in v2.                  *)
(*  optimal   O = largest leaf order o, 1 <= o <= O_drv, such that         *)
(*            [off, off + len) holds a whole aligned 2^o chunk; none ->    *)
(*            exactly baseline.  MAP_FIXED -> as baseline (addr unchanged). *)
(*            A nonzero hint is tried exactly as baseline tries it; only   *)
(*            if it is not taken, ONE arch search (top-down with bottom-up *)
(*            retry) with align_mask = S - PS, align_offset = off, so      *)
(*            vm_unmapped_area pads by len + S - PS; failure -> baseline.  *)
(* An answer is [va |-> VA or -errno, path |-> "fixed" | "hint" |          *)
(* "aligned" | "fallback" | "plain" | "error", order |-> the order whose   *)
(* alignment the policy chose, -1 when it chose none].                     *)
(*                                                                         *)
(* Bug toggles:                                                            *)
(*   BUG_IgnoreHintTest  v2 / jason align even with a hint; optimal skips  *)
(*                       trying the hint first                             *)
(*   BUG_NoLeafClamp     jason / optimal: any order, not only arch leaves  *)
(*   BUG_NoLenClamp      jason: O1 = O_drv (no floor_log2(len) clamp)      *)
(*   BUG_RoundUpNotCongruent (declared in ThpGetUnmappedArea) optimal:     *)
(*                       align_offset = 0, VA = 0 mod S                     *)
(*   BUG_NoFallback (declared in ThpGetUnmappedArea) optimal: a failed     *)
(*                       aligned search is an error                        *)
(* Out of scope: anonymous, shmem, hugetlb and THP files (their own        *)
(* get_area branches), the compat / 32-bit bail-out, pgoff overflow        *)
(* (EOVERFLOW) and PAGE_ALIGN(len) overflow, MAP_FIXED_NOREPLACE.          *)
(***************************************************************************)
EXTENDS ThpGetUnmappedArea, Drivers

CONSTANTS
    BUG_IgnoreHintTest,     \* see header
    BUG_NoLeafClamp,        \* see header
    BUG_NoLenClamp          \* see header

PolicyNames == {"baseline", "v2", "jason", "optimal"}
NoOrder == -1
Ans(va, path, order) == [va |-> va, path |-> path, order |-> order]

\* baseline: a driver file without get_unmapped_area -> mm_get_unmapped_area_vmflags.
baselineArea(L, r) ==
    LET b == mmGetUnmappedAreaVmflags(L, r.topdown, r.addr, r.len, r.pgoff, r.fixed, r.sg, 0)
    IN Ans(b.va, IF r.fixed THEN "fixed" ELSE IF b.viaHint THEN "hint" ELSE "plain", NoOrder)

\* v2 2/4 mmap_should_align(file, addr, len) for a file with get_mapping_order:
\* CONFIG_TRANSPARENT_HUGEPAGE is on; "Never try any alignment if the mmap() address hint is provided".
mmapShouldAlign(r) == BUG_IgnoreHintTest \/ r.addr = 0

\* v2: order < 0 -> 0; check_shl_overflow(PAGE_SIZE, order) -> align = PAGE_SIZE (order 0).
v2Order(r) ==
    LET o == getMappingOrder(r)
    IN IF o < 0 THEN 0 ELSE IF o >= ShiftOverflowOrder THEN 0 ELSE o

v2Area(L, r, b) ==
    IF ~mmapShouldAlign(r) THEN b
    ELSE LET o == v2Order(r)
             t == thpGetUnmappedAreaVmflags(L, r, o)
         IN Ans(t.va, t.path, o)

\* jason: O1 = min(O_drv, floor_log2(len)); O2 = the largest arch leaf order <= O1.
jasonOrder(r) ==
    LET od == getMappingOrder(r)
        o1 == IF BUG_NoLenClamp THEN od ELSE Min(od, FloorLog2(r.len))
        c == IF BUG_NoLeafClamp THEN 1..Min(o1, BigOrder) ELSE {o \in LeafOrders : o <= o1}
    IN IF c = {} THEN 0 ELSE MaxOf(c)

jasonArea(L, r, b) ==
    IF ~mmapShouldAlign(r) THEN b
    ELSE LET o2 == jasonOrder(r)
         IN IF o2 = 0 THEN b
            ELSE LET t == thpGetUnmappedAreaVmflags(L, r, o2) IN Ans(t.va, t.path, o2)

\* optimal: the largest leaf order <= O_drv whose aligned chunk fits in [off, off + len).
optimalOrder(r) ==
    LET od == getMappingOrder(r)
        cand == IF BUG_NoLeafClamp THEN 1..Min(od, BigOrder) ELSE LeafOrders
        c == {o \in cand : o >= 1 /\ o <= od /\ HoldsAlignedChunk(r.pgoff, r.len, o)}
    IN IF c = {} THEN 0 ELSE MaxOf(c)

optimalArea(L, r, b) ==
    IF r.fixed THEN b
    ELSE LET o == optimalOrder(r)
         IN IF o = 0 THEN b
            ELSE IF r.addr # 0 /\ ~BUG_IgnoreHintTest /\ b.path = "hint" THEN Ans(b.va, "hint", o)
            ELSE LET off == IF BUG_RoundUpNotCongruent THEN 0 ELSE r.pgoff
                     a == mmGetUnmappedAreaVmflags(L, r.topdown, 0, r.len, off, FALSE, r.sg, Pow2(o) - 1)
                 IN IF ~IsErr(a.va) THEN Ans(a.va, "aligned", o)
                    ELSE IF BUG_NoFallback THEN Ans(ENOMEM, "aligned", o)
                    ELSE Ans(b.va, IF b.path = "hint" THEN "hint" ELSE "fallback", o)

\* The placement of one policy, between __get_unmapped_area's get_area dispatch and its post-checks.
\* b is baselineArea(L, r), which every policy falls back to: the caller computes it once for all the
\* policies it asks (TLC evaluates an operator's argument only when it is used, and then once).
policyArea(p, L, r, b) ==
    CASE p = "baseline" -> b
      [] p = "v2" -> v2Area(L, r, b)
      [] p = "jason" -> jasonArea(L, r, b)
      [] p = "optimal" -> optimalArea(L, r, b)

\* __get_unmapped_area(file, addr, len, pgoff, flags, vm_flags)
__getUnmappedArea(p, L, r, b) ==
    IF r.len > TaskSize THEN Ans(ENOMEM, "error", NoOrder)
    ELSE LET a == policyArea(p, L, r, b)
         IN IF IsErr(a.va) THEN a
            ELSE IF a.va > TaskSize - r.len THEN [a EXCEPT !.va = ENOMEM]
            ELSE IF a.va < MmapMinAddr THEN [a EXCEPT !.va = EPERM]    \* security_mmap_addr, no CAP_SYS_RAWIO
            ELSE a

\* do_mmap: round_hint_to_min for a non-MAP_FIXED hint (page-masking is byte-level), len == 0.
roundHintToMin(addr) == IF addr # 0 /\ addr < MmapMinAddr THEN MmapMinAddr ELSE addr
effectiveRequest(r) == IF r.fixed THEN r ELSE [r EXCEPT !.addr = roundHintToMin(r.addr)]

doMmapWith(p, L, r, b) ==
    IF r.len = 0 THEN Ans(EINVAL, "error", NoOrder)
    ELSE __getUnmappedArea(p, L, effectiveRequest(r), b)

\* The answers of the policies ps to request r in layout L, baseline's placement computed once for all.
doMmaps(ps, L, r) ==
    LET b == baselineArea(L, effectiveRequest(r))
    IN [p \in ps |-> doMmapWith(p, L, r, b)]

\* The answer of policy p to request r in layout L.
doMmap(p, L, r) == doMmaps({p}, L, r)[p]
=============================================================================
