"""The audit log: who read or changed what, in one hash chain keyed by the master key."""
