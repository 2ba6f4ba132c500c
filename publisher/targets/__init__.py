"""Catalogue targets, one module each, in a registry (publisher.targets.base):
local (the embedded catalogue), ckan."""

from publisher.targets.base import Target, make_target, targets

__all__ = ["Target", "make_target", "targets"]
