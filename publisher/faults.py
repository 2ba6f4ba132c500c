"""Test hook for fault injection, with no effect unless its variable is set.

PUBLISHER_FAULT_KILL_AT=<stage>[#<n>][,<stage>[#<n>]...] makes the process kill
itself with SIGKILL the n-th time (default: the first) it reaches STAGE. The
fault tests (tests/targets/test_kill_*.py) run a publish in a subprocess with
it, then run again and check that the catalogue and the bucket converge.
Nothing in normal operation sets it; `stage` names are listed in STAGES.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

ENV = "PUBLISHER_FAULT_KILL_AT"

STAGES = frozenset({
    # local target
    "local-files-written",     # the version's files are in its temporary directory
    "local-version-renamed",   # the version directory is in place, its row not yet written
    "local-rows-written",      # rows inserted, transaction not yet committed
    # storage
    "storage-object-stored",   # one object is complete in the storage (local or S3)
    "s3-part-uploaded",        # one part of a multipart upload is on the server
    # CKAN target
    "ckan-files-uploaded",     # every new file is in S3, CKAN not yet told
    "ckan-dataset-created",    # package_create answered (without S3: private and empty)
    "ckan-dataset-revised",    # the one package_revise (fields and resources) answered
    "ckan-published",          # CKAN holds the intended state; orphans not yet swept
})

_reached: Counter[str] = Counter()


def reached(stage: str) -> None:
    """Mark STAGE; kill this process here if PUBLISHER_FAULT_KILL_AT asks for it."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    _reached[stage] += 1
    for item in wanted.split(","):
        name, _, nth = item.strip().partition("#")
        if name == stage and _reached[stage] == int(nth or 1):
            os.kill(os.getpid(), signal.SIGKILL)
