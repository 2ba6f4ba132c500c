"""Runs on a Dask cluster (setting `cluster`, `--cluster`): the same pipelines, with
the heavy passes over a resource's rows done by the workers.

The workers read the files themselves (CSV byte ranges, publisher.cluster.parts);
the client gets partial results and combines them so that findings, row numbers
and published bytes are those of the single-process run. The rules and steps do
not know the cluster: they are handed a publisher.passes.Passes, which
`passes_for` makes from the setting. Without the setting nothing else here is
imported.
"""

from __future__ import annotations

from publisher.passes import IN_PROCESS, Passes


def passes_for(address: str | None) -> Passes:
    """Where the passes over rows run: on the workers of the cluster at `address`
    (publisher.cluster.passes.ClusterPasses), or without one in this process."""
    if not address:
        return IN_PROCESS
    from publisher.cluster.passes import ClusterPasses

    return ClusterPasses(address)
