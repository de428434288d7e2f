--------------------------- MODULE VmUnmappedArea ---------------------------
(***************************************************************************)
(* vm_unmapped_area: the gap search under every mmap placement.            *)
(*                                                                         *)
(* Models (Linux v6.18): mm/vma.c unmapped_area, unmapped_area_topdown,    *)
(* vm_unmapped_area; mm/vma.h vma_iter_area_lowest / vma_iter_area_highest *)
(* (mas_empty_area / mas_empty_area_rev over [low_limit, high_limit - 1]); *)
(* struct vm_unmapped_area_info (include/linux/mm.h).                      *)
(*                                                                         *)
(* The info record has the kernel's fields, in pages:                      *)
(*   topdown    VM_UNMAPPED_AREA_TOPDOWN in info.flags                     *)
(*   length     info.length (the request's len)                            *)
(*   low, high  info.low_limit, info.high_limit                            *)
(*   mask       info.align_mask / PAGE_SIZE: (S - 1) pages for an          *)
(*              alignment S; 0 = none.  The kernel's mask is               *)
(*              (S - 1) & PAGE_MASK in bytes, which for page-aligned        *)
(*              operands is the same congruence.                           *)
(*   offset     info.align_offset / PAGE_SIZE (x86 passes pgoff)           *)
(*   startGap   info.start_gap / PAGE_SIZE (1 for a shadow stack)          *)
(* Contract (comment above vm_unmapped_area): the result does not meet any *)
(* VMA, lies in [low_limit, high_limit), is length long, and satisfies     *)
(* (begin & align_mask) == (align_offset & align_mask).                    *)
(*                                                                         *)
(* Every step of the kernel is here, including the retries when the VMA    *)
(* above the empty range has a start gap (VM_GROWSDOWN / VM_SHADOW_STACK)  *)
(* and the conservative bottom-up test `vm_start_gap(next) < gap + length  *)
(* - 1`, which uses the padded length.  In page units that byte test reads *)
(* vmStartGap < gap + length (both sides are page multiples, the -1 byte   *)
(* only turns <= into <).  The prev-VMA tests are kept although they       *)
(* cannot fire without VM_GROWSUP.                                         *)
(* No bug toggles here (BUG_NoGuardGap acts through Layout's vmStartGap).  *)
(***************************************************************************)
EXTENDS Layout

\* vma_iter_area_lowest: start (clamped to lo) of the lowest empty range holding `size`
\* pages inside [lo, hi); -1 when there is none (mas_empty_area returns -EBUSY).
vmaIterAreaLowest(L, lo, hi, size) ==
    LET starts == {x \in Max(lo, 0)..(hi - 1) :
                      /\ IsFree(L, x)
                      /\ (x = lo \/ ~IsFree(L, x - 1))
                      /\ Min(NextOcc(L, x), hi) - x >= size}
    IN IF starts = {} THEN -1 ELSE MinOf(starts)

\* vma_iter_area_highest: end (clamped to hi; vma_iter_end = mas.last + 1) of the highest empty
\* range holding `size` pages inside [lo, hi); -1 when there is none.
vmaIterAreaHighest(L, lo, hi, size) ==
    LET ends == {y \in (Max(lo, 0) + 1)..Min(hi, TaskSize) :
                    /\ IsFree(L, y - 1)
                    /\ (y = hi \/ ~IsFree(L, y))
                    /\ y - Max(PrevOccEnd(L, y), lo) >= size}
    IN IF ends = {} THEN -1 ELSE MaxOf(ends)

\* unmapped_area(): bottom-up, from low_limit upwards.
RECURSIVE unmappedAreaFrom(_, _, _)
unmappedAreaFrom(L, info, low) ==
    LET length == info.length + info.mask + info.startGap   \* worst-case alignment overhead
        idx == vmaIterAreaLowest(L, low, info.high, length)
    IN IF idx < 0 THEN ENOMEM
       ELSE
         LET gapS == idx + info.startGap                                \* start_gap first ...
             gap == gapS + ((info.offset - gapS) % (info.mask + 1))      \* ... then align up to align_offset
             nx == NextOcc(L, idx)                                      \* vma_next(): the VMA above the range
             pe == PrevOccEnd(L, idx)                                   \* vma_prev(): the VMA below it
         IN IF nx < TaskSize /\ L[nx] \in StartGapKinds
            THEN IF vmStartGap(L, nx) < gap + length
                 THEN unmappedAreaFrom(L, info, VmaEnd(L, nx))           \* low_limit = tmp->vm_end; retry
                 ELSE gap
            ELSE IF pe > 0 /\ vmEndGap(L, pe) > gap
                 THEN unmappedAreaFrom(L, info, vmEndGap(L, pe))         \* low_limit = vm_end_gap(tmp); retry
                 ELSE gap

unmappedArea(L, info) == unmappedAreaFrom(L, info, Max(info.low, MmapMinAddr))

\* unmapped_area_topdown(): top-down, from high_limit downwards.
RECURSIVE unmappedAreaTopdownFrom(_, _, _)
unmappedAreaTopdownFrom(L, info, high) ==
    LET length == info.length + info.mask + info.startGap
        low == Max(info.low, MmapMinAddr)
        end == vmaIterAreaHighest(L, low, high, length)
    IN IF end < 0 THEN ENOMEM
       ELSE
         LET gapL == end - info.length                                  \* highest start ...
             gap == gapL - ((gapL - info.offset) % (info.mask + 1))      \* ... rounded down to align_offset
             gapEnd == end
             nx == NextOcc(L, end)                                      \* vma_next(): the VMA above the range
             pe == PrevOccEnd(L, end)                                   \* vma_prev(): the VMA below it
         IN IF nx < TaskSize /\ L[nx] \in StartGapKinds
            THEN IF vmStartGap(L, nx) < gapEnd
                 THEN unmappedAreaTopdownFrom(L, info, vmStartGap(L, nx)) \* high_limit = vm_start_gap(tmp); retry
                 ELSE gap
            ELSE IF pe > 0 /\ vmEndGap(L, pe) > gap
                 THEN unmappedAreaTopdownFrom(L, info, VmaStart(L, pe))    \* high_limit = tmp->vm_start; retry
                 ELSE gap

unmappedAreaTopdown(L, info) == unmappedAreaTopdownFrom(L, info, info.high)

\* vm_unmapped_area()
vmUnmappedArea(L, info) ==
    IF info.topdown THEN unmappedAreaTopdown(L, info) ELSE unmappedArea(L, info)
=============================================================================
