---------------------------- MODULE LargeUniverse ----------------------------
(***************************************************************************)
(* The bounded universe of the manual configurations MC<Policy>Large:      *)
(* layouts reached by SEQUENCES of calls rather than enumerated.           *)
(*                                                                         *)
(* Geometry tiny-32 (32 pages; PMD 2, PUD 4 pages; mmap_legacy_base page  *)
(* 11).  MaxCalls = 2: from each initial layout (empty; a stack at the top *)
(* page; a stack at the top and a shadow stack at page 16) TLC makes one   *)
(* mmap of the domain or one munmap, commits it, then checks every mmap of *)
(* the domain in the layout that produced.                                 *)
(* Requests: pgoff 0..4, len 1..10, hint 0 or page 3 with and without      *)
(* MAP_FIXED, both directions; the CI drivers, and the two vfio-pci models *)
(* also on VFIO region 6 (the ROM: order 0); pgoff 4 lies past the 4-page  *)
(* BAR (vfio-pci returns 0).  Munmaps: every range of 1, 2 or 4 pages.     *)
(* No shadow-stack requests (see MCShadowStack).                           *)
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
    {r \in RequestsFrom({0, 3}, {FALSE, TRUE}, 1..10, 0..4, {0, 6}, MCDrivers, {TRUE, FALSE}, {0}) :
        r.region # 0 => r.drv.kind \in {"vfio-pci", "vfio-pci-jason"}}

V(s, e, k) == [start |-> s, end |-> e, kind |-> k]
MCInitLayouts ==
    {EmptyLayout,
     LayoutOf({V(G.taskSize - 1, G.taskSize, "gd")}),
     LayoutOf({V(16, 17, "ss"), V(G.taskSize - 1, G.taskSize, "gd")})}
MCMunmaps == {<<a, l>> \in (1..(G.taskSize - 1)) \X {1, 2, 4} : a + l <= G.taskSize}
MCMaxCalls == 2
=============================================================================
