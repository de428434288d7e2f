------------------------------ MODULE ArchX86 ------------------------------
(***************************************************************************)
(* The x86_64 arch get_unmapped_area: hint, MAP_FIXED, top-down with a     *)
(* bottom-up retry.                                                        *)
(*                                                                         *)
(* Models (Linux v6.18): arch/x86/kernel/sys_x86_64.c find_start_end,      *)
(* stack_guard_placement, arch_get_unmapped_area,                          *)
(* arch_get_unmapped_area_topdown; arch/x86/mm/mmap.c                      *)
(* mmap_address_hint_valid.  Module MmGetUnmappedArea picks these or the   *)
(* generic ones (module ArchGeneric) by the geometry's Allocator.          *)
(*                                                                         *)
(* What x86 does differently from mm/mmap.c generic_get_unmapped_area*:    *)
(*  - MAP_FIXED returns addr before any check (bottom-up: before even      *)
(*    len > end; top-down: after len > TASK_SIZE);                         *)
(*  - the hint test is find_vma-based, `end - len >= addr` (bottom-up) or  *)
(*    mmap_address_hint_valid (top-down), with no mmap_min_addr term and   *)
(*    no prev-VMA term (do_mmap has already raised the hint to             *)
(*    mmap_min_addr);                                                      *)
(*  - info.align_offset = pgoff << PAGE_SHIFT and info.start_gap =         *)
(*    stack_guard_placement(vm_flags) for every non-hugetlb file;          *)
(*    info.align_mask = get_align_mask(filp), which is 0 for a driver file *)
(*    unless AMD F15h va_align is on (not modelled);                       *)
(*  - the bottom-up retry after a failed top-down search is a whole new    *)
(*    arch_get_unmapped_area(filp, addr0, len, pgoff, flags, 0): it tests  *)
(*    the hint again and passes vm_flags = 0, so the shadow-stack          *)
(*    start_gap is NOT applied on the retry (a kernel fact, not a choice). *)
(*                                                                         *)
(* Modelling choice: the operators take `mask` (pages) as a parameter,     *)
(* the align_mask the arch code puts in info.  Upstream passes 0; the      *)
(* `optimal` policy passes (S - 1), i.e. "the order passed down to arch    *)
(* code" (Jason, 19 Jun 2025), and keeps it on the bottom-up retry.        *)
(* Out of scope: MAP_32BIT, MAP_ABOVE4G, in_32bit_syscall, hints above     *)
(* DEFAULT_MAP_WINDOW (TASK_SIZE_MAX = TASK_SIZE here), hugetlb files.     *)
(***************************************************************************)
EXTENDS ArchCommon

\* arch/x86/mm/mmap.c: the hint must fit below TASK_SIZE and not straddle DEFAULT_MAP_WINDOW
\* (= TaskSize in every tiny geometry).
mmapAddressHintValid(addr, len) ==
    /\ TaskSize - len >= addr
    /\ (addr > TaskSize) = (addr + len > TaskSize)

\* arch_get_unmapped_area(): bottom-up from mmap_legacy_base.
archGetUnmappedArea(L, addr, len, pgoff, fixed, sg, mask) ==
    LET begin == MmapLegacyBase     \* find_start_end: get_mmap_base(1)
        end == TaskSize             \* task_size_64bit(addr > DEFAULT_MAP_WINDOW)
    IN IF fixed THEN Area(addr, FALSE)
       ELSE IF len > end THEN Area(ENOMEM, FALSE)
       ELSE IF addr # 0 /\ end - len >= addr /\ hintFits(L, addr, len) THEN Area(addr, TRUE)
       ELSE Area(vmUnmappedArea(L, [topdown |-> FALSE, length |-> len, low |-> begin, high |-> end,
                                    mask |-> mask, offset |-> pgoff, startGap |-> sg]), FALSE)

\* arch_get_unmapped_area_topdown(): top-down below mmap_base, then the bottom-up retry.
archGetUnmappedAreaTopdown(L, addr0, len, pgoff, fixed, sg, mask) ==
    IF len > TaskSize THEN Area(ENOMEM, FALSE)
    ELSE IF fixed THEN Area(addr0, FALSE)
    ELSE IF addr0 # 0 /\ mmapAddressHintValid(addr0, len) /\ hintFits(L, addr0, len)
         THEN Area(addr0, TRUE)
    ELSE LET a == vmUnmappedArea(L, [topdown |-> TRUE, length |-> len, low |-> 1, high |-> MmapBase,
                                     mask |-> mask, offset |-> pgoff, startGap |-> sg])
         IN IF ~IsErr(a) THEN Area(a, FALSE)
            ELSE archGetUnmappedArea(L, addr0, len, pgoff, fixed, 0, mask)   \* vm_flags = 0 on the retry

=============================================================================
