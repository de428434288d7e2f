------------------------------- MODULE MCDiff -------------------------------
(***************************************************************************)
(* Differential check, direction model -> spec: TLC computes the spec's    *)
(* answers (Policies.tla doMmaps) to every case the TypeScript model       *)
(* answered, and compares.  The cases and the model's answers are the      *)
(* generated table module ModelAnswers (written by                         *)
(* check/differential/model-answers-tla.ts to a temporary folder with this *)
(* module and a copy of spec/*.tla by check/differential/stage.ts).        *)
(*                                                                         *)
(* Agreement: the same VA or the same errno (check/differential/answer.ts  *)
(* compareVa; the path and order labels are compared on the TypeScript     *)
(* side, from the states TLC dumps, as label differences).                 *)
(*                                                                         *)
(* Rows: the product of DiffLayouts and DiffRequests; DiffAnswers packs    *)
(* the model's VA or -errno of every policy into one integer per row.      *)
(* States: Init picks one of DiffGroups groups; Next picks one chunk of    *)
(* DiffChunk rows of that group and records in `bad` every <<row, policy#, *)
(* spec answer>> that disagrees, so TLC's workers share the chunks and a   *)
(* violation of NoMismatch shows every disagreement of the first failing   *)
(* chunk.                                                                  *)
(* No bug toggle is set: the spec is checked as it is.                     *)
(***************************************************************************)
EXTENDS Policies, ModelAnswers, Sequences

VARIABLES
    grp,        \* the group of chunks this behaviour checks
    chunk,      \* the chunk checked (0 before the step)
    bad         \* <<row, policy index, spec VA>> for each disagreement in the chunk

G == DiffGeometry
DAllocator == G.allocator
DTaskSize == G.taskSize
DMmapBase == G.mmapBase
DMmapLegacyBase == G.mmapLegacyBase
DMmapMinAddr == G.mmapMinAddr
DStackGuardGap == G.stackGuardGap
DPmdOrder == G.pmdOrder
DPudOrder == G.pudOrder
DLeafOrders == G.leafOrders
DPfnmapOrders == G.pfnmapOrders
DShiftOverflowOrder == G.shiftOverflowOrder
DBarPages == DiffBarPages

DiffGroups == 16
ASSUME Len(DiffAnswers) = Len(DiffLayouts) * Len(DiffRequests)
NRows == Len(DiffAnswers)
NChunks == (NRows + DiffChunk - 1) \div DiffChunk

\* the layouts as spec layouts [Pages -> Kinds], computed once (a constant definition)
DiffLayoutFns ==
    [i \in 1..Len(DiffLayouts) |->
        LayoutOf({[start |-> v[1], end |-> v[2], kind |-> v[3]] :
                     v \in {DiffLayouts[i][j] : j \in 1..Len(DiffLayouts[i])}})]

\* row r is layout (r - 1) \div R + 1 with request (r - 1) % R + 1
LayoutOfRow(r) == DiffLayoutFns[((r - 1) \div Len(DiffRequests)) + 1]
RequestOfRow(r) ==
    LET q == DiffRequests[((r - 1) % Len(DiffRequests)) + 1]
    IN [op |-> "mmap", addr |-> q[1], fixed |-> q[2], len |-> q[3], pgoff |-> q[4],
        region |-> q[5], drv |-> DiffDrivers[q[6]], topdown |-> q[7], sg |-> q[8]]

\* the model's VA or -errno for row r under policy j (digit j of the packed answer)
ModelVa(r, j) == ((DiffAnswers[r] \div (DiffVaBase ^ (j - 1))) % DiffVaBase) - DiffVaBias

\* the spec's answers to row r, one per policy (Policies.tla doMmaps: baseline's placement computed once)
SpecAnswers(r) == doMmaps({DiffPolicies[j] : j \in 1..Len(DiffPolicies)}, LayoutOfRow(r), RequestOfRow(r))

Rows(k) == ((k - 1) * DiffChunk + 1)..Min(k * DiffChunk, NRows)

\* <<row, policy index, the spec's VA or -errno>> for each disagreement of chunk k
Bad(k) ==
    UNION {LET s == SpecAnswers(r)
           IN {<<r, j, s[DiffPolicies[j]].va>> :
                 j \in {i \in 1..Len(DiffPolicies) : s[DiffPolicies[i]].va # ModelVa(r, i)}} :
             r \in Rows(k)}

Init == grp \in 1..DiffGroups /\ chunk = 0 /\ bad = {}

Next ==
    /\ chunk = 0
    /\ chunk' \in {k \in 1..NChunks : ((k - 1) % DiffGroups) + 1 = grp}
    /\ bad' = Bad(chunk')
    /\ UNCHANGED grp

NoMismatch == bad = {}
=============================================================================
