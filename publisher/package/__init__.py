"""Load and describe data packages; safe path and URL handling; geodata readers."""
