"""Reference documentation generated from the code, so that it cannot drift:
the step and rule parameters in the JSON Schemas of pipelines and policies
(schemas/pipeline.schema.json, schemas/policies/policy.schema.json), the step
and rule catalogues (docs/steps.md, docs/RULES.md) and the settings
(docs/settings.md), and what `publisher steps`, `publisher rules` and
`publisher policy show` print.

`python -m publisher.reference` writes the generated files of a checkout;
`--check` says which are stale (the tests do the same).
"""
