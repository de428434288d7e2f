---------------------------- MODULE MCShadowStack ----------------------------
\* A kernel fact, not a policy question: a request carrying VM_SHADOW_STACK (start_gap one page)
\* in a nearly full address space.  arch_get_unmapped_area_topdown needs len + start_gap pages;
\* when that fails it retries arch_get_unmapped_area(filp, addr0, len, pgoff, flags, 0) with
\* vm_flags = 0, so the bottom-up retry places the shadow stack directly above the VMA below it,
\* without the guard page start_gap asks for (NoOverlap's start_gap clause).
\* Layouts: everything mapped except one free run [a, a + l) (page 0 stays free).
EXTENDS CIUniverse

MCPolicy == "baseline"
MCShadowLayouts ==
    {[p \in Pages |-> IF p = 0 \/ (a <= p /\ p < a + l) THEN "free" ELSE "vma"] :
        <<a, l>> \in {x \in (1..(G.taskSize - 1)) \X (1..4) : x[1] + x[2] <= G.taskSize}}
MCShadowRequests ==
    RequestsFrom({0}, {FALSE}, 1..4, {0}, {0}, {OrderDriver(0, 0)}, {TRUE, FALSE}, {0, 1})
=============================================================================
