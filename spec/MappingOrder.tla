---------------------------- MODULE MappingOrder ----------------------------
(***************************************************************************)
(* The state machine: a process calling mmap and munmap on a driver file,  *)
(* under one policy, with every answer recorded so that the invariants of  *)
(* design.md 3 (module Invariants) are state predicates.                   *)
(*                                                                         *)
(* Init picks a layout of the bounded universe (InitLayouts).  Each step   *)
(* first commits the previous call to the layout (the mapping the policy   *)
(* placed, MAP_FIXED replacing what it covers; or the munmap), then either *)
(*  - mmap: any request of the bounded domain Requests (pgoff, len, the    *)
(*    driver and so its order, hint, MAP_FIXED, direction, shadow-stack    *)
(*    vm_flags), answered by the checked Policy and by baseline in the     *)
(*    same layout; or                                                      *)
(*  - munmap of any range in Munmaps,                                      *)
(* so TLC explores the layouts reached by sequences of calls, up to        *)
(* MaxCalls calls.  The state holds the layout the last request was placed *)
(* in, the request, and the answers.                                       *)
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
    layout,         \* the layout the last request was placed in ([Pages -> Kinds])
    req,            \* the last call: a request record, op "none" (Init), "mmap" or "munmap"
    ans,            \* [p \in Checked |-> the answer of policy p to req in layout]
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

\* The layout after the last call took effect (mmap_region / do_vmi_munmap).
Committed ==
    CASE req.op = "mmap" /\ ~IsErr(ans[Policy].va) ->
            [p \in Pages |-> IF ans[Policy].va <= p /\ p < ans[Policy].va + req.len THEN "vma" ELSE layout[p]]
      [] req.op = "munmap" ->
            [p \in Pages |-> IF req.addr <= p /\ p < req.addr + req.len THEN "free" ELSE layout[p]]
      [] OTHER -> layout

Init ==
    /\ layout \in InitLayouts
    /\ req = NoCall
    /\ ans = NoAnswers
    /\ calls = 0

Mmap(r) ==
    /\ calls < MaxCalls
    /\ LET L == Committed
       IN /\ layout' = L
          /\ req' = r
          /\ ans' = [p \in Checked |-> doMmap(p, L, r)]
    /\ calls' = calls + 1

Munmap(m) ==
    /\ calls < MaxCalls
    /\ layout' = Committed
    /\ req' = [NoCall EXCEPT !.op = "munmap", !.addr = m[1], !.len = m[2]]
    /\ ans' = NoAnswers
    /\ calls' = calls + 1

Next ==
    \/ \E r \in Requests : Mmap(r)
    \/ \E m \in Munmaps : Munmap(m)

Spec == Init /\ [][Next]_vars
=============================================================================
