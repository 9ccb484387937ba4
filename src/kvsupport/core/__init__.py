"""The pure core: data and arithmetic, no files, no clock, no terminal."""
