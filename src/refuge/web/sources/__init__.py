"""Sources as received and their capture metadata."""
