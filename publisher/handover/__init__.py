"""The handover: every published dataset of the local catalogue, with its data,
descriptor, DCAT metadata, audit record and run history, in one bundle with a
checksummed manifest (a directory or an s3:// address), and its verification."""

from publisher.handover.build import HandoverResult, write_handover
from publisher.handover.verify import Problem, VerifyResult, verify_bundle

__all__ = ["HandoverResult", "Problem", "VerifyResult", "verify_bundle", "write_handover"]
