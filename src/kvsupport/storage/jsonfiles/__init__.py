"""The local JSON ledger: the embedded default, one consultant's ledger on disk."""
