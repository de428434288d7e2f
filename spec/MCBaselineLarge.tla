---------------------------- MODULE MCBaselineLarge ----------------------------
\* Manual model of policy baseline on the large universe (bounds in LargeUniverse.tla).
EXTENDS LargeUniverse

MCPolicy == "baseline"
=============================================================================
