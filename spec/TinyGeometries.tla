--------------------------- MODULE TinyGeometries ---------------------------
(***************************************************************************)
(* GENERATED from model/geometry.ts by check/geometry-tla.ts: do not     *)
(* edit; regenerate with `npm run gen`.                                     *)
(* The tiny geometries of the model, in PAGE units (1 = one page), one     *)
(* record each; MC*.tla wrappers bind the CONSTANTS of module Geometry to  *)
(* one of them.  Defaults of the mm fields (mmap_base, mmap_legacy_base,   *)
(* mmap_min_addr, stack_guard_gap) are the model's documented defaults.    *)
(***************************************************************************)

Tiny16 ==
    [name |-> "tiny-16",
     allocator |-> "x86",
     taskSize |-> 16,
     mmapBase |-> 16,
     mmapLegacyBase |-> 6,
     mmapMinAddr |-> 1,
     stackGuardGap |-> 1,
     pmdOrder |-> 1,
     pudOrder |-> 2,
     leafOrders |-> {0, 1, 2},
     pfnmapOrders |-> {1, 2},
     shiftOverflowOrder |-> 52]

Tiny32 ==
    [name |-> "tiny-32",
     allocator |-> "x86",
     taskSize |-> 32,
     mmapBase |-> 32,
     mmapLegacyBase |-> 11,
     mmapMinAddr |-> 1,
     stackGuardGap |-> 1,
     pmdOrder |-> 1,
     pudOrder |-> 2,
     leafOrders |-> {0, 1, 2},
     pfnmapOrders |-> {1, 2},
     shiftOverflowOrder |-> 52]

Tiny64 ==
    [name |-> "tiny-64",
     allocator |-> "x86",
     taskSize |-> 64,
     mmapBase |-> 64,
     mmapLegacyBase |-> 22,
     mmapMinAddr |-> 1,
     stackGuardGap |-> 1,
     pmdOrder |-> 1,
     pudOrder |-> 2,
     leafOrders |-> {0, 1, 2},
     pfnmapOrders |-> {1, 2},
     shiftOverflowOrder |-> 52]

Tiny128 ==
    [name |-> "tiny-128",
     allocator |-> "x86",
     taskSize |-> 128,
     mmapBase |-> 128,
     mmapLegacyBase |-> 43,
     mmapMinAddr |-> 1,
     stackGuardGap |-> 1,
     pmdOrder |-> 1,
     pudOrder |-> 2,
     leafOrders |-> {0, 1, 2},
     pfnmapOrders |-> {1, 2},
     shiftOverflowOrder |-> 52]

TinyArm64 ==
    [name |-> "tiny-arm64",
     allocator |-> "generic",
     taskSize |-> 16,
     mmapBase |-> 16,
     mmapLegacyBase |-> 4,
     mmapMinAddr |-> 1,
     stackGuardGap |-> 1,
     pmdOrder |-> 2,
     pudOrder |-> 4,
     leafOrders |-> {0, 1, 2, 3, 4},
     pfnmapOrders |-> {2},
     shiftOverflowOrder |-> 52]

=============================================================================
