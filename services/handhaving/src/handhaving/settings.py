from pydantic_settings import SettingsConfigDict

from zorgtoezicht.settings import ServiceSettings


class HandhavingSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="HANDHAVING_", extra="ignore")

    port: int = 8103
    public_url: str = "http://localhost:8103"
