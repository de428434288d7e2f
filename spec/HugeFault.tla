----------------------------- MODULE HugeFault -----------------------------
(***************************************************************************)
(* What alignment buys: the leaves a sequential touch of a driver VMA      *)
(* installs (docs/MODEL.md#the-huge-fault-model).                          *)
(*                                                                         *)
(* Models (Linux v6.18): mm/memory.c __handle_mm_fault, which tries        *)
(* create_huge_pud (PUD_ORDER) when the PUD entry is none, then            *)
(* create_huge_pmd (PMD_ORDER) when the PMD entry is none, then the PTE    *)
(* fault, only for orders the arch supports for PFN maps                   *)
(* (CONFIG_ARCH_SUPPORTS_P{M,U}D_PFNMAP); drivers/vfio/pci/vfio_pci_core.c *)
(* vfio_pci_mmap_huge_fault, which installs an order-k leaf only if the    *)
(* k-aligned range around the fault lies inside the VMA and the PFN is     *)
(* k-aligned (the PFN test is Alex Williamson's fix for bugzilla 219619),  *)
(* else returns VM_FAULT_FALLBACK.                                         *)
(*                                                                         *)
(* Modelling choices: the VMA [va, va + len) is touched page by page from  *)
(* its start; a fault at the first unmapped page tries the PFN-map orders  *)
(* from the largest down and installs the first that fits, else a PTE.     *)
(* Whether a huge order fits depends only on its aligned range, so a range *)
(* that failed once fails for every later page in it, and a leaf always    *)
(* starts at the faulting page.  Fallbacks count the attempts that failed; *)
(* an attempt is made only when the entry is none, i.e. no earlier page of *)
(* this VMA lies in the aligned range (entries populated by neighbouring   *)
(* VMAs are not modelled).  PFN of VA x: pfn0 + (x - va), pfn0 = the PFN   *)
(* of the VMA's first page (vma_to_pfn).                                   *)
(*                                                                         *)
(* Bug toggle: BUG_FaultNoPfnCheck drops the PFN alignment test (the       *)
(* handler before the bugzilla 219619 fix).                                *)
(***************************************************************************)
EXTENDS Geometry

CONSTANT
    BUG_FaultNoPfnCheck     \* TRUE: vfio_pci_mmap_huge_fault does not test PFN alignment

\* vfio_pci_mmap_huge_fault's test for order o at fault address a.
hugeFaultFits(va, len, pfn0, a, o) ==
    LET base == a - (a % Pow2(o))
    IN /\ base >= va
       /\ base + Pow2(o) <= va + len
       /\ BUG_FaultNoPfnCheck \/ (pfn0 + (base - va)) % Pow2(o) = 0

\* The leaves [start, order] installed by touching pages p, p+1, ... of the VMA.
RECURSIVE touchFrom(_, _, _, _, _)
touchFrom(va, len, pfn0, orders, p) ==
    IF p >= len THEN {}
    ELSE LET a == va + p
             ok == {o \in orders : hugeFaultFits(va, len, pfn0, a, o)}
             k == IF ok = {} THEN 0 ELSE MaxOf(ok)
             base == a - (a % Pow2(k))
         IN {[start |-> base, order |-> k]} \cup touchFrom(va, len, pfn0, orders, (base - va) + Pow2(k))

\* Leaves of a sequential touch of [va, va + len) with the given huge orders available.
Leaves(va, len, pfn0, orders) == touchFrom(va, len, pfn0, orders, 0)

\* Number of pages of [va, va + len) covered by leaves of order >= k.
Covered(leaves, va, len, k) ==
    Cardinality({x \in va..(va + len - 1) :
                    \E l \in leaves : l.order >= k /\ l.start <= x /\ x < l.start + Pow2(l.order)})

LeafCount(leaves, k) == Cardinality({l \in leaves : l.order = k})
Faults(leaves) == Cardinality(leaves)
Fallbacks(leaves, va, orders) ==
    Cardinality({t \in {<<l.start, l.order, o>> : l \in leaves, o \in orders} :
                    t[3] > t[2] /\ (t[1] % Pow2(t[3]) = 0 \/ t[1] = va)})
=============================================================================
