"""Site pages: sign-in, home, shared templates and static files."""
