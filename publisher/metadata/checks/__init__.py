"""The project's own checks of DCAT-AP.de 3.0: one module per entity (dataset,
distribution, contact point, agent, licence, ...), one registry (base.py).

They read a DCAT-AP.de graph (as publisher.metadata.dcat_ap_de writes it, or as a
handover bundle holds it) and yield findings that name the pipeline field to fill.
They were derived from the official shapes (DCAT-AP 3.0.0, GovData's DCAT-AP.de 3.0
profile) and the DCAT-AP.de specification, and run when those shapes are not there;
checks the shapes do not make (recommended properties, GovData's delivery
conventions) run beside the shapes as well. publisher.metadata.conformance runs them.
"""
