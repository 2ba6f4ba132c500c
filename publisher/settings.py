"""Typed settings: CLI flags override environment variables (PUBLISHER_*),
which override a TOML config file (./publisher.toml or $PUBLISHER_CONFIG).

The embedded default (local catalogue in ./.publisher) needs no configuration.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from publisher.errors import SpecError


def _config_file() -> Path:
    return Path(os.environ.get("PUBLISHER_CONFIG", "publisher.toml"))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PUBLISHER_", extra="ignore")

    home: Path = Field(default=Path(".publisher"),
                       description="Where the embedded catalogue, files and run journals live.")
    allow_remote: bool = Field(default=False,
                               description="Allow resources given as remote URLs.")
    pseudonym_key: SecretStr | None = Field(default=None,
                                            description="Key for keyed pseudonymisation.")

    @property
    def catalog_dir(self) -> Path:
        return self.home / "catalog"

    @property
    def runs_dir(self) -> Path:
        return self.home / "runs"

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
