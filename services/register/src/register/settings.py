from pydantic_settings import SettingsConfigDict

from zorgtoezicht.settings import ServiceSettings


class RegisterSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTER_", extra="ignore")

    port: int = 8104
    public_url: str = "http://localhost:8104"
