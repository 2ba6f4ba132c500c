"""The official DCAT-AP.de 3.0 validation files, each pinned by the address it is
published at and its SHA-256.

Publishers, at the commits the GovData validation profile for DCAT-AP.de 3.0 names:

- GovData's validator (GovDataOfficial/DCAT-AP.de-SHACL-Validation, commit 0715dd63):
  the DCAT-AP.de 3.0 shapes (validator/resources/v3.0/shapes), the DCAT-AP.de licence
  and contributor lists it validates against, and its mirrors of FOAF, ORG and vCard;
- the German DCAT-AP initiative's copy of the SEMIC DCAT-AP 3.0.0 shapes
  (init-dcat-ap-de/DCAT-AP, releases/3.0.0/shacl, commit 7600adb9), which GovData's
  profile imports.

Each file lands in the conformance directory under `local` (shapes/ or vocabularies/).
"""

from __future__ import annotations

from dataclasses import dataclass

GITHUB_RAW = "https://raw.githubusercontent.com/"
GOVDATA = "GovDataOfficial/DCAT-AP.de-SHACL-Validation/0715dd6382b418db144325082d60a989e7ecd262"
INIT_DCAT_AP_DE = "init-dcat-ap-de/DCAT-AP/7600adb91abd4d724625de3325f856806065da73"


@dataclass(frozen=True)
class PinnedFile:
    local: str  # relative to the conformance directory
    source: str  # <owner>/<repository>/<commit>/<path>, below GITHUB_RAW or a mirror
    sha256: str
    bytes: int

    def url(self, base: str = GITHUB_RAW) -> str:
        return base.rstrip("/") + "/" + self.source


def _govdata(local: str, path: str, sha256: str, size: int) -> PinnedFile:
    return PinnedFile(local, f"{GOVDATA}/validator/resources/{path}", sha256, size)


# The union of the shapes files (but the imports list) is the DCAT-AP.de 3.0 profile.
SHAPES = ("dcat-ap-3.0.0-SHACL.ttl", "dcat-ap-SHACL-DE.ttl", "dcat-ap-spec-german-additions.ttl",
          "dcat-ap-de-deprecated.ttl", "dcat-ap-de-controlledvocabularies.ttl")

FILES: tuple[PinnedFile, ...] = (
    PinnedFile("shapes/dcat-ap-3.0.0-SHACL.ttl",
               f"{INIT_DCAT_AP_DE}/releases/3.0.0/shacl/dcat-ap-SHACL.ttl",
               "92f76609d78d257123e75bc6b7155df5cc0a63f14c29fbc12b0ac95c56af2059", 178717),
    _govdata("shapes/dcat-ap-SHACL-DE.ttl", "v3.0/shapes/dcat-ap-SHACL-DE.ttl",
             "f37caba134234963a0555b05ae84c26163b5493a366b154a2b5688320d67f7a0", 88743),
    _govdata("shapes/dcat-ap-spec-german-additions.ttl",
             "v3.0/shapes/dcat-ap-spec-german-additions.ttl",
             "86a51b5eef5df4e6ea80e2cf33e4375ee61af2bb955fb80808975d90088765f6", 10406),
    _govdata("shapes/dcat-ap-de-deprecated.ttl", "v3.0/shapes/dcat-ap-de-deprecated.ttl",
             "236c038de933af7b3fe7fff0e58d483b44f42ec2b74ede5d56775ac5f324d61c", 4677),
    _govdata("shapes/dcat-ap-de-controlledvocabularies.ttl",
             "v3.0/shapes/dcat-ap-de-controlledvocabularies.ttl",
             "5a83bf7d17f60598f8959062c74c536b7659972eee370e425817bd063efe49e8", 16033),
    _govdata("shapes/dcat-ap-de-imports.ttl", "v3.0/shapes/dcat-ap-de-imports.ttl",
             "83a171feda8438e9661445ae167a70a7318422a99ba2294c0829a00abcb9e77c", 3581),
    _govdata("vocabularies/dcat-ap-de-contributors.rdf",
             "dashboard-live/shapes/dcat-ap-de-contributors.rdf",
             "3e15654a80ce6fc2cbb7e7031d6b926755f604fa40078590d1a6460ba9dc207e", 64747),
    _govdata("vocabularies/dcat-ap-de-licenses-open.rdf",
             "dashboard-live/shapes/dcat-ap-de-licenses-open.rdf",
             "5504312ec933beb597ff703cc95864fdd31e35e1dbc1d0554a028c27c0cef351", 43135),
    _govdata("vocabularies/foaf_0_1.rdf", "mirror/foaf_0_1.rdf",
             "3d859b5d92a2c3d041545d014fa826f682ca06d056af8c7b31e32d930abf2bc5", 44209),
    _govdata("vocabularies/org.ttl", "mirror/org.ttl",
             "903975a53b3613f9aa34ff9e4f6975d8a0b43d47941f717032548276cb1cd317", 84164),
    _govdata("vocabularies/vcard.ttl", "mirror/vcard.ttl",
             "0802aca2eaf7f8b66225044439d83d6e7438789e7d8cb8cea0b4bb5afe612a5b", 37034),
)

VOCABULARIES = tuple(f.local for f in FILES if f.local.startswith("vocabularies/"))
