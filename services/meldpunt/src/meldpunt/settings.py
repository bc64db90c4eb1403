from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from zorgtoezicht.settings import ServiceSettings


class Partner(BaseModel):
    """What a partner's client may see: a Wmo-toezichthouder only the meldingen of its own gemeenten."""

    gemeenten: list[str] = Field(default_factory=list, description="CBS codes, e.g. GM0363")


class MeldpuntSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MELDPUNT_", extra="ignore")

    port: int = 8101
    public_url: str = "http://localhost:8101"
    partners: dict[str, Partner] = Field(
        default_factory=dict, description='Per client id: {"ggd-amsterdam": {"gemeenten": ["GM0363", "GM0362"]}}'
    )
    dubbel_venster_dagen: int = Field(7, ge=0, description="Meldingen of one kind about one vestiging within this many days of "
                                                            "each other are linked as possible duplicates")
    toezichtarrangementen: list[str] = Field(default_factory=list,
                                             description="Zorgaanbieder ids with a toezichtarrangement op maat (aggregate follow-up)")
    ziekenhuizen: list[str] = Field(default_factory=list, description="Zorgaanbieder ids that are hospitals (board reflection)")
    register_url: str = Field("http://localhost:8104", description="register's base URL, to find candidates for a loosely named provider")
    register_token: SecretStr | None = Field(None, description="meldpunt's bearer token for register (scope register.zorgaanbieders.lezen)")
