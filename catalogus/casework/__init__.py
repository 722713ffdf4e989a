"""Casework: the only place catalogus keeps personal data.

The database layer (``db``), staff accounts and sessions (``accounts``), referrals and
their access log (``referrals``), contact details (``contact``), shared rate limits
(``ratelimit``) and periodic jobs (``jobs``). Nothing here imports the web layer.
"""
