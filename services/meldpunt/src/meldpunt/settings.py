from pydantic_settings import SettingsConfigDict

from zorgtoezicht.settings import ServiceSettings


class MeldpuntSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MELDPUNT_", extra="ignore")

    port: int = 8101
    public_url: str = "http://localhost:8101"
