"""Configuration from the environment (pydantic-settings).

``PlatformSettings`` (prefix ``ZT_``, plus the plain ``KAFKA_BOOTSTRAP_SERVERS``) is shared by all
services; each service's own ``ServiceSettings`` subclass has its own prefix (``REGISTER_``, …).
"""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class PlatformSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZT_", extra="ignore")

    kafka_bootstrap_servers: str | None = Field(
        None,
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "ZT_KAFKA_BOOTSTRAP_SERVERS"),
        description="Kafka brokers (host:port,…); unset means the in-process bus of embedded mode",
    )
    oin: str = Field("00000001234567890000", pattern=r"^\d{20}$", description="OIN of the inspectorate, in event source URNs")
    auth_issuer: str = Field("https://auth.zorgtoezicht.local", description="Expected iss of client tokens")
    auth_audience: str = Field("zorgtoezicht", min_length=1, description="Expected aud of client tokens (always checked)")
    auth_max_levensduur: int = Field(3600, ge=60, description="Longest lifetime (exp − iat, in seconds) of a client token")
    auth_jwks: str | None = Field(None, description="JWKS document (JSON) with the token verification keys")
    auth_jwks_file: str | None = Field(None, description="Path of a JWKS file, when ZT_AUTH_JWKS is unset")
    log_level: str = "INFO"
    contact_name: str = "Zorgtoezicht API beheer"
    contact_url: str = "https://zorgtoezicht.example.nl/ontwikkelaars"
    contact_email: str = "api@zorgtoezicht.example.nl"
    topic_partitions: int = Field(3, ge=1, description="Partitions of topics the services create")
    topic_prefix: str = Field(
        "", pattern=r"^[a-z0-9.-]*$", description="Prefix of every Kafka topic and consumer group (e.g. 'acc.' to share a cluster)"
    )
    tracing: bool = Field(
        False, description="Carry the W3C traceparent through requests, events and Kafka headers (OpenTelemetry; zorgtoezicht.tracing)"
    )
    cursor_sleutel: SecretStr | None = Field(
        None,
        min_length=32,
        description="Key that signs page cursors (32+ random characters, the same for every replica); a dev key when ZT_DEV_SLEUTELS=1",
    )

    def contact(self) -> dict[str, str]:
        return {"name": self.contact_name, "url": self.contact_url, "email": self.contact_email}


class ServiceSettings(BaseSettings):
    """Subclass per service with ``model_config = SettingsConfigDict(env_prefix="<NAME>_")``."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str = Field(description="postgresql:// URL of this service's own database")
    port: int = Field(8100, description="HTTP port of the API")
    public_url: str = Field("http://localhost:8100", description="Base URL partners use to reach this service")
    db_pool_size: int = Field(10, ge=1)
    worker_port: int | None = Field(
        None,
        ge=0,
        le=65535,
        description="HTTP port of a relay/consumers/worker process (/metrics, /health/live, /health/ready); "
        "unset: the API port + 1000; 0: none",
    )

    def worker_http_port(self) -> int:
        return self.port + 1000 if self.worker_port is None else self.worker_port
