-------------------------- MODULE MmGetUnmappedArea --------------------------
(***************************************************************************)
(* mm_get_unmapped_area_vmflags(): the arch allocator of the geometry,     *)
(* top-down when MMF_TOPDOWN is set, else bottom-up.                       *)
(*                                                                         *)
(* Models (Linux v6.18 mm/mmap.c mm_get_unmapped_area_vmflags): x86 has    *)
(* HAVE_ARCH_UNMAPPED_AREA[_TOPDOWN] (module ArchX86); arm64 uses          *)
(* generic_get_unmapped_area[_topdown] (module ArchGeneric).  The          *)
(* geometry's Allocator says which.                                        *)
(*                                                                         *)
(* `mask` is the info.align_mask the caller asks for (0 upstream; S - 1    *)
(* for the `optimal` policy's aligned search).  x86 always sets            *)
(* info.align_offset = pgoff; the generic allocators set 0, which with     *)
(* align_mask 0 is no constraint at all, and the optimal search passes     *)
(* pgoff down with its mask (model/policy/arch-search-aligned.ts does the  *)
(* same in bytes).                                                         *)
(***************************************************************************)
EXTENDS ArchX86, ArchGeneric

mmGetUnmappedAreaVmflags(L, topdown, addr, len, pgoff, fixed, sg, mask) ==
    IF Allocator = "x86"
    THEN IF topdown THEN archGetUnmappedAreaTopdown(L, addr, len, pgoff, fixed, sg, mask)
         ELSE archGetUnmappedArea(L, addr, len, pgoff, fixed, sg, mask)
    ELSE LET offset == IF mask = 0 THEN 0 ELSE pgoff
         IN IF topdown THEN genericGetUnmappedAreaTopdown(L, addr, len, fixed, sg, mask, offset)
            ELSE genericGetUnmappedArea(L, addr, len, fixed, sg, mask, offset)
=============================================================================
