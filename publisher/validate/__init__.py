"""Table Schema and geometry validation of a loaded package."""
