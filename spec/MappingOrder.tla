---------------------------- MODULE MappingOrder ----------------------------
(***************************************************************************)
(* The state machine: a process calling mmap and munmap on a driver file,  *)
(* under one policy, with every answer recorded so that the invariants of  *)
(* docs/SEMANTICS.md §5 (module Invariants) are state predicates.          *)
(*                                                                         *)
(* Init picks a layout of the bounded universe (InitLayouts).  In a layout *)
(* with no call pending, a step is                                         *)
(*  - Mmap: any request of the bounded domain Requests (pgoff, len, the    *)
(*    driver and so its order, hint, MAP_FIXED, direction, shadow-stack    *)
(*    vm_flags), answered by the checked Policy and by baseline in the     *)
(*    same layout; the state then holds that layout, the request and the   *)
(*    answers, which the invariants read; or                               *)
(*  - Munmap of any range in Munmaps (do_vmi_munmap), applied at once.     *)
(* After an Mmap, Commit applies the mapping the Policy placed to the      *)
(* layout (mmap_region; MAP_FIXED replaces what it covers) and forgets the *)
(* request, so that calls leading to the same layout share one state and   *)
(* its successors are generated once.  TLC explores the layouts reached by *)
(* sequences of up to MaxCalls calls.                                      *)
(*                                                                         *)
(* Modelling choices: MMF_TOPDOWN is a field of each request (a process    *)
(* with either layout); a successful mmap always creates a VMA (the        *)
(* driver's ->mmap validation is out of scope); a request with the         *)
(* shadow-stack start_gap has no hint and no MAP_FIXED, as map_shadow_stack*)
(* maps with MAP_FIXED_NOREPLACE when given an address                     *)
(* (arch/x86/kernel/shstk.c alloc_shstk).  Deadlock is not checked: after  *)
(* MaxCalls calls there is no successor by design.                         *)
(*                                                                         *)
(* TLC integers are 32-bit: all of this is in page units on the tiny       *)
(* geometries (module Geometry); the Z3 proofs in proofs/ cover the 64-bit *)
(* byte arithmetic.                                                        *)
(***************************************************************************)
EXTENDS Policies, HugeFault

CONSTANTS
    Policy,         \* the policy under check: "baseline", "v2", "jason" or "optimal"
    InitLayouts,    \* the layouts Init may start from (a set of [Pages -> Kinds])
    Requests,       \* the bounded domain of mmap requests (RequestsFrom)
    Munmaps,        \* the munmap calls: a set of <<addr, len>> in pages
    MaxCalls        \* the number of mmap / munmap calls in a behaviour

ASSUME Policy \in PolicyNames

VARIABLES
    layout,         \* the address space: [Pages -> Kinds] (the layout the pending request was placed in)
    req,            \* the pending mmap request, or NoCall (op "none") when no call is pending
    ans,            \* [p \in Checked |-> the answer of policy p to req in layout], NoAnswers when none
    calls           \* calls made so far

vars == <<layout, req, ans, calls>>

Checked == {Policy, "baseline"}     \* the checked policy and the reference it is compared with

\* The bounded domain of mmap requests; fields in pages.
RequestsFrom(addrs, fixeds, lens, pgoffs, regions, drivers, dirs, sgs) ==
    {r \in [op : {"mmap"}, addr : addrs, fixed : fixeds, len : lens, pgoff : pgoffs,
            region : regions, drv : drivers, topdown : dirs, sg : sgs] :
        r.sg > 0 => (r.addr = 0 /\ ~r.fixed)}

NoCall == [op |-> "none", addr |-> 0, fixed |-> FALSE, len |-> 0, pgoff |-> 0, region |-> 0,
           drv |-> NoDriver, topdown |-> TRUE, sg |-> 0]
NoAnswer == Ans(0, "none", NoOrder)
NoAnswers == [p \in Checked |-> NoAnswer]

\* The layout after the pending mmap took effect (mmap_region; MAP_FIXED replaces what it covers).
Committed ==
    IF req.op = "mmap" /\ ~IsErr(ans[Policy].va)
    THEN [p \in Pages |-> IF ans[Policy].va <= p /\ p < ans[Policy].va + req.len THEN "vma" ELSE layout[p]]
    ELSE layout

Init ==
    /\ layout \in InitLayouts
    /\ req = NoCall
    /\ ans = NoAnswers
    /\ calls = 0

Mmap(r) ==
    /\ req.op = "none"
    /\ calls < MaxCalls
    /\ req' = r
    /\ ans' = doMmaps(Checked, layout, r)
    /\ calls' = calls + 1
    /\ UNCHANGED layout

Commit ==
    /\ req.op = "mmap"
    /\ calls < MaxCalls            \* after the last call nothing reads the layout again
    /\ layout' = Committed
    /\ req' = NoCall
    /\ ans' = NoAnswers
    /\ UNCHANGED calls

Munmap(m) ==
    /\ req.op = "none"
    /\ calls < MaxCalls
    /\ layout' = [p \in Pages |-> IF m[1] <= p /\ p < m[1] + m[2] THEN "free" ELSE layout[p]]
    /\ UNCHANGED <<req, ans>>
    /\ calls' = calls + 1

\* The guard shared by Mmap and Munmap is tested once, before the quantifiers: TLC evaluates the body of
\* an \E once per element, and in a state with a call pending (most states) every element fails on it.
Next ==
    \/ Commit
    \/ /\ req.op = "none"
       /\ calls < MaxCalls
       /\ \/ \E r \in Requests : Mmap(r)
          \/ \E m \in Munmaps : Munmap(m)

Spec == Init /\ [][Next]_vars
=============================================================================
