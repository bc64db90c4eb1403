"""The Kubernetes manifests under deploy/k8s/ (issue 11, acceptance 2), checked offline.

- The overlay resolves: every file a kustomization names exists and every patch targets a resource of the
  base (rendered by ``zorgtoezicht.testing.kustomize``, no kustomize binary needed).
- Base and overlay pass ``kubernetes-validate --strict`` for a current Kubernetes version (its exit code and
  one "passed" line per resource).
- Every variable a service reads without a default, and those it needs in a cluster, is set in its
  Deployments and Job; the list comes from the settings classes (fields, env prefixes, aliases), and every
  variable set is one a settings class reads, with a value its field accepts.
- Pods are non-root with a read-only root filesystem; APIs have probes, a Service, a PDB and an HPA.
- Broken copies fail each check, so none of them passes vacuously.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any

import pytest
import yaml
from pydantic import TypeAdapter
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings

from zorgtoezicht.persoonsgegevens import PersoonsgegevensSettings
from zorgtoezicht.settings import PlatformSettings, ServiceSettings
from zorgtoezicht.testing import node_tools
from zorgtoezicht.testing.kustomize import KustomizeError, containers, kustomization_file, pod_spec, render

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
BASE = K8S / "base"
OVERLAY = K8S / "overlays" / "example"
SERVICES = ("meldpunt", "toezicht", "handhaving", "register")
# the newest Kubernetes release whose schemas kubernetes-validate bundles (1.37.0 at the time of writing)
KUBERNETES_VERSION = "1.37.0"
ROLE_ARGS = {"migrate": ["migrate"], "api": ["api", "--host", "0.0.0.0"], "worker": ["worker", "--host", "0.0.0.0"]}

# What a process needs in a cluster beyond the fields without a default: field names per settings class.
# The environment names are derived from the classes (prefix, aliases), not written here.
CLUSTER_FIELDS: dict[type[BaseSettings], set[str]] = {
    ServiceSettings: {"database_url", "port", "public_url"},
    PlatformSettings: {"kafka_bootstrap_servers", "cursor_sleutel"},
    PersoonsgegevensSettings: {"sleutels", "actieve_sleutel", "vingerafdruk_sleutel"},
}
ONE_OF: list[set[str]] = [{"auth_jwks", "auth_jwks_file"}]  # PlatformSettings: the token keys, inline or as a file


# ----------------------------------------------------------------------------------- settings → variables


def env_names(settings: type[BaseSettings], field_name: str) -> set[str]:
    """The environment variables pydantic-settings reads for one field (its aliases, or prefix + name)."""
    field = settings.model_fields[field_name]
    alias = field.validation_alias
    if alias is not None:
        choices = getattr(alias, "choices", [alias])
        return {choice.upper() for choice in choices if isinstance(choice, str)}
    return {f"{settings.model_config.get('env_prefix', '')}{field_name}".upper()}


def subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *subclasses(direct))]


def settings_classes(service: str) -> list[type[BaseSettings]]:
    """Every settings class a service's processes may read: the platform's and those of its own package."""
    importlib.import_module(f"{service}.app")
    return [
        cls
        for cls in dict.fromkeys(subclasses(BaseSettings))
        if cls is not ServiceSettings and cls.__module__.split(".")[0] in (service, "zorgtoezicht")
    ]


def loads_keyring(service: str) -> bool:
    """Whether the service's code loads the keyring for personal data (then it needs one in a cluster)."""
    source = "\n".join(path.read_text() for path in (ROOT / "services" / service / "src").rglob("*.py"))
    return "uit_instellingen(" in source or "PersoonsgegevensSettings" in source


def known_variables(service: str) -> dict[str, tuple[type[BaseSettings], FieldInfo]]:
    known = {}
    for settings in settings_classes(service):
        for name, field in settings.model_fields.items():
            for env in env_names(settings, name):
                known[env] = (settings, field)
    return known


