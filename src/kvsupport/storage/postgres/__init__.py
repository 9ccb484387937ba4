"""The shared PostgreSQL ledger of a support line (SPEC §9), behind the same commands.

Only :mod:`.store` imports psycopg, and only a ``postgresql://`` ledger imports it:
the file ledger's commands pay nothing for this backend.
"""
