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
    dubbel_venster_dagen: int = Field(
        7,
        ge=0,
        description="Meldingen of one kind about one vestiging within this many days of each other are linked as possible duplicates",
    )
    intake_groep_max: int = Field(
        64,
        ge=1,
        le=500,
        description="At most this many meldingen submitted at the same moment are "
        "written in one transaction (group commit); 1: one transaction each",
    )
    intake_schrijvers: int = Field(
        1,
        ge=1,
        le=16,
        description="Intake transactions in flight at once per API process; with 1, "
        "repetition counts and duplicate links are exact within the process",
    )
    toezichtarrangementen: list[str] = Field(
        default_factory=list, description="Zorgaanbieder ids with a toezichtarrangement op maat (aggregate follow-up)"
    )
    ziekenhuizen: list[str] = Field(default_factory=list, description="Zorgaanbieder ids that are hospitals (board reflection)")
    register_url: str = Field("http://localhost:8104", description="register's base URL, to find candidates for a loosely named provider")
    register_token: SecretStr | None = Field(None, description="meldpunt's bearer token for register (scope register.zorgaanbieders.lezen)")
