------------------------------ MODULE Drivers ------------------------------
(***************************************************************************)
(* The get_mapping_order hook: the driver models.                          *)
(*                                                                         *)
(* Models:                                                                 *)
(*  - "vfio-pci": vfio_pci_core_get_mapping_order of Peter Xu's v2 4/4     *)
(*    (4 Dec 2025): index = pgoff >> (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT); *)
(*    index >= VFIO_PCI_ROM_REGION_INDEX (6) -> 0; req_start = off &       *)
(*    ((1 << 40) - 1); phys_len = PAGE_ALIGN(bar_len); req_start >=        *)
(*    phys_len -> 0; phys_len = MIN(phys_len - req_start, len); PUD_ORDER  *)
(*    if PUD pfnmap is supported and phys_len >= PUD_SIZE, else PMD_ORDER  *)
(*    if phys_len >= PMD_SIZE, else 0.                                     *)
(*  - "vfio-pci-jason": what Jason asked for on v2 4/4 (7 and 16 Dec       *)
(*    2025): ilog2(pci_resource_len) - PAGE_SHIFT for a BAR region         *)
(*    (index 0..5) with req_start inside the BAR, else 0; the core clamps. *)
(*  - "order": order:K, always K; K < 0 and K >= BITS_PER_LONG -           *)
(*    PAGE_SHIFT are the misbehaving drivers of the v2 commit message.     *)
(* A driver record is [kind, k (K of order:K), pa].  pa is the physical    *)
(* page frame of the BAR's first page (pci_resource_start >> PAGE_SHIFT),  *)
(* used by the fault model: the PFN backing file page pgoff of the region  *)
(* is pa + pgoff (vma_to_pfn).  A driver with pa not aligned to the order  *)
(* it returns is the "misaligned PA" driver that breaks the obligation     *)
(* off = PA (mod PS << O_drv).                                             *)
(*                                                                         *)
(* Page units: a request names its VFIO region index `region` and its page *)
(* offset `pgoff` inside the region separately; the region's base in the   *)
(* file (index << 40) is a multiple of every alignment here, so it changes *)
(* no congruence and is not added to pgoff.  BARs are powers of two of at  *)
(* least one page.                                                         *)
(* Out of scope: the driver's ->mmap validation after placement (a request *)
(* past the BAR end would be refused there with EINVAL), sparse-mmap and   *)
(* MSI-X capabilities.                                                     *)
(***************************************************************************)
EXTENDS Geometry

CONSTANT
    BarPages            \* the BAR size in pages (a power of two) of the vfio-pci models

ASSUME BarPages \in {2^k : k \in 0..BigOrder}

VfioPciRomRegionIndex == 6      \* VFIO_PCI_ROM_REGION_INDEX: regions 0..5 are BARs

NoDriver == [kind |-> "none", k |-> 0, pa |-> 0]
OrderDriver(k, pa) == [kind |-> "order", k |-> k, pa |-> pa]
VfioPciDriver(pa) == [kind |-> "vfio-pci", k |-> 0, pa |-> pa]
VfioPciJasonDriver(pa) == [kind |-> "vfio-pci-jason", k |-> 0, pa |-> pa]

\* vfio_pci_core_get_mapping_order (v2 4/4)
vfioPciCoreGetMappingOrder(region, pgoff, len) ==
    IF region >= VfioPciRomRegionIndex THEN 0
    ELSE LET reqStart == pgoff
             physLen == BarPages
         IN IF reqStart >= physLen THEN 0
            ELSE LET pl == Min(physLen - reqStart, len)
                 IN IF PudOrder \in PfnmapOrders /\ pl >= Pow2(PudOrder) THEN PudOrder
                    ELSE IF PmdOrder \in PfnmapOrders /\ pl >= Pow2(PmdOrder) THEN PmdOrder
                    ELSE 0

\* The vfio-pci hook Jason asked for: the BAR's own order, clamped by the core.
vfioPciJasonGetMappingOrder(region, pgoff) ==
    IF region < VfioPciRomRegionIndex /\ pgoff < BarPages THEN FloorLog2(BarPages) ELSE 0

\* file->f_op->get_mapping_order(file, pgoff, len) for request r
getMappingOrder(r) ==
    CASE r.drv.kind = "order" -> r.drv.k
      [] r.drv.kind = "vfio-pci" -> vfioPciCoreGetMappingOrder(r.region, r.pgoff, r.len)
      [] r.drv.kind = "vfio-pci-jason" -> vfioPciJasonGetMappingOrder(r.region, r.pgoff)
      [] OTHER -> 0

\* The PFN backing the first page of the mapping (vma_to_pfn)
Pfn0(r) == r.drv.pa + r.pgoff
=============================================================================
