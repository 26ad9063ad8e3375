"""The disclosure policy: the one place that decides who sees what."""
