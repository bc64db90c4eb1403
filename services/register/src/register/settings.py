from pydantic import Field
from pydantic_settings import SettingsConfigDict

from zorgtoezicht.settings import ServiceSettings


class RegisterSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTER_", extra="ignore")

    port: int = 8104
    public_url: str = "http://localhost:8104"
    cibg_client_ids: list[str] = Field(["cibg"], description="Client ids that may deliver Wtza meldingen and licence decisions")
    wijzigingen_vertraging: float = Field(
        2.0, ge=0, description="Seconds a changes-feed window must lie in the past, so no running transaction can still add to it"
    )
