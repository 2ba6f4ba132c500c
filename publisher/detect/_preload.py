"""Imported by the scan pool's fork server (publisher.detect.pool) before it forks
workers, so that each starts with the name lists and the kinds' tables loaded, and
frozen for the garbage collector: the server only forks, so what it loaded stays as
it is, and a worker's collections need never walk it (publisher.detect.pool.
_fork_frozen)."""

import gc

from publisher.detect.pool import warm_up

warm_up()
gc.freeze()
