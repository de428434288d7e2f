----------------------------- MODULE ArchCommon -----------------------------
(***************************************************************************)
(* What the two arch allocators (modules ArchX86 and ArchGeneric) share:   *)
(* the shape of their result and the find_vma half of their hint tests.   *)
(*                                                                         *)
(* Models (Linux v6.18): mm/mmap.c find_vma / find_vma_prev (the first VMA *)
(* ending above an address, and the one before it); include/linux/mm.h    *)
(* vm_start_gap.                                                           *)
(* Results are records [va |-> address or -errno, viaHint |-> the hint     *)
(* test accepted the address].                                             *)
(***************************************************************************)
EXTENDS VmUnmappedArea

Area(va, viaHint) == [va |-> va, viaHint |-> viaHint]

\* The find_vma test both hint tests start from: the VMA find_vma(mm, addr) returns (the first
\* ending above addr) must not start below addr + len once its start gap is counted.
hintFits(L, addr, len) ==
    LET nx == NextOcc(L, addr) IN nx = TaskSize \/ addr + len <= vmStartGap(L, nx)
=============================================================================
