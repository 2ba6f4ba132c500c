"""Imported by the scan pool's fork server (publisher.detect.pool) before it forks
workers, so that each starts with the name lists and the kinds' tables loaded."""

from publisher.detect.pool import warm_up

warm_up()
