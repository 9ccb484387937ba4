"""Operations: one function per user action, over storage and the core.

The command line (Typer, and the fast path of ``session start/stop/status``)
parses arguments and prints; everything between lives here, so both front
ends behave the same by construction.
"""
