"""No tables yet: embargoes, consents and releases come with the publishing work."""
