"""The public site: released incidents, aggregate tables and downloads, read only from the
publication store (see ``reading``). No models, no sessions, no confidential database."""
