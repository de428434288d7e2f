------------------------- MODULE ThpGetUnmappedArea -------------------------
(***************************************************************************)
(* __thp_get_unmapped_area and thp_get_unmapped_area_vmflags with a size   *)
(* parameter, as Peter Xu's v2 patch 1/4 made it.                          *)
(*                                                                         *)
(* Models (Linux v6.18 mm/huge_memory.c, plus v2 1/4 "mm/thp: Allow        *)
(* thp_get_unmapped_area_vmflags() to take alignment", 4 Dec 2025):        *)
(*   off_end = off + len; off_align = round_up(off, size);                 *)
(*   64-bit only; off_end <= off_align || off_end - off_align < size -> 0; *)
(*   len_pad = len + size (overflow -> 0);                                 *)
(*   ret = mm_get_unmapped_area_vmflags(filp, addr, len_pad, pgoff, ...);  *)
(*   IS_ERR_VALUE(ret) -> 0; ret == addr -> addr;                          *)
(*   off_sub = (off - ret) & (size - 1);                                   *)
(*   MMF_TOPDOWN && !off_sub -> ret + size; else ret + off_sub.            *)
(* and thp_get_unmapped_area_vmflags: a nonzero result is returned, 0      *)
(* falls back to mm_get_unmapped_area_vmflags without padding.             *)
(*                                                                         *)
(* Page units: size = 2^order pages, off = pgoff.  The 64-bit overflow     *)
(* checks cannot trigger on a tiny address space and are proved in         *)
(* proofs/; the compat / !CONFIG_64BIT bail-out is out of scope (64-bit    *)
(* tasks only).  An order above BigOrder is a size larger than any offset  *)
(* range of the bounded domain, so the chunk test returns 0 for it without *)
(* computing 2^order.                                                      *)
(*                                                                         *)
(* Bug toggles (each a realistic mistake, each caught by one invariant):   *)
(*   BUG_NoOffSub              off_sub taken as 0 (VA not moved to off)    *)
(*   BUG_TopdownPlusSizeAlways top-down returns ret + size even if off_sub *)
(*   BUG_PadLenOnly            len_pad = len (no padding)                  *)
(*   BUG_RoundUpNotCongruent   VA = round_up(ret, size): VA = 0 mod size    *)
(*   BUG_NoChunkTest           no "whole aligned chunk" test               *)
(*   BUG_NoFallback            a failed padded search is an error, not a   *)
(*                             plain placement                             *)
(***************************************************************************)
EXTENDS MmGetUnmappedArea

CONSTANTS
    BUG_NoOffSub,               \* see header
    BUG_TopdownPlusSizeAlways,  \* see header
    BUG_PadLenOnly,             \* see header
    BUG_RoundUpNotCongruent,    \* see header
    BUG_NoChunkTest,            \* see header
    BUG_NoFallback              \* see header (also used by the optimal policy's fallback)

\* Does [off, off + len) hold a whole size-aligned chunk of 2^order pages?  (the negation of
\* "off_end <= off_align || off_end - off_align < size")
HoldsAlignedChunk(pgoff, len, order) ==
    /\ order <= BigOrder
    /\ LET size == Pow2(order)
           offEnd == pgoff + len
           offAlign == RoundUp(pgoff, size)
       IN offEnd > offAlign /\ offEnd - offAlign >= size

lenPad(len, size) == IF BUG_PadLenOnly THEN len ELSE len + size
offSub(pgoff, ret, size) == IF BUG_NoOffSub THEN 0 ELSE (pgoff - ret) % size

\* __thp_get_unmapped_area(filp, addr, len, off, flags, size, vm_flags): Area(0, _) = fall back.
__thpGetUnmappedArea(L, topdown, addr, len, pgoff, fixed, sg, order) ==
    IF order > BigOrder THEN Area(0, FALSE)
    ELSE IF ~BUG_NoChunkTest /\ ~HoldsAlignedChunk(pgoff, len, order) THEN Area(0, FALSE)
    ELSE
      LET size == Pow2(order)
          r == mmGetUnmappedAreaVmflags(L, topdown, addr, lenPad(len, size), pgoff, fixed, sg, 0)
          ret == r.va
      IN IF IsErr(ret) THEN Area(0, FALSE)       \* "The caller will retry without the padding"
         ELSE IF ret = addr THEN Area(addr, r.viaHint)
         ELSE IF BUG_RoundUpNotCongruent THEN Area(RoundUp(ret, size), FALSE)
         ELSE LET sub == offSub(pgoff, ret, size)
              IN IF topdown /\ (sub = 0 \/ BUG_TopdownPlusSizeAlways)
                 THEN Area(ret + size, FALSE)     \* keep top-down mappings adjacent (96204e15310c)
                 ELSE Area(ret + sub, FALSE)

\* Did __thp_get_unmapped_area get past its "is alignment useful" tests to a padded search?
AlignmentWanted(pgoff, len, order) ==
    order <= BigOrder /\ (BUG_NoChunkTest \/ HoldsAlignedChunk(pgoff, len, order))

\* thp_get_unmapped_area_vmflags(filp, addr, len, pgoff, flags, size, vm_flags) as in v2 1/4,
\* for a request r; the answer carries the path taken: "fallback" when the padded search failed,
\* "plain" when the chunk test refused alignment before any search.
thpGetUnmappedAreaVmflags(L, r, order) ==
    LET t == __thpGetUnmappedArea(L, r.topdown, r.addr, r.len, r.pgoff, r.fixed, r.sg, order)
        wanted == AlignmentWanted(r.pgoff, r.len, order)
    IN IF t.va # 0
       THEN [va |-> t.va, path |-> IF r.fixed THEN "fixed" ELSE IF t.viaHint THEN "hint" ELSE "aligned"]
       ELSE IF BUG_NoFallback /\ wanted THEN [va |-> ENOMEM, path |-> "fallback"]
       ELSE LET b == mmGetUnmappedAreaVmflags(L, r.topdown, r.addr, r.len, r.pgoff, r.fixed, r.sg, 0)
            IN [va |-> b.va,
                path |-> IF r.fixed THEN "fixed" ELSE IF b.viaHint THEN "hint"
                         ELSE IF wanted THEN "fallback" ELSE "plain"]
=============================================================================
