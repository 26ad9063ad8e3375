"""Users, their roles and teams; sign-in with a second factor; API tokens.

Public entry points (import from the modules; this package stays import-light for Django):
- ``twofactor``: ``two_factor_required``, enrolment, ``second_factor_check``, recovery codes.
- ``tokens``: ``token_create``, ``token_revoke``, ``token_authenticate(raw) -> User | None``.
- ``services``: ``user_suspend`` (sessions and tokens end at once), ``demo_users_create``.

Error codes (AccountError):
- R110: an API token cannot carry that role (a token may only narrow its owner's role).
- R111: an API token's lifetime is outside 1 to 365 days.
- R112: two-factor enrolment out of order (already enrolled, or recovery codes before it).
"""
