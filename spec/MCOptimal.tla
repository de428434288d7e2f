------------------------------ MODULE MCOptimal ------------------------------
\* CI model of policy optimal on the CI universe (bounds in CIUniverse.tla).
EXTENDS CIUniverse

MCPolicy == "optimal"
=============================================================================
