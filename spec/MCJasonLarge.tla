---------------------------- MODULE MCJasonLarge ----------------------------
\* Manual model of policy jason on the large universe (bounds in LargeUniverse.tla).
EXTENDS LargeUniverse

MCPolicy == "jason"
=============================================================================
