"""Privacy and licence rules: one class per file, one registry, the policy loader."""
