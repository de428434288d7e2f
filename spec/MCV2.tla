------------------------------ MODULE MCV2 ------------------------------
\* CI model of policy v2 on the CI universe (bounds in CIUniverse.tla).
EXTENDS CIUniverse

MCPolicy == "v2"
=============================================================================
