"""Publishing: versioned, immutable, atomically swapped mart files and the catalog."""
