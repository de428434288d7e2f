------------------------------ MODULE MCJason ------------------------------
\* CI model of policy jason on the CI universe (bounds in CIUniverse.tla).
EXTENDS CIUniverse

MCPolicy == "jason"
=============================================================================
