"""Storage: the only code that knows how files are laid out on disk."""
