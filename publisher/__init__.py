"""publisher: validate, anonymise and publish municipal open data packages."""

__version__ = "0.1.0"
