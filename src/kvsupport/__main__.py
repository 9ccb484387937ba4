"""``python -m kvsupport``."""

from kvsupport.cli.entry import main

main()
