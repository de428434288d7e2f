----------------------------- MODULE CIUniverse -----------------------------
(***************************************************************************)
(* The bounded universe of the CI configurations (MCBaseline, MCV2,        *)
(* MCJason, MCOptimal and their _<Invariant> / _bug_ variants): bounds     *)
(* only, shared so the four policies are checked on the same domain.       *)
(*                                                                         *)
(* Geometry: tiny-16 (x86: 16 pages; PMD = 2 pages, PUD = 4 pages; leaf   *)
(* orders {0,1,2}) or tiny-arm64 (the generic allocator: 16 pages; cont-   *)
(* PTE 2, PMD 4, cont-PMD 8, PUD 16 pages; PFN maps install PMDs only),    *)
(* both with mmap_min_addr 1 page and a guard gap of 1 page, from the      *)
(* generated TinyGeometries; the configuration picks one (MCGeometry).     *)
(* Layouts: enumerated, not built by calls (MaxCalls = 1 keeps the CI      *)
(* under two minutes a policy): the empty address space; every single VMA  *)
(* of 1 or 2 pages, ordinary or VM_GROWSDOWN, at every page; and a stack   *)
(* at the top page with one ordinary VMA of 1 or 2 pages anywhere below    *)
(* it.  The manual *Large configurations reach layouts by sequences of     *)
(* mmap / munmap calls instead.  A shadow-stack VMA behaves like a stack   *)
(* here (both guards are one page in tiny-16) and is left to the manual    *)
(* runs.                                                                   *)
(* Requests: pgoff 0..3 (every residue mod PUD), len 1..8 pages, hint 0    *)
(* or page 5 with and without MAP_FIXED, both directions, no shadow-stack  *)
(* flag, VFIO region 0; drivers order:K for K in {-1, 0, 1, 2, 3, 40, 52}  *)
(* (40: a non-overflowing order larger than the address space; 52 =       *)
(* BITS_PER_LONG - PAGE_SHIFT overflows the shift), vfio-pci and           *)
(* vfio-pci-jason on a 4-page BAR at PFN 0, and order:2 on a BAR at PFN 1  *)
(* (misaligned PA).                                                        *)
(***************************************************************************)
EXTENDS TraceView, TinyGeometries

CONSTANT MCGeometry    \* one record of TinyGeometries, bound by the configuration (manifest field `geometry`)

G == MCGeometry
MCAllocator == G.allocator
MCTaskSize == G.taskSize
MCMmapBase == G.mmapBase
MCMmapLegacyBase == G.mmapLegacyBase
MCMmapMinAddr == G.mmapMinAddr
MCStackGuardGap == G.stackGuardGap
MCPmdOrder == G.pmdOrder
MCPudOrder == G.pudOrder
MCLeafOrders == G.leafOrders
MCPfnmapOrders == G.pfnmapOrders
MCShiftOverflowOrder == G.shiftOverflowOrder

MCBarPages == 4
MCDrivers ==
    {OrderDriver(k, 0) : k \in {-1, 0, 1, 2, 3, 40, 52}}
        \cup {VfioPciDriver(0), VfioPciJasonDriver(0), OrderDriver(2, 1)}
MCRequests ==
    RequestsFrom({0, 5}, {FALSE, TRUE}, 1..8, 0..3, {0}, MCDrivers, {TRUE, FALSE}, {0})

V(s, e, k) == [start |-> s, end |-> e, kind |-> k]
MCInitLayouts ==
    {EmptyLayout}
        \cup {LayoutOf({V(s, s + l, k)}) : s \in 1..(G.taskSize - 1), l \in {1, 2}, k \in {"vma", "gd"}}
        \cup {LayoutOf({V(sl[1], sl[1] + sl[2], "vma"), V(G.taskSize - 1, G.taskSize, "gd")}) :
                 sl \in {x \in (1..(G.taskSize - 2)) \X {1, 2} : x[1] + x[2] <= G.taskSize - 1}}
MCMunmaps == {}
MCMaxCalls == 1
=============================================================================
