------------------------------ MODULE MCBaseline ------------------------------
\* CI model of policy baseline on the CI universe (bounds in CIUniverse.tla).
EXTENDS CIUniverse

MCPolicy == "baseline"
=============================================================================
