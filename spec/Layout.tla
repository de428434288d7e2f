------------------------------ MODULE Layout ------------------------------
(***************************************************************************)
(* The address space of one mm and its VMAs, with guard gaps.              *)
(*                                                                         *)
(* Models (Linux v6.18): include/linux/mm.h stack_guard_start_gap,         *)
(* vm_start_gap, vm_end_gap, VM_STARTGAP_FLAGS; mm/mmap.c find_vma (the    *)
(* first VMA ending above an address); the maple tree's empty ranges that  *)
(* mas_empty_area / mas_empty_area_rev search (lib/maple_tree.c).          *)
(*                                                                         *)
(* Modelling choices:                                                      *)
(*  - A layout is a function from each page 0..TaskSize-1 to what maps it: *)
(*    "free", "vma" (an ordinary VMA), "gd" (VM_GROWSDOWN, a stack) or     *)
(*    "ss" (VM_SHADOW_STACK).  Two adjacent VMAs of the same kind read as  *)
(*    one: nothing the allocator does depends on a boundary between two    *)
(*    VMAs with no gap between them, except vm_start_gap of the upper one, *)
(*    which only matters when a gap lies directly below it.                *)
(*  - A VMA "starts" at an occupied page whose lower neighbour is free or  *)
(*    of another kind; the maple tree's empty ranges are the maximal runs  *)
(*    of free pages.  The run touching the top of TASK_SIZE continues to   *)
(*    ULONG_MAX in the kernel; every search here is clamped below          *)
(*    TaskSize, so it ends at TaskSize.                                    *)
(*  - vm_end_gap(vma) = vma->vm_end: only VM_GROWSUP (parisc) has an end   *)
(*    gap and x86 has none.                                                *)
(* Out of scope: VM_GROWSUP, stack expansion, VMA merging rules (merging   *)
(* never changes which pages are mapped), the stack above mmap_base.       *)
(*                                                                         *)
(* Bug toggle: BUG_NoGuardGap makes the allocator's vm_start_gap forget    *)
(* the guard (the invariants keep using the kernel's, guardStartGapTrue).  *)
(***************************************************************************)
EXTENDS Geometry

CONSTANT
    BUG_NoGuardGap      \* TRUE: the allocator's vm_start_gap ignores stack_guard_gap and the shadow-stack page

Pages == 0..(TaskSize - 1)                       \* every user page
Kinds == {"free", "vma", "gd", "ss"}             \* what maps a page (see header)
StartGapKinds == {"gd", "ss"}                    \* VM_STARTGAP_FLAGS = VM_GROWSDOWN | VM_SHADOW_STACK

IsLayout(L) == L \in [Pages -> Kinds]
Occupied(L, p) == p \in Pages /\ L[p] # "free"
IsFree(L, p) == p \in Pages /\ L[p] = "free"
AllFree(L, a, n) == \A p \in a..(a + n - 1) : IsFree(L, p)

\* stack_guard_start_gap(vma): stack_guard_gap for VM_GROWSDOWN, PAGE_SIZE for VM_SHADOW_STACK, else 0.
stackGuardStartGapTrue(kind) ==
    CASE kind = "gd" -> StackGuardGap
      [] kind = "ss" -> 1
      [] OTHER -> 0
stackGuardStartGap(kind) == IF BUG_NoGuardGap THEN 0 ELSE stackGuardStartGapTrue(kind)

\* vm_start_gap(vma) for the VMA starting at page s: vm_start - gap, clamped to 0 on underflow.
vmStartGap(L, s) == Max(0, s - stackGuardStartGap(L[s]))
vmStartGapTrue(L, s) == Max(0, s - stackGuardStartGapTrue(L[s]))

\* The first occupied page at or above x (the start of the VMA find_vma(x) returns when x
\* is free), or TaskSize when there is none.
NextOcc(L, x) ==
    LET above == {p \in x..(TaskSize - 1) : L[p] # "free"}
    IN IF above = {} THEN TaskSize ELSE MinOf(above)

\* One past the last occupied page below x (the vm_end of the VMA below a free page x-1), or
\* 0 when there is none.
PrevOccEnd(L, x) ==
    LET below == {p \in 0..(x - 1) : L[p] # "free"}
    IN IF below = {} THEN 0 ELSE MaxOf(below) + 1

\* vm_end of the VMA starting at page s: the end of its run of pages of the same kind.
VmaEnd(L, s) ==
    LET other == {p \in s..(TaskSize - 1) : L[p] # L[s]}
    IN IF other = {} THEN TaskSize ELSE MinOf(other)

\* vm_start of the VMA that ends at e (e = PrevOccEnd of a free page).
VmaStart(L, e) ==
    LET other == {p \in 0..(e - 1) : L[p] # L[e - 1]}
    IN IF other = {} THEN 0 ELSE MaxOf(other) + 1

\* vm_end_gap(vma) = vm_end on x86 (no VM_GROWSUP).
vmEndGap(L, e) == e

\* The address range [a, a+n) is free and ends at or below vm_start_gap of the next VMA:
\* what find_vma-based hint tests and the searches establish.  Uses the kernel's guard.
FitsBelowNext(L, a, n) ==
    /\ a >= 0 /\ a + n <= TaskSize
    /\ AllFree(L, a, n)
    /\ LET nx == NextOcc(L, a + n) IN nx = TaskSize \/ a + n <= vmStartGapTrue(L, nx)

\* A layout from a set of VMAs [start, end, kind] (later ones win where they overlap).
LayoutOf(vmas) ==
    [p \in Pages |->
        IF \E v \in vmas : v.start <= p /\ p < v.end
        THEN (CHOOSE v \in vmas : v.start <= p /\ p < v.end).kind
        ELSE "free"]

EmptyLayout == [p \in Pages |-> "free"]

=============================================================================
