"""The local catalogue: what was published, its versions and files."""

from publisher.catalog.store import CatalogEntry, CatalogStore, DatasetRecord, NewVersion

__all__ = ["CatalogEntry", "CatalogStore", "DatasetRecord", "NewVersion"]
