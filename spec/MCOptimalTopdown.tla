--------------------------- MODULE MCOptimalTopdown ---------------------------
\* Policy optimal on the CI universe restricted to top-down requests (MMF_TOPDOWN, the default
\* layout): checks that MaxLeafCoverage holds there, where unmapped_area_topdown's next-VMA
\* test (vm_start_gap(next) < gap_end) is exact; the bottom-up counterexample of
\* MCOptimal_MaxLeafCoverage comes from unmapped_area's conservative gap + length - 1 test.
EXTENDS CIUniverse

MCPolicy == "optimal"
MCTopdownRequests == {r \in MCRequests : r.topdown}
=============================================================================
