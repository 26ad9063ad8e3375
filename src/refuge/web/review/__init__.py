"""Review: a person accepts, edits or rejects what the extractor proposed, and builds incidents."""
