----------------------------- MODULE Geometry -----------------------------
(***************************************************************************)
(* The kernel constants of one architecture, in PAGE UNITS.                *)
(*                                                                         *)
(* Models: the constants of arch/x86 and arch/arm64 (TASK_SIZE,           *)
(* mmap_base, TASK_UNMAPPED_BASE, mmap_min_addr, stack_guard_gap, PMD/PUD  *)
(* orders, the leaf orders with arm64's contiguous ones, the PFN-map leaf  *)
(* orders of CONFIG_ARCH_SUPPORTS_P{M,U}D_PFNMAP) and which allocator the  *)
(* architecture uses, Linux v6.18, scaled down to the tiny-* geometries of *)
(* model/geometry.ts (tiny-N: x86_64's shape; tiny-arm64: arm64-4k's).     *)
(*                                                                         *)
(* Why page units: TLC integers are 32-bit, so the spec cannot hold 64-bit *)
(* byte addresses.  Every quantity the allocator handles is a multiple of  *)
(* PAGE_SIZE, so one page = 1 is exact for everything except byte-level    *)
(* rounding (PAGE_ALIGN of len and of the hint, offset_in_page) and 64-bit *)
(* overflow (len + size, off + len_pad, PAGE_SIZE << order).  Those are    *)
(* modelled by the TypeScript model in bigint bytes and proved over 64-bit *)
(* bit-vectors with Z3 in proofs/; this spec assumes every request is      *)
(* already page-aligned and never overflows.                               *)
(*                                                                         *)
(* The values are never written by hand: TinyGeometries.tla is generated   *)
(* from model/geometry.ts (check/geometry-tla.ts) and the MC*.tla          *)
(* wrappers bind these CONSTANTS to one of its records.                    *)
(*                                                                         *)
(* Out of scope: 5-level paging / LVA (TASK_SIZE_MAX = TASK_SIZE in every  *)
(* tiny geometry, so a hint above DEFAULT_MAP_WINDOW cannot occur),        *)
(* compat (32-bit) tasks, MAP_32BIT, MAP_ABOVE4G.                          *)
(***************************************************************************)
EXTENDS Integers, FiniteSets

CONSTANTS
    Allocator,          \* the arch allocator: "x86" (arch/x86/kernel/sys_x86_64.c) or "generic" (mm/mmap.c, arm64)
    TaskSize,           \* TASK_SIZE = DEFAULT_MAP_WINDOW = mmap_end, in pages; user VAs are 0..TaskSize-1
    MmapBase,           \* mm->mmap_base: high_limit of the top-down search (get_mmap_base(0))
    MmapLegacyBase,     \* TASK_UNMAPPED_BASE: low_limit of the bottom-up search (x86: mm->mmap_legacy_base;
                        \* generic: mm->mmap_base of a bottom-up mm and the low_limit of the top-down retry)
    MmapMinAddr,        \* mmap_min_addr (sysctl vm.mmap_min_addr), page-aligned, in pages
    StackGuardGap,      \* stack_guard_gap: the guard below a VM_GROWSDOWN VMA, in pages
    PmdOrder,           \* PMD_ORDER = PMD_SHIFT - PAGE_SHIFT
    PudOrder,           \* PUD_ORDER = PUD_SHIFT - PAGE_SHIFT
    LeafOrders,         \* every page order the MMU can map with one leaf (contiguous hints included), 0 included
    PfnmapOrders,       \* orders a huge PFN map may install (CONFIG_ARCH_SUPPORTS_P{M,U}D_PFNMAP), 0 excluded
    ShiftOverflowOrder  \* BITS_PER_LONG - PAGE_SHIFT: PAGE_SIZE << order overflows for order >= this (64-bit)

\* Orders above BigOrder are never raised to a power in TLC (2^31 does not fit): every
\* TaskSize here is far below 2^BigOrder pages, so such an order behaves like "larger
\* than the address space" and is handled symbolically where it can occur.
BigOrder == 29

ASSUME GeometryAssumptions ==
    /\ Allocator \in {"x86", "generic"}
    /\ TaskSize \in 1..(2^20)
    /\ MmapBase \in 1..TaskSize
    /\ MmapLegacyBase \in 0..TaskSize
    /\ MmapMinAddr \in 0..TaskSize
    /\ StackGuardGap \in 0..TaskSize
    /\ 0 \in LeafOrders /\ LeafOrders \subseteq 0..BigOrder
    /\ PfnmapOrders \subseteq (LeafOrders \ {0})
    /\ PmdOrder \in LeafOrders /\ PudOrder \in 1..BigOrder
    /\ ShiftOverflowOrder > BigOrder

Pow2(o) == 2^o                                  \* pages in one order-o leaf (o <= BigOrder)
Min(a, b) == IF a < b THEN a ELSE b
Max(a, b) == IF a > b THEN a ELSE b
MaxOf(S) == CHOOSE x \in S : \A y \in S : y <= x  \* S finite, non-empty
MinOf(S) == CHOOSE x \in S : \A y \in S : x <= y

\* round_up(x, n) for n a power of two (include/linux/math.h)
RoundUp(x, n) == ((x + n - 1) \div n) * n

\* ilog2 / floor_log2 of a positive page count
FloorLog2(n) == MaxOf({k \in 0..BigOrder : 2^k <= n})

\* Error returns, negative like the kernel's -ENOMEM in an unsigned long; a VA is >= 0.
ENOMEM == -12
EINVAL == -22
EPERM == -1
IsErr(x) == x < 0
=============================================================================
