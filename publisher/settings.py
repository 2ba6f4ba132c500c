"""Typed settings: CLI flags override environment variables (PUBLISHER_*),
which override a TOML config file (./publisher.toml or $PUBLISHER_CONFIG).

The embedded default (local catalogue in ./.publisher) needs no configuration.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from publisher.errors import SpecError
from publisher.limits import Limits


def _config_file() -> Path:
    return Path(os.environ.get("PUBLISHER_CONFIG", "publisher.toml"))


class Settings(BaseSettings, Limits):
    """Every setting; the limits on input (publisher.limits.Limits) among them."""

    model_config = SettingsConfigDict(env_prefix="PUBLISHER_", extra="ignore")

    home: Path = Field(default=Path(".publisher"),
                       description="Where the embedded catalogue, files and run journals live.")
    allow_remote: bool = Field(
        default=False,
        description="`validate` and `check`: allow resources at remote URLs (from the hosts "
                    "in remote_hosts) unless --no-allow-remote is given; a pipeline allows "
                    "them with its own `allow_remote`.")
    remote_hosts: list[str] = Field(
        default_factory=list,
        description="Hosts remote resources may come from (exact names, or *.example.org "
                    "for subdomains); a pipeline's remote_hosts adds to them. Private and "
                    "loopback addresses are refused whatever this says.")
    pseudonym_key: SecretStr | None = Field(default=None,
                                            description="Key for keyed pseudonymisation.")
    public_url: str = Field(default="http://127.0.0.1:8000",
                            description="Public base URL of the API: stable dataset URIs "
                                        "and DCAT links are built from it.")
    steward_token_hash: SecretStr | None = Field(
        default=None, description="SHA-256 (hex) of the steward API token; without it the "
                                  "steward endpoints refuse every request.")
    session_secret: SecretStr | None = Field(
        default=None, description="Key that signs the steward console's session cookies; "
                                  "without it each server process makes its own (sessions "
                                  "end when it restarts and are not shared between workers).")
    catalog_title: str = Field(default="Offene Daten",
                               description="Title of the DCAT catalogue the API serves.")
    catalog_publisher: str = Field(default="Open-Data-Stelle",
                                   description="Publisher named on the DCAT catalogue.")
    tombstone_days: int = Field(default=90, ge=1,
                                description="How long deleted datasets stay as tombstones "
                                            "in the DCAT catalogue.")
    harvest_max_pages: int = Field(default=10_000, ge=1,
                                   description="Pages of a paged DCAT catalogue (hydra:next) a "
                                               "harvest follows at most; a page left unread "
                                               "is reported and nothing is deleted.")
    pipelines_dir: Path = Field(default=Path("pipelines"),
                                description="Pipelines the steward API may run.")
    max_upload_mb: int = Field(default=512, ge=1,
                               description="Largest package the steward API accepts.")
    api_rate_per_second: float = Field(default=20.0, ge=0,
                                       description="Requests per second each client address "
                                                   "may make to the API (0: no limit).")
    api_rate_burst: int = Field(default=600, ge=1,
                                description="Requests a client address may make at once "
                                            "before the rate limit applies.")
    # CKAN target and S3 storage (names match deploy/local's stack.env)
    ckan_url: str | None = Field(default=None, description="CKAN site for `type: ckan` targets.")
    ckan_api_key: SecretStr | None = Field(default=None, description="CKAN API token.")
    s3_endpoint: str | None = Field(default=None, description="S3 endpoint URL (None: AWS).")
    s3_access_key: SecretStr | None = Field(default=None, description="S3 access key id.")
    s3_secret_key: SecretStr | None = Field(default=None, description="S3 secret key.")
    s3_bucket: str | None = Field(default=None, description="S3 bucket for published files.")
    s3_region: str | None = Field(default=None, description="S3 region.")
    s3_public_url: str | None = Field(default=None,
                                      description="Public base URL of the bucket; default "
                                                  "<endpoint>/<bucket>.")
    cluster: str | None = Field(
        default=None, pattern=r"^(tcp|tls)://[^\s/]+:\d+$",
        description="Address of a Dask scheduler (tcp://host:8786) whose workers run, over "
                    "byte ranges of the CSV files (read at the same path), the identifier "
                    "scan and the counting rules (k-anonymity, residual uniqueness, "
                    "dominance) of `check` and of a run's check stage, and grid-aggregate's "
                    "counts; the findings and published bytes are the same. Unset: "
                    "everything runs in this process.")
    scan_processes: int = Field(
        default=0, ge=0,
        description="Processes that scan text columns for identifiers in `check` and a "
                    "run's check stages, where a batch holds many distinct texts (0: one "
                    "per core; 1: all in this process). The findings are the same whatever "
                    "the number.")
    # DCAT-AP.de conformance material (publisher/conformance)
    conformance_dir: Path | None = Field(
        default=None,
        description="Where the official DCAT-AP.de SHACL shapes and vocabularies are "
                    "(shapes/ and vocabularies/, as `publisher conformance fetch` writes them); "
                    "default <home>/conformance. Without them the project's own checks of "
                    "DCAT-AP.de 3.0 run instead.")
    conformance_mirror: str | None = Field(
        default=None, pattern=r"^https?://",
        description="Base URL that stands in for https://raw.githubusercontent.com/ when "
                    "`publisher conformance fetch` downloads the official files (a mirror "
                    "laid out like it: <mirror>/<owner>/<repository>/<commit>/<path>).")

    @field_validator("conformance_dir", "conformance_mirror", "cluster", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        return None if value == "" else value

    def limits(self) -> Limits:
        """The limits on input these settings give."""
        return Limits(**{name: getattr(self, name) for name in Limits.model_fields})

    @property
    def catalog_dir(self) -> Path:
        return self.home / "catalog"

    @property
    def inbox_dir(self) -> Path:
        return self.home / "inbox"

    @property
    def runs_dir(self) -> Path:
        return self.home / "runs"

    @property
    def conformance_path(self) -> Path:
        return self.conformance_dir or self.home / "conformance"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_config_file())
        return (init_settings, env_settings, toml)


def load_settings(**overrides: Any) -> Settings:
    """Settings from flags (non-None overrides), environment and config file."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise SpecError(f"invalid settings: {problems}",
                        hint="check PUBLISHER_* variables and publisher.toml") from None
