"""Import of 12345 exports (filled in a later slice)."""
