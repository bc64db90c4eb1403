from pydantic_settings import SettingsConfigDict

from zorgtoezicht.settings import ServiceSettings


class ToezichtSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="TOEZICHT_", extra="ignore")

    port: int = 8102
    public_url: str = "http://localhost:8102"
