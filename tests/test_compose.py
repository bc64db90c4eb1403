"""The container deployment: docker-compose.yml, the service Dockerfiles and the PostgreSQL init script.

No Docker engine runs here, so the compose file is checked for its structure (with YAML anchors and
merge keys resolved by ``yaml.safe_load`` and ``${VAR:-default}`` replaced by its default), the
Dockerfiles are parsed, and the init script is run against a real (embedded) PostgreSQL server.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import hmac
import json
import os
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
INIT_DIR = ROOT / "deploy" / "postgres" / "init"
INIT_SCRIPT = INIT_DIR / "01-databases.sh"

SERVICES = {"meldpunt": 8101, "toezicht": 8102, "handhaving": 8103, "register": 8104}
ROLES = ("migrate", "api", "worker")
RUNNER_COMMANDS = {"migrate", "api", "relay", "consumers", "worker"}

_VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?-)(?P<default>[^}]*))?\}")


def interpolate(value: Any) -> Any:
    """Compose variable substitution with every variable unset: ``${X:-d}`` becomes ``d``."""
    if isinstance(value, str):

        def replace(match: re.Match[str]) -> str:
            if match.group("op") is None:
                raise AssertionError(f"{match.group(0)} has no default: the compose file needs it set")
            return match.group("default")

        return _VARIABLE.sub(replace, value.replace("$$", "\0")).replace("\0", "$")
    if isinstance(value, list):
        return [interpolate(item) for item in value]
    if isinstance(value, dict):
        return {key: interpolate(item) for key, item in value.items()}
    return value


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def depends_on(service: dict[str, Any]) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: "service_started" for name in deps}
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def as_argv(value: str | list[str]) -> list[str]:
    return shlex.split(value) if isinstance(value, str) else [str(item) for item in value]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return interpolate(yaml.safe_load(COMPOSE_FILE.read_text()))


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def entry(services: dict[str, dict[str, Any]], service: str, role: str) -> dict[str, Any]:
    name = f"{service}-{role}"
    assert name in services, f"docker-compose.yml has no {name}"
    return services[name]


def database_url(services: dict[str, dict[str, Any]], service: str, role: str):
    env = environment(entry(services, service, role))
    key = f"{service.upper()}_DATABASE_URL"
    assert key in env, f"{service}-{role} has no {key}"
    return urlsplit(env[key])


# --- Dockerfiles ------------------------------------------------------------------------------------


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        keyword, _, arguments = full.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def exec_form(arguments: str) -> list[str]:
    value = json.loads(arguments)
    assert isinstance(value, list) and all(isinstance(item, str) for item in value), arguments
    return value


def copy_sources(arguments: str) -> list[str]:
    words = exec_form(arguments) if arguments.startswith("[") else shlex.split(arguments)
    if any(word.startswith("--from") for word in words):
        return []  # from another build stage or image, not from the build context
    words = [word for word in words if not word.startswith("--")]
    assert len(words) >= 2, f"COPY needs a source and a destination: {arguments}"
    return words[:-1]


def dockerignore_patterns() -> list[str]:
    path = ROOT / ".dockerignore"
    return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]


def ignored(relative: str, patterns: list[str]) -> bool:
    parts = Path(relative).parts
    prefixes = ["/".join(parts[: index + 1]) for index in range(len(parts))]
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        bare = pattern[3:] if pattern.startswith("**/") else None
        for prefix in prefixes:
            if fnmatch.fnmatchcase(prefix, pattern):
                return True
            if bare is not None and fnmatch.fnmatchcase(prefix.rsplit("/", 1)[-1], bare):
                return True
    return False


def dockerfile_of(services: dict[str, dict[str, Any]], service: str, role: str) -> Path:
    build = entry(services, service, role).get("build")
    assert isinstance(build, dict), f"{service}-{role} has no build section"
    context = (ROOT / build.get("context", ".")).resolve()
    assert context == ROOT, f"{service}-{role} must build from the repository root, not {context}"
    return context / build.get("dockerfile", "Dockerfile")


# --- the compose file -------------------------------------------------------------------------------


def test_compose_has_postgres_kafka_and_three_entries_per_service(services: dict[str, dict[str, Any]]) -> None:
    expected = {"postgres", "kafka"} | {f"{service}-{role}" for service in SERVICES for role in ROLES}
    assert expected <= set(services), f"missing: {sorted(expected - set(services))}"


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("role", ROLES)
def test_database_url_is_the_services_own_database_and_role(services: dict[str, dict[str, Any]], service: str, role: str) -> None:
    url = database_url(services, service, role)
    assert url.scheme in ("postgresql", "postgres")
    assert url.hostname == "postgres" and "postgres" in services
    assert url.port in (None, 5432)
    assert url.username == service
    assert url.path == f"/zt_{service}"
    # the password is the one the postgres container hands to the init script
    postgres_env = environment(services["postgres"])
    assert unquote(url.password or "") == postgres_env[f"{service.upper()}_DB_PASSWORD"]
    assert url.password


def test_every_service_has_a_different_database_and_role(services: dict[str, dict[str, Any]]) -> None:
    urls = [database_url(services, service, "api") for service in SERVICES]
    assert len({url.path for url in urls}) == len(SERVICES)
    assert len({url.username for url in urls}) == len(SERVICES)


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("role", ["api", "worker"])
def test_kafka_address_is_the_brokers_advertised_listener(services: dict[str, dict[str, Any]], service: str, role: str) -> None:
    kafka_env = environment(services["kafka"])
    advertised = [urlsplit(listener).netloc for listener in kafka_env["KAFKA_ADVERTISED_LISTENERS"].split(",")]
    bootstrap = environment(entry(services, service, role))["KAFKA_BOOTSTRAP_SERVERS"]
    assert bootstrap.split(",") and all(address in advertised for address in bootstrap.split(","))
    assert all(address.split(":")[0] == "kafka" for address in bootstrap.split(","))


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("role", ["api", "worker"])
def test_api_and_worker_wait_for_their_migration_and_kafka(services: dict[str, dict[str, Any]], service: str, role: str) -> None:
    deps = depends_on(entry(services, service, role))
    assert deps.get(f"{service}-migrate") == "service_completed_successfully"
    assert deps.get("kafka") == "service_healthy"
    assert services["kafka"].get("healthcheck", {}).get("test"), "kafka needs a healthcheck for service_healthy"


@pytest.mark.parametrize("service", SERVICES)
def test_migration_is_one_shot_after_postgres_is_healthy(services: dict[str, dict[str, Any]], service: str) -> None:
    migrate = entry(services, service, "migrate")
    assert depends_on(migrate).get("postgres") == "service_healthy"
    assert str(migrate.get("restart", "no")) in ("no", "False", "false")
    assert "ports" not in migrate
    test = as_argv(services["postgres"]["healthcheck"]["test"])
    assert "pg_isready" in test


@pytest.mark.parametrize("service", SERVICES)
def test_processes_run_the_services_module(services: dict[str, dict[str, Any]], service: str) -> None:
    for role in ROLES:
        dockerfile = dockerfile_of(services, service, role)
        assert dockerfile == ROOT / "services" / service / "Dockerfile"
        assert dockerfile.is_file(), f"{dockerfile} is missing"
        instructions = dockerfile_instructions(dockerfile)
        entrypoints = [exec_form(args) for keyword, args in instructions if keyword == "ENTRYPOINT"]
        assert entrypoints, f"{dockerfile} has no ENTRYPOINT"
        assert entrypoints[-1] == ["python", "-m", service]
        command = as_argv(entry(services, service, role)["command"])
        argv = entrypoints[-1] + command
        assert argv[:4] == ["python", "-m", service, role]
        assert argv[3] in RUNNER_COMMANDS


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_image(services: dict[str, dict[str, Any]], service: str) -> None:
    instructions = dockerfile_instructions(dockerfile_of(services, service, "api"))
    bases = [args for keyword, args in instructions if keyword == "FROM"]
    assert bases and bases[-1].split()[0] == "python:3.11-slim"
    users = [args for keyword, args in instructions if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "the service must not run as root"
    assert [args for keyword, args in instructions if keyword == "EXPOSE"] == [str(SERVICES[service])]
    assert [exec_form(args) for keyword, args in instructions if keyword == "CMD"][-1][0] == "api"
    runs = " ".join(args for keyword, args in instructions if keyword == "RUN")
    assert re.search(r"pip install [^&]*\buv\b", runs)
    assert re.search(rf"uv sync [^&]*--frozen[^&]*--package {service}\b", runs)


@pytest.mark.parametrize("service", SERVICES)
def test_api_port_and_healthcheck(services: dict[str, dict[str, Any]], service: str) -> None:
    port = SERVICES[service]
    api = entry(services, service, "api")
    assert [str(mapping) for mapping in api["ports"]] == [f"{port}:{port}"]
    assert environment(api)[f"{service.upper()}_PORT"] == str(port)
    command = as_argv(api["command"])
    assert command[command.index("--host") + 1] == "0.0.0.0"
    assert "--port" not in command or command[command.index("--port") + 1] == str(port)
    test = " ".join(as_argv(api["healthcheck"]["test"]))
    assert "python" in test and "urllib" in test
    assert f"127.0.0.1:{port}/health/ready" in test
    for role in ("migrate", "worker"):
        assert "ports" not in entry(services, service, role)


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("role", ROLES)
def test_token_keys_are_mounted(services: dict[str, dict[str, Any]], service: str, role: str) -> None:
    from zorgtoezicht.http.security import Authenticator

    service_entry = entry(services, service, role)
    target = environment(service_entry)["ZT_AUTH_JWKS_FILE"]
    mounts = {}
    for volume in service_entry.get("volumes", []):
        source, container, *_ = volume.split(":")
        mounts[container] = source
    assert target in mounts, f"{service}-{role}: ZT_AUTH_JWKS_FILE={target} is not mounted"
    source = (ROOT / mounts[target]).resolve()
    assert source == ROOT / "deploy" / "auth" / "jwks.example.json"
    document = json.loads(source.read_text())
    assert document["keys"], "the example JWKS has no keys"
    for key in document["keys"]:
        assert not {"d", "p", "q", "dp", "dq", "qi", "k"} & set(key), "private key material in the repository"
        assert key.get("kid")
    authenticator = Authenticator.from_settings(jwks=None, jwks_file=str(source), issuer="https://example", audience=None)
    assert set(authenticator.keys) == {key["kid"] for key in document["keys"]}


def test_kafka_is_the_official_image_in_kraft_mode(services: dict[str, dict[str, Any]]) -> None:
    kafka = services["kafka"]
    assert kafka["image"].split(":")[0] == "apache/kafka"
    env = environment(kafka)
    roles = set(env["KAFKA_PROCESS_ROLES"].split(","))
    assert roles == {"broker", "controller"}
    listeners = {urlsplit(listener).scheme.upper(): urlsplit(listener).port for listener in env["KAFKA_LISTENERS"].split(",")}
    assert listeners == {"PLAINTEXT": 9092, "CONTROLLER": 9093}
    assert env["KAFKA_CONTROLLER_LISTENER_NAMES"] == "CONTROLLER"
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{env['KAFKA_NODE_ID']}@kafka:9093"
    assert env["KAFKA_ADVERTISED_LISTENERS"] == "PLAINTEXT://kafka:9092"
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"
    assert env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] == "1"
    assert env["KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS"] == "0"
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert "kafka-broker-api-versions.sh" in " ".join(as_argv(kafka["healthcheck"]["test"]))
    assert any(volume.split(":")[1] == env["KAFKA_LOG_DIRS"] for volume in kafka.get("volumes", []))


def test_postgres_runs_the_init_scripts(services: dict[str, dict[str, Any]]) -> None:
    postgres = services["postgres"]
    assert postgres["image"] == "postgres:17"
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in postgres["volumes"]}
    assert (ROOT / mounts["/docker-entrypoint-initdb.d"]).resolve() == INIT_DIR
    assert "/var/lib/postgresql/data" in mounts


# --- the PostgreSQL init script -----------------------------------------------------------------------


def test_init_script_creates_every_database_of_the_compose_file(services: dict[str, dict[str, Any]]) -> None:
    text = INIT_SCRIPT.read_text()
    created = {(match.group(1), match.group(2)) for match in re.finditer(r"^create_service_database\s+(\S+)\s+(\S+)", text, re.MULTILINE)}
    wanted = set()
    for service_entry in services.values():
        for key, value in environment(service_entry).items():
            if key.endswith("_DATABASE_URL"):
                url = urlsplit(value)
                wanted.add((url.username, url.path.lstrip("/")))
    assert len(wanted) == len(SERVICES)
    assert wanted <= created, f"not created by {INIT_SCRIPT.name}: {sorted(wanted - created)}"
    assert os.access(INIT_SCRIPT, os.X_OK), "docker-entrypoint runs *.sh init scripts only when executable"


def scram_matches(verifier: str, password: str) -> bool:
    """Whether a ``SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey`` verifier is for ``password``."""
    method, _, rest = verifier.partition("$")
    assert method == "SCRAM-SHA-256", verifier
    parameters, keys = rest.split("$")
    iterations, salt = parameters.split(":")
    stored_key = keys.split(":")[0]
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt), int(iterations))
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    return hmac.compare_digest(hashlib.sha256(client_key).digest(), base64.b64decode(stored_key))


def test_init_script_against_postgres(tmp_path: Path, data_path: Path) -> None:
    """Run the script as the postgres image would, then check owners and CONNECT privileges."""
    from zorgtoezicht.localpg import LocalPostgres, binaries, free_port

    server = LocalPostgres(data_path / "pg" / "data", free_port(), durable=False)  # not under basetemp: see run_dir
    server.start_on_a_free_port()
    try:
        env = {
            **os.environ,
            "PATH": f"{binaries()}{os.pathsep}{os.environ.get('PATH', '')}",
            "PGHOST": "127.0.0.1",
            "PGPORT": str(server.port),
            "POSTGRES_USER": "postgres",
            "POSTGRES_DB": "postgres",
            "REGISTER_DB_PASSWORD": "it's-a secret",
        }
        result = subprocess.run(["bash", str(INIT_SCRIPT)], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert result.returncode == 0, result.stderr

        owners = dict(
            line.split("|")
            for line in server.psql(
                "SELECT d.datname, r.rolname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE d.datname LIKE 'zt\\_%'"
            ).split()
        )
        assert owners == {f"zt_{service}": service for service in SERVICES}
        for role in SERVICES:
            for database in [*(f"zt_{service}" for service in SERVICES), "postgres", "template1"]:
                allowed = server.psql(f"SELECT has_database_privilege('{role}', '{database}', 'CONNECT')").strip()
                assert allowed == ("t" if database == f"zt_{role}" else "f"), f"{role} on {database}: {allowed}"
        login = server.psql(
            "SELECT rolname FROM pg_roles WHERE rolcanlogin AND NOT rolsuper AND rolname IN "
            "('meldpunt', 'toezicht', 'handhaving', 'register') ORDER BY rolname"
        ).split()
        assert login == sorted(SERVICES)
        # passwords come from the environment (quoted safely), the local defaults otherwise
        assert scram_matches(server.psql("SELECT rolpassword FROM pg_authid WHERE rolname = 'register'").strip(), "it's-a secret")
        assert scram_matches(server.psql("SELECT rolpassword FROM pg_authid WHERE rolname = 'meldpunt'").strip(), "meldpunt")
        assert not scram_matches(server.psql("SELECT rolpassword FROM pg_authid WHERE rolname = 'toezicht'").strip(), "meldpunt")
    finally:
        server.stop()


# --- the Dockerfiles' build context ---------------------------------------------------------------------


@pytest.mark.parametrize("service", SERVICES)
def test_dockerfile_copy_sources_exist(service: str) -> None:
    dockerfile = ROOT / "services" / service / "Dockerfile"
    patterns = dockerignore_patterns()
    copied: list[str] = []
    for keyword, arguments in dockerfile_instructions(dockerfile):
        if keyword in ("COPY", "ADD"):
            for source in copy_sources(arguments):
                assert not source.startswith(("/", "..")), f"{source} is outside the build context"
                relative = source.rstrip("/") or "."
                found = list(ROOT.glob(relative)) if any(char in relative for char in "*?[") else [ROOT / relative]
                assert found and all(path.exists() for path in found), (
                    f"{dockerfile.relative_to(ROOT)}: COPY source {source} does not exist"
                )
                assert not ignored(relative, patterns), f"{source} is excluded by .dockerignore"
                copied.append(relative)
    # uv resolves the whole workspace: every member's pyproject.toml (and the lock) must be in the image
    members = [
        path.parent.relative_to(ROOT).as_posix()
        for path in [ROOT / "shared" / "pyproject.toml", *sorted(ROOT.glob("services/*/pyproject.toml"))]
    ]
    for needed in ["pyproject.toml", "uv.lock", *(f"{member}/pyproject.toml" for member in members)]:
        assert any(source in (".", needed) or needed.startswith(source + "/") for source in copied), (
            f"{dockerfile.relative_to(ROOT)} does not copy {needed}"
        )
    assert f"services/{service}" in copied and "shared" in copied


def test_dockerignore_keeps_local_state_out_of_the_build_context() -> None:
    patterns = dockerignore_patterns()
    for path in (
        ".venv/bin/python",
        ".local/x",
        ".git/HEAD",
        "shared/src/zorgtoezicht/__pycache__/x.pyc",
        "node_modules/x",
        "services/register/node_modules/x",
    ):
        assert ignored(path, patterns), f"{path} would be sent to the Docker build"
    for path in ("pyproject.toml", "uv.lock", "shared/src/zorgtoezicht/runner.py", "services/register/alembic.ini"):
        assert not ignored(path, patterns), f"{path} is excluded from the Docker build"


def _env_file(path: Path) -> dict[str, str]:
    """A compose env file: KEY=VALUE lines, '#' comments, a value in single quotes taken literally."""
    values = {}
    for line in path.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, value = line.split("=", 1)
        values[key.strip()] = value[1:-1] if value.startswith("'") and value.endswith("'") else value
    return values


@pytest.mark.parametrize("role", ROLES)
def test_meldpunt_has_a_keyring_for_personal_data(services: dict[str, dict[str, Any]], role: str) -> None:
    """Without ZT_PERSOONSGEGEVENS_* meldpunt refuses every melding (SleutelFout): compose gives it local-only keys."""
    from zorgtoezicht.persoonsgegevens import PersoonsgegevensSettings, Versleuteling

    env_file = entry(services, "meldpunt", role).get("env_file")
    assert env_file == "./deploy/persoonsgegevens/local.env"
    values = _env_file(ROOT / env_file)
    assert set(values) == {
        "ZT_PERSOONSGEGEVENS_SLEUTELS",
        "ZT_PERSOONSGEGEVENS_ACTIEVE_SLEUTEL",
        "ZT_PERSOONSGEGEVENS_VINGERAFDRUK_SLEUTEL",
    }
    instellingen = PersoonsgegevensSettings(
        sleutels=json.loads(values["ZT_PERSOONSGEGEVENS_SLEUTELS"]),
        actieve_sleutel=values["ZT_PERSOONSGEGEVENS_ACTIEVE_SLEUTEL"],
        vingerafdruk_sleutel=values["ZT_PERSOONSGEGEVENS_VINGERAFDRUK_SLEUTEL"],
    )
    versleuteling = Versleuteling.uit_instellingen(instellingen)
    blob = versleuteling.versleutel({"bsn": "111222333"}, context="melding-1")
    assert versleuteling.ontsleutel(blob, context="melding-1") == {"bsn": "111222333"}
    for service in ("toezicht", "handhaving", "register"):  # no other service holds personal data
        assert "env_file" not in entry(services, service, role)
