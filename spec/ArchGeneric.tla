----------------------------- MODULE ArchGeneric -----------------------------
(***************************************************************************)
(* The generic get_unmapped_area of mm/mmap.c, which arm64 (and every      *)
(* architecture without HAVE_ARCH_UNMAPPED_AREA[_TOPDOWN]) uses.           *)
(*                                                                         *)
(* Models (Linux v6.18 mm/mmap.c): generic_get_unmapped_area,              *)
(* generic_get_unmapped_area_topdown; arm64's arch_get_mmap_end and        *)
(* arch_get_mmap_base (arch/arm64/include/asm/processor.h), which return   *)
(* DEFAULT_MAP_WINDOW (= TaskSize here) and mm->mmap_base unchanged for    *)
(* every hint at or below the window, the only hints a tiny geometry has.  *)
(*                                                                         *)
(* What the generic allocators do differently from x86 (module ArchX86):  *)
(*  - the length test `len > mmap_end - mmap_min_addr` comes first, and    *)
(*    MAP_FIXED returns addr only after it, in both directions;            *)
(*  - the hint test is `mmap_end - len >= addr && addr >= mmap_min_addr`,  *)
(*    the find_vma test, and `!prev || addr >= vm_end_gap(prev)` (no       *)
(*    VM_GROWSUP here, so the prev term never refuses);                    *)
(*  - info.align_offset stays 0: the generic allocators ignore pgoff and   *)
(*    set align_mask only for a hugetlbfs file (out of scope), so the VA   *)
(*    is never made congruent with the file offset by the arch code;       *)
(*  - bottom-up searches [mm->mmap_base, mmap_end), and in a bottom-up mm  *)
(*    arch_pick_mmap_layout() (mm/util.c) has set mm->mmap_base to         *)
(*    TASK_UNMAPPED_BASE, the constant MmapLegacyBase here;                *)
(*  - the bottom-up retry after a failed top-down search is not a new call *)
(*    but the same info with low_limit = TASK_UNMAPPED_BASE (MmapLegacyBase*)
(*    again) and high_limit = mmap_end: no second hint test, and the       *)
(*    start_gap is KEPT (x86 drops it).                                    *)
(*                                                                         *)
(* Modelling choice, as in ArchX86: the operators take the info's mask and *)
(* offset (pages) as parameters.  Upstream passes 0 for both; only the     *)
(* `optimal` policy's aligned search passes (S - 1) and pgoff (module      *)
(* MmGetUnmappedArea).                                                     *)
(***************************************************************************)
EXTENDS ArchCommon

\* The whole hint test of both generic allocators (find_vma_prev(mm, addr, &prev)).
genericHintFits(L, addr, len) ==
    /\ TaskSize - len >= addr
    /\ addr >= MmapMinAddr
    /\ hintFits(L, addr, len)
    /\ LET pe == PrevOccEnd(L, addr) IN pe = 0 \/ addr >= vmEndGap(L, pe)

\* generic_get_unmapped_area(): bottom-up from mm->mmap_base.
genericGetUnmappedArea(L, addr, len, fixed, sg, mask, offset) ==
    IF len > TaskSize - MmapMinAddr THEN Area(ENOMEM, FALSE)
    ELSE IF fixed THEN Area(addr, FALSE)
    ELSE IF addr # 0 /\ genericHintFits(L, addr, len) THEN Area(addr, TRUE)
    ELSE Area(vmUnmappedArea(L, [topdown |-> FALSE, length |-> len, low |-> MmapLegacyBase, high |-> TaskSize,
                                 mask |-> mask, offset |-> offset, startGap |-> sg]), FALSE)

\* generic_get_unmapped_area_topdown(): top-down below mm->mmap_base, then bottom-up with the same info.
genericGetUnmappedAreaTopdown(L, addr, len, fixed, sg, mask, offset) ==
    IF len > TaskSize - MmapMinAddr THEN Area(ENOMEM, FALSE)
    ELSE IF fixed THEN Area(addr, FALSE)
    ELSE IF addr # 0 /\ genericHintFits(L, addr, len) THEN Area(addr, TRUE)
    ELSE LET info == [topdown |-> TRUE, length |-> len, low |-> 1, high |-> MmapBase,
                      mask |-> mask, offset |-> offset, startGap |-> sg]
             a == vmUnmappedArea(L, info)
         IN IF ~IsErr(a) THEN Area(a, FALSE)
            ELSE Area(vmUnmappedArea(L, [info EXCEPT !.topdown = FALSE, !.low = MmapLegacyBase,
                                                     !.high = TaskSize]), FALSE)
=============================================================================
