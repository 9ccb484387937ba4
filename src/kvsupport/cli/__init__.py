"""The command line: parse at the edge, call an operation, print."""
