---------------------------- MODULE MCV2Large ----------------------------
\* Manual model of policy v2 on the large universe (bounds in LargeUniverse.tla).
EXTENDS LargeUniverse

MCPolicy == "v2"
=============================================================================