def required_variables(service: str, role: str) -> list[set[str]]:
    """Per need, the variables of which one must be set (most needs have exactly one name)."""
    needs: list[set[str]] = []
    for settings in settings_classes(service):
        for name, field in settings.model_fields.items():
            if field.is_required():
                needs.append(env_names(settings, name))
        if role == "migrate":  # alembic needs the database URL only (the required fields above)
            continue
        if settings is PersoonsgegevensSettings and not loads_keyring(service):
            continue
        for owner, fields in CLUSTER_FIELDS.items():
            if issubclass(settings, owner):
                needs.extend(env_names(settings, name) for name in sorted(fields))
        for group in ONE_OF:
            if group <= set(settings.model_fields):
                needs.append(set().union(*(env_names(settings, name) for name in group)))
    return needs


# ----------------------------------------------------------------------------------- manifest checks


def by_id(documents: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in documents}


def container_env(container: dict[str, Any], documents: list[dict[str, Any]]) -> tuple[dict[str, str | None], list[str]]:
    """The variables a container gets (a literal value, or None for a secret) and any dangling reference."""
    resources = by_id(documents)
    env: dict[str, str | None] = {}
    problems = []
    for source in container.get("envFrom", []):
        if "configMapRef" not in source:
            problems.append(f"{container['name']}: envFrom other than a ConfigMap hides which variables are set: {source}")
            continue
        config = resources.get(("ConfigMap", source["configMapRef"]["name"]))
        if config is None:
            problems.append(f"{container['name']}: envFrom names ConfigMap {source['configMapRef']['name']}, which does not exist")
            continue
        env.update(config.get("data", {}))
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = item["value"]
        elif "configMapKeyRef" in item.get("valueFrom", {}):
            ref = item["valueFrom"]["configMapKeyRef"]
            data = resources.get(("ConfigMap", ref["name"]), {}).get("data", {})
            if ref["key"] not in data:
                problems.append(f"{container['name']}: {item['name']} refers to a missing ConfigMap key {ref['name']}/{ref['key']}")
            env[item["name"]] = data.get(ref["key"])
        elif "secretKeyRef" in item.get("valueFrom", {}):
            env[item["name"]] = None  # created by the operator: the name is checked, the value cannot be
        else:
            problems.append(f"{container['name']}: {item['name']} has no value this check understands")
    return env, problems


