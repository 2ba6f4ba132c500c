"""Runs on a Dask cluster (setting `cluster`, `--cluster`): the same pipelines, with
the heavy passes over a resource's rows done by the workers.

The workers read the files themselves (CSV byte ranges, publisher.cluster.parts);
the client gets partial results and combines them so that findings, row numbers
and published bytes are those of the single-process run. Without the setting
nothing here is imported.
"""
