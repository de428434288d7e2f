---------------------------- MODULE MCOptimalLarge ----------------------------
\* Manual model of policy optimal on the large universe (bounds in LargeUniverse.tla).
EXTENDS LargeUniverse

MCPolicy == "optimal"
=============================================================================