def workloads(documents: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """(service, role) → the Deployment or Job, by the app.kubernetes.io labels."""
    found = {}
    for doc in documents:
        if pod_spec(doc) is not None:
            labels = doc["spec"]["template"]["metadata"]["labels"]
            found[(labels["app.kubernetes.io/name"], labels["app.kubernetes.io/component"])] = doc
    return found


def variable_problems(documents: list[dict[str, Any]]) -> list[str]:
    problems = []
    found = workloads(documents)
    for service in SERVICES:
        known = known_variables(service)
        for role in ROLE_ARGS:
            workload = found.get((service, role))
            if workload is None:
                problems.append(f"{service}: no {role} workload")
                continue
            (container,) = pod_spec(workload)["containers"]
            checks = [(f"{service}-{role}", container, role)]
            # the wait for the migrations reads the database as the migration does
            checks += [(f"{service}-{role}/{init['name']}", init, "migrate") for init in pod_spec(workload).get("initContainers", [])]
            for where, checked, needs_of in checks:
                problems.extend(container_variable_problems(service, where, checked, needs_of, known, documents))
    return problems


def container_variable_problems(
    service: str,
    where: str,
    container: dict[str, Any],
    role: str,
    known: dict[str, tuple[type[BaseSettings], FieldInfo]],
    documents: list[dict[str, Any]],
) -> list[str]:
    env, dangling = container_env(container, documents)
    problems = [f"{where}: {p}" for p in dangling]
    for need in required_variables(service, role):
        if not need & set(env):
            problems.append(f"{where}: {' or '.join(sorted(need))} is not set")
    for name, value in env.items():
        if name not in known:
            problems.append(f"{where}: {name} is set but no settings class of {service} reads it")
        elif value is not None:
            problems.extend(f"{where}: {name}={value!r}: {e}" for e in value_errors(*known[name], value))
    return problems


def value_errors(settings: type[BaseSettings], field: FieldInfo, value: str) -> list[str]:
    """Whether a field accepts the text as pydantic-settings would parse it (JSON for lists and dicts)."""
    # the type and its constraints (pattern, ge, …), without the aliases that only mean something on a model
    adapter = TypeAdapter(Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation)
    complex_type = any(typing.get_origin(t) in (list, dict) for t in (field.annotation, *typing.get_args(field.annotation)))
    try:
        adapter.validate_json(value) if complex_type else adapter.validate_python(value)
    except Exception as error:  # noqa: BLE001 - the message is the finding
        return [str(error).splitlines()[0]]
    return []


def security_problems(documents: list[dict[str, Any]]) -> list[str]:
    problems = []
    for doc in documents:
        spec = pod_spec(doc)
        if spec is None:
            continue
        where = f"{doc['kind']}/{doc['metadata']['name']}"
        pod = spec.get("securityContext", {})
        if pod.get("runAsNonRoot") is not True:
            problems.append(f"{where}: runAsNonRoot is not true")
        if pod.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            problems.append(f"{where}: no RuntimeDefault seccomp profile")
        for container in containers(doc):
            context = container.get("securityContext", {})
            if context.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{where}/{container['name']}: the root filesystem is writable")
            if context.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{where}/{container['name']}: privilege escalation is allowed")
            if context.get("capabilities", {}).get("drop") != ["ALL"]:
                problems.append(f"{where}/{container['name']}: capabilities are not all dropped")
            if not any(m["mountPath"] == "/tmp" for m in container.get("volumeMounts", [])):
                problems.append(f"{where}/{container['name']}: no writable /tmp under the read-only root")
            resources = container.get("resources", {})
            for kind in ("requests", "limits"):
                if set(resources.get(kind, {})) != {"cpu", "memory"}:
                    problems.append(f"{where}/{container['name']}: {kind} lack cpu or memory")
    return problems


def matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def probe_problems(name: str, container: dict[str, Any]) -> list[str]:
    ports = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
    problems = []
    for probe, path in (("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready")):
        http = container.get(probe, {}).get("httpGet", {})
        if http.get("path") != path or http.get("port") not in ports:
            problems.append(f"{name}: {probe} is not an HTTP GET of {path} on a declared port")
    return problems


def api_problems(documents: list[dict[str, Any]]) -> list[str]:
    """Per service: the real commands, and for the API probes, a Service, a PodDisruptionBudget and an HPA."""
    problems = []
    found = workloads(documents)
    resources = by_id(documents)
    for service in SERVICES:
        for role, args in ROLE_ARGS.items():
            workload = found.get((service, role))
            if workload is None:
                problems.append(f"{service}: no {role} workload")
                continue
            (container,) = pod_spec(workload)["containers"]
            if container.get("args") != args or "command" in container:
                runs = f"{container.get('command')} {container.get('args')}"
                problems.append(f"{service}-{role}: runs {runs}, not the image's entrypoint with {args}")
            if not re.search(rf"(^|/)zorgtoezicht/{service}(:|@|$)", container["image"]):
                problems.append(f"{service}-{role}: image {container['image']} is not {service}'s")
            if role != "migrate":
                waits = [
                    init
                    for init in pod_spec(workload).get("initContainers", [])
                    if init.get("args") == ["migrate", "--wait"] and init["image"] == container["image"]
                ]
                if not waits:
                    problems.append(f"{service}-{role}: starts without waiting for the migrations (migrate --wait, same image)")
        worker = found.get((service, "worker"))
        if worker is not None:  # the worker serves /metrics and /health/* on <SERVICE>_WORKER_PORT (API port + 1000)
            (container,) = pod_spec(worker)["containers"]
            problems += probe_problems(f"{service}-worker", container)
            env, _ = container_env(container, documents)
            worker_port = env.get(f"{service.upper()}_WORKER_PORT") or str(int(env.get(f"{service.upper()}_PORT", "0")) + 1000)
            if worker_port not in {str(p["containerPort"]) for p in container.get("ports", [])}:
                problems.append(f"{service}-worker: serves on port {worker_port}, which it does not declare")
        api = found.get((service, "api"))
        if api is None:
            continue
        (container,) = pod_spec(api)["containers"]
        ports = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
        problems += probe_problems(f"{service}-api", container)
        env, _ = container_env(container, documents)
        port = env.get(f"{service.upper()}_PORT")
        if port != str(ports.get("http")):
            problems.append(f"{service}-api: listens on {service.upper()}_PORT={port}, declares port {ports.get('http')}")
        pod_labels = api["spec"]["template"]["metadata"]["labels"]
        service_resource = resources.get(("Service", service))
        if service_resource is None or not matches(service_resource["spec"]["selector"], pod_labels):
            problems.append(f"{service}: no Service selects the API pods")
        elif any(p["targetPort"] not in ports for p in service_resource["spec"]["ports"]):
            problems.append(f"{service}: the Service targets a port the API does not declare")
        pdbs = [d for d in documents if d["kind"] == "PodDisruptionBudget" and matches(d["spec"]["selector"]["matchLabels"], pod_labels)]
        if not pdbs:
            problems.append(f"{service}: no PodDisruptionBudget covers the API pods")
        name = api["metadata"]["name"]
        hpas = [d for d in documents if d["kind"] == "HorizontalPodAutoscaler" and d["spec"]["scaleTargetRef"]["name"] == name]
        if not hpas:
            problems.append(f"{service}: no HorizontalPodAutoscaler scales the API")
        elif "replicas" in api["spec"]:
            problems.append(f"{service}: the API Deployment sets replicas, which every apply would force on the autoscaler")
        elif pdbs and "minAvailable" in pdbs[0]["spec"] and pdbs[0]["spec"]["minAvailable"] >= hpas[0]["spec"]["minReplicas"]:
            problems.append(f"{service}: the PodDisruptionBudget would block every drain")
    return problems


def kustomization_problems(folder: Path) -> list[str]:
    """Every file a kustomization names exists, and every patch targets a resource of what it builds on."""
    try:
        render(folder)
    except KustomizeError as error:
        return [str(error)]
    return []


# ----------------------------------------------------------------------------------- kubernetes-validate


def kubernetes_validate(path: Path) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec("kubernetes_validate") is None:
        node_tools.missing("kubernetes-validate is not installed (the root dev group of pyproject.toml): run `make setup`")
    return subprocess.run(
        [sys.executable, "-m", "kubernetes_validate", "--strict", "-k", KUBERNETES_VERSION, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def write_documents(path: Path, documents: list[dict[str, Any]]) -> Path:
    path.write_text(yaml.safe_dump_all(documents, sort_keys=False))
    return path


def copy_tree(tmp_path: Path) -> Path:
    target = tmp_path / "k8s"
    shutil.copytree(K8S, target)
    return target


# ----------------------------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def base() -> list[dict[str, Any]]:
    return render(BASE)


@pytest.fixture(scope="module")
def overlay() -> list[dict[str, Any]]:
    return render(OVERLAY)


def test_the_overlay_resolves_and_its_patches_target_the_base(overlay, base):
    assert kustomization_problems(OVERLAY) == []
    spec = yaml.safe_load(kustomization_file(OVERLAY).read_text())
    for entry in [*spec["resources"], *(p["path"] for p in spec["patches"])]:
        assert (OVERLAY / entry).exists(), entry
    base_ids = set(by_id(base))
    for patch in spec["patches"]:
        (document,) = yaml.safe_load_all((OVERLAY / patch["path"]).read_text())
        assert (document["kind"], document["metadata"]["name"]) in base_ids, patch["path"]
    # what the overlay changes, worked out from its own files
    rendered = by_id(overlay)
    assert set(rendered) == base_ids | {("Namespace", "zorgtoezicht-example")}
    assert all(doc["metadata"]["namespace"] == "zorgtoezicht-example" for doc in overlay if doc["kind"] != "Namespace")
    for service in SERVICES:
        for container in (c for doc in overlay for c in containers(doc) if f"/{service}" in c["image"]):
            assert container["image"] == f"registry.example.nl/zorgtoezicht/{service}:2026.12.0"
        config = rendered[("ConfigMap", f"{service}-config")]["data"]
        assert config[f"{service.upper()}_PUBLIC_URL"] == f"https://api.zorgtoezicht.example.nl/{service}"
        assert config[f"{service.upper()}_PORT"] == by_id(base)[("ConfigMap", f"{service}-config")]["data"][f"{service.upper()}_PORT"]
    assert rendered[("ConfigMap", "zorgtoezicht-platform")]["data"]["KAFKA_BOOTSTRAP_SERVERS"].startswith("kafka-0.kafka.example.nl:9092")
    assert rendered[("HorizontalPodAutoscaler", "meldpunt-api")]["spec"]["maxReplicas"] == 10
    assert rendered[("HorizontalPodAutoscaler", "meldpunt-api")]["spec"]["metrics"]  # merged, not replaced
    assert rendered[("Deployment", "meldpunt-worker")]["spec"]["replicas"] == 2


@pytest.mark.parametrize("which", ["base", "overlay"])
def test_the_manifests_pass_kubernetes_validate_strict(which, base, overlay, tmp_path):
    documents = base if which == "base" else overlay
    result = kubernetes_validate(write_documents(tmp_path / f"{which}.yaml", documents))
    assert result.returncode == 0, result.stdout + result.stderr
    passed = re.findall(rf"passed for resource \S+ against version {KUBERNETES_VERSION.rsplit('.', 1)[0]}", result.stdout)
    assert len(passed) == len(documents), result.stdout + result.stderr


@pytest.mark.parametrize("which", ["base", "overlay"])
def test_every_variable_a_service_reads_is_set(which, base, overlay):
    assert variable_problems(base if which == "base" else overlay) == []


def test_the_variables_needed_come_from_the_settings_classes():
    # worked out by hand from the settings modules, to catch a derivation that finds nothing
    needs = required_variables("meldpunt", "api")
    for name in ("MELDPUNT_DATABASE_URL", "MELDPUNT_PORT", "MELDPUNT_PUBLIC_URL", "ZT_CURSOR_SLEUTEL", "ZT_PERSOONSGEGEVENS_SLEUTELS"):
        assert {name} in needs
    assert {"KAFKA_BOOTSTRAP_SERVERS", "ZT_KAFKA_BOOTSTRAP_SERVERS"} in needs
    assert {"ZT_AUTH_JWKS", "ZT_AUTH_JWKS_FILE"} in needs
    assert required_variables("register", "migrate") == [{"REGISTER_DATABASE_URL"}]
    assert not any("PERSOONSGEGEVENS" in name for need in required_variables("toezicht", "worker") for name in need)
    assert "REGISTER_REGEL_CLIENTENRAAD_DREMPEL" in known_variables("register")  # register/rules.py's Drempels
    assert "REGISTER_REGEL_CLIENTENRAAD_DREMPEL" not in known_variables("meldpunt")


@pytest.mark.parametrize("which", ["base", "overlay"])
def test_pods_are_non_root_with_a_read_only_root_and_limits(which, base, overlay):
    assert security_problems(base if which == "base" else overlay) == []


@pytest.mark.parametrize("which", ["base", "overlay"])
def test_each_service_has_its_migration_api_and_worker(which, base, overlay):
    assert api_problems(base if which == "base" else overlay) == []


def run_command(monkeypatch: pytest.MonkeyPatch, service: str, args: list[str]) -> str:
    """What ``python -m <service> <args>`` would start, by the runner's own parsing and dispatch (nothing runs)."""
    from zorgtoezicht import runner

    started: list[str] = []

    def run(coroutine: Any) -> None:
        arguments = coroutine.cr_frame.f_locals  # bound, not yet run
        flags = [name for name in ("relay", "consumers") if arguments.get(name)]
        started.append(" ".join([coroutine.cr_code.co_name, *flags]))
        coroutine.close()

    monkeypatch.setattr(runner, "configure_logging", lambda level: None)
    monkeypatch.setattr(runner, "upgrade", lambda *a, **k: started.append("upgrade"))
    monkeypatch.setattr(runner, "wait_for_head", lambda *a, **k: started.append("wait_for_head"))
    monkeypatch.setattr(runner, "asyncio", SimpleNamespace(run=run))
    monkeypatch.setenv(f"{service.upper()}_DATABASE_URL", "postgresql://unused/unused")
    runner.service_main(service, args)
    (what,) = started
    return what


def test_the_manifests_match_the_images_and_the_runner(base, monkeypatch):
    """The user, port and entrypoint the manifests rely on are those of the Dockerfiles, and each command the
    manifests give starts what it should by the runner's own parser (an unknown option would exit 2)."""
    expected = {
        ("migrate",): "upgrade",
        ("migrate", "--wait"): "wait_for_head",
        ("api", "--host", "0.0.0.0"): "_serve_api",
        ("worker", "--host", "0.0.0.0"): "_serve_worker relay consumers",
    }
    found = workloads(base)
    for service in SERVICES:
        dockerfile = (ROOT / "services" / service / "Dockerfile").read_text()
        assert f'ENTRYPOINT ["python", "-m", "{service}"]' in dockerfile  # so the manifests give args, not a command
        uid = int(re.search(r"useradd[^\n]*--uid (\d+)", dockerfile).group(1))
        (port,) = re.findall(r"^EXPOSE (\d+)$", dockerfile, re.MULTILINE)
        for role in ROLE_ARGS:
            assert pod_spec(found[(service, role)])["securityContext"]["runAsUser"] == uid
            for container in containers(found[(service, role)]):
                assert run_command(monkeypatch, service, container["args"]) == expected[tuple(container["args"])]
        (api,) = pod_spec(found[(service, "api")])["containers"]
        assert [p["containerPort"] for p in api["ports"]] == [int(port)]
    with pytest.raises(SystemExit) as parsed:  # the check can fail: a misspelt option
        run_command(monkeypatch, "register", ["migrate", "--wiat"])
    assert parsed.value.code == 2


def test_the_renderer_matches_kustomize_when_kubectl_is_present(overlay, base):
    """A cross-check of the Python renderer against the real kustomize (kubectl kustomize). Optional: the
    acceptance checks above do not need it, so a machine without kubectl skips it even under REQUIRE_TOOLS."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed: the renderer is not compared with kustomize")
    for folder, ours in ((BASE, base), (OVERLAY, overlay)):
        result = subprocess.run([kubectl, "kustomize", str(folder)], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert by_id(list(yaml.safe_load_all(result.stdout))) == by_id(ours)


# ----------------------------------------------------------------------------------- the checks can fail


def test_a_misspelt_field_fails_kubernetes_validate(tmp_path):
    tree = copy_tree(tmp_path)
    api = tree / "base" / "meldpunt" / "api.yaml"
    api.write_text(api.read_text().replace("readinessProbe:", "readinesProbe:", 1))
    result = kubernetes_validate(write_documents(tmp_path / "broken.yaml", render(tree / "overlays" / "example")))
    assert result.returncode != 0
    assert "readinesProbe" in result.stdout + result.stderr


def test_a_wrong_type_fails_kubernetes_validate(tmp_path, base):
    broken = copy.deepcopy(base)
    hpa = next(doc for doc in broken if doc["kind"] == "HorizontalPodAutoscaler")
    hpa["spec"]["maxReplicas"] = "six"
    assert kubernetes_validate(write_documents(tmp_path / "broken.yaml", broken)).returncode != 0


def test_a_patch_against_a_missing_resource_fails(tmp_path):
    tree = copy_tree(tmp_path)
    patch = tree / "overlays" / "example" / "patches" / "meldpunt-api-hpa.yaml"
    patch.write_text(patch.read_text().replace("name: meldpunt-api", "name: meldpunt-apj"))
    (problem,) = kustomization_problems(tree / "overlays" / "example")
    assert "meldpunt-apj" in problem and "do not hold" in problem


def test_a_missing_file_named_in_a_kustomization_fails(tmp_path):
    tree = copy_tree(tmp_path)
    (tree / "base" / "register" / "worker.yaml").unlink()
    (problem,) = kustomization_problems(tree / "overlays" / "example")
    assert "register/worker.yaml" in problem and "does not exist" in problem
    tree = copy_tree(tmp_path / "again")
    (tree / "overlays" / "example" / "patches" / "toezicht-config.yaml").unlink()
    (problem,) = kustomization_problems(tree / "overlays" / "example")
    assert "toezicht-config.yaml" in problem


def test_an_unset_misspelt_or_invalid_variable_fails(overlay):
    broken = copy.deepcopy(overlay)
    meldpunt_api = by_id(broken)[("Deployment", "meldpunt-api")]
    env = pod_spec(meldpunt_api)["containers"][0]["env"]
    env[:] = [item for item in env if item["name"] != "MELDPUNT_DATABASE_URL"]
    by_id(broken)[("ConfigMap", "register-config")]["data"]["REGISTER_PUBLC_URL"] = "https://x"
    by_id(broken)[("ConfigMap", "zorgtoezicht-platform")]["data"]["ZT_OIN"] = "123"
    del by_id(broken)[("ConfigMap", "toezicht-config")]["data"]["TOEZICHT_PORT"]
    (wait,) = pod_spec(by_id(broken)[("Deployment", "register-worker")])["initContainers"]
    wait["env"] = []
    problems = variable_problems(broken)
    assert "meldpunt-api: MELDPUNT_DATABASE_URL is not set" in problems
    assert any(p.startswith("register-api: REGISTER_PUBLC_URL is set but no settings class") for p in problems)
    assert any(p.startswith("handhaving-worker: ZT_OIN='123'") for p in problems)
    assert "toezicht-worker: TOEZICHT_PORT is not set" in problems
    assert "toezicht-migrate: TOEZICHT_PORT is not set" not in problems  # a migration needs the database only
    assert "register-worker/wait-for-migrations: REGISTER_DATABASE_URL is not set" in problems


def test_a_writable_root_missing_probe_or_forced_replicas_fails(overlay):
    broken = copy.deepcopy(overlay)
    resources = by_id(broken)
    worker = pod_spec(resources[("Deployment", "handhaving-worker")])["containers"][0]
    worker["securityContext"]["readOnlyRootFilesystem"] = False
    del pod_spec(resources[("Job", "register-migrate")])["securityContext"]["runAsNonRoot"]
    api = pod_spec(resources[("Deployment", "toezicht-api")])["containers"][0]
    api["readinessProbe"]["httpGet"]["path"] = "/health/live"
    resources[("Deployment", "meldpunt-api")]["spec"]["replicas"] = 3
    resources[("Service", "register")]["spec"]["selector"]["app.kubernetes.io/component"] = "worker"
    del pod_spec(resources[("Deployment", "handhaving-api")])["initContainers"]
    del pod_spec(resources[("Deployment", "register-worker")])["containers"][0]["livenessProbe"]
    pod_spec(resources[("Deployment", "toezicht-worker")])["containers"][0]["ports"][0]["containerPort"] = 8102
    assert sorted(security_problems(broken)) == [
        "Deployment/handhaving-worker/worker: the root filesystem is writable",
        "Job/register-migrate: runAsNonRoot is not true",
    ]
    assert sorted(api_problems(broken)) == sorted(
        [
            "toezicht-api: readinessProbe is not an HTTP GET of /health/ready on a declared port",
            "meldpunt: the API Deployment sets replicas, which every apply would force on the autoscaler",
            "register: no Service selects the API pods",
            "handhaving-api: starts without waiting for the migrations (migrate --wait, same image)",
            "register-worker: livenessProbe is not an HTTP GET of /health/live on a declared port",
            "toezicht-worker: serves on port 9102, which it does not declare",
        ]
    )


def test_the_renderer_refuses_what_it_does_not_support(tmp_path):
    tree = copy_tree(tmp_path)
    kustomization = tree / "overlays" / "example" / "kustomization.yaml"
    spec = yaml.safe_load(kustomization.read_text())
    spec["configMapGenerator"] = [{"name": "x", "literals": ["a=b"]}]
    kustomization.write_text(json.dumps(spec))
    (problem,) = kustomization_problems(tree / "overlays" / "example")
    assert "configMapGenerator" in problem


def test_a_missing_kubernetes_validate_fails_under_require_tools(monkeypatch, tmp_path):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "kubernetes_validate" else real_find_spec(name, *a))
    monkeypatch.setattr(node_tools, "SKIPPED", [])  # this skip is staged: keep it out of the run's summary
    monkeypatch.setenv("REQUIRE_TOOLS", "1")
    with pytest.raises(pytest.fail.Exception, match="REQUIRE_TOOLS=1 but kubernetes-validate is not installed"):
        kubernetes_validate(tmp_path / "unused.yaml")
    monkeypatch.setenv("REQUIRE_TOOLS", "0")
    with pytest.raises(pytest.skip.Exception):
        kubernetes_validate(tmp_path / "unused.yaml")
