"""Render a kustomization without the kustomize binary: the subset ``deploy/k8s/`` uses, and no more.

Supported fields: ``resources`` (files and folders with their own kustomization), ``patches`` (a file
with one strategic-merge patch, found by kind and name), ``namespace``, ``images``, ``labels``
(``includeSelectors: false``) and ``replicas``. Anything else raises ``KustomizeError`` rather than
being ignored, so a manifest that kustomize would render differently cannot pass here unnoticed. It is
also stricter than kustomize where that catches mistakes: a patch, an ``images`` entry or a
``replicas`` entry that matches nothing is an error, as is a resource named twice.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
SUPPORTED_FIELDS = {"apiVersion", "kind", "resources", "patches", "namespace", "images", "labels", "replicas"}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume", "StorageClass"}
# strategic-merge lists merged by this key (everything else is replaced, as kustomize does for plain lists)
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "ports": "name",
}


class KustomizeError(Exception):
    pass


def kustomization_file(folder: Path) -> Path:
    for name in KUSTOMIZATION_FILES:
        if (folder / name).is_file():
            return folder / name
    raise KustomizeError(f"{folder} has no kustomization.yaml")


def load_documents(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise KustomizeError(f"{path} does not exist")
    documents = [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]
    for doc in documents:
        if not isinstance(doc, dict) or "kind" not in doc or "name" not in doc.get("metadata", {}):
            raise KustomizeError(f"{path}: every document needs a kind and metadata.name")
    return documents


def resource_id(doc: dict[str, Any]) -> tuple[str, str]:
    return doc["kind"], doc["metadata"]["name"]


def render(folder: Path) -> list[dict[str, Any]]:
    """The resources the kustomization in ``folder`` produces, as kustomize would for these fields."""
    folder = folder.resolve()
    spec = yaml.safe_load(kustomization_file(folder).read_text()) or {}
    unsupported = set(spec) - SUPPORTED_FIELDS
    if unsupported:
        raise KustomizeError(f"{folder}: fields this renderer does not support: {sorted(unsupported)}")

    documents: list[dict[str, Any]] = []
    for entry in spec.get("resources", []):
        path = folder / entry
        if path.is_dir():
            documents.extend(render(path))
        elif path.is_file():
            documents.extend(copy.deepcopy(load_documents(path)))
        else:
            raise KustomizeError(f"{folder}: resource {entry!r} does not exist")
    seen: set[tuple[str, str]] = set()
    for doc in documents:
        if resource_id(doc) in seen:
            raise KustomizeError(f"{folder}: {'/'.join(resource_id(doc))} is named twice")
        seen.add(resource_id(doc))

    for entry in spec.get("patches", []):
        documents = apply_patch(folder, entry, documents)
    for entry in spec.get("replicas", []):
        set_replicas(folder, entry, documents)
    for entry in spec.get("images", []):
        set_image(folder, entry, documents)
    for entry in spec.get("labels", []):
        add_labels(folder, entry, documents)
    if "namespace" in spec:
        for doc in documents:
            if doc["kind"] not in CLUSTER_SCOPED:
                doc["metadata"]["namespace"] = spec["namespace"]
    return documents


def apply_patch(folder: Path, entry: dict[str, Any], documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if set(entry) != {"path"}:
        raise KustomizeError(f"{folder}: only patches with a path (one strategic-merge patch per file) are supported: {entry}")
    patches = load_documents(folder / entry["path"])
    if len(patches) != 1:
        raise KustomizeError(f"{folder}: {entry['path']} holds {len(patches)} documents; one patch per file")
    patch = patches[0]
    matches = [i for i, doc in enumerate(documents) if resource_id(doc) == resource_id(patch)]
    if not matches:
        raise KustomizeError(f"{folder}: patch {entry['path']} targets {'/'.join(resource_id(patch))}, which the resources do not hold")
    index = matches[0]
    if documents[index].get("apiVersion") != patch.get("apiVersion"):
        found = documents[index].get("apiVersion")
        raise KustomizeError(f"{folder}: patch {entry['path']} has apiVersion {patch.get('apiVersion')}, the resource {found}")
    documents[index] = strategic_merge(documents[index], patch)
    return documents


def strategic_merge(base: Any, patch: Any, key: str = "") -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        if any(k.startswith("$") for k in patch):
            raise KustomizeError(f"patch directives are not supported: {sorted(k for k in patch if k.startswith('$'))}")
        merged = dict(base)
        for name, value in patch.items():
            if value is None:
                merged.pop(name, None)
            elif name in merged:
                merged[name] = strategic_merge(merged[name], value, name)
            else:
                merged[name] = copy.deepcopy(value)
        return merged
    if isinstance(base, list) and isinstance(patch, list) and key in MERGE_KEYS:
        merge_key = MERGE_KEYS[key]
        merged_list = list(base)
        for item in patch:
            position = next((i for i, old in enumerate(merged_list) if old.get(merge_key) == item.get(merge_key)), None)
            if position is None:
                merged_list.append(copy.deepcopy(item))
            else:
                merged_list[position] = strategic_merge(merged_list[position], item)
        return merged_list
    return copy.deepcopy(patch)


def pod_spec(doc: dict[str, Any]) -> dict[str, Any] | None:
    if doc["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
        return doc["spec"]["template"]["spec"]
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return None


def containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spec = pod_spec(doc)
    return [] if spec is None else [*spec.get("initContainers", []), *spec.get("containers", [])]


def image_name(image: str) -> str:
    """The image without tag or digest (a registry port's colon stays)."""
    image = image.split("@", 1)[0]
    last = image.rsplit("/", 1)[-1]
    return image[: len(image) - len(last)] + last.split(":", 1)[0]


def set_image(folder: Path, entry: dict[str, Any], documents: list[dict[str, Any]]) -> None:
    if not set(entry) <= {"name", "newName", "newTag", "digest"}:
        raise KustomizeError(f"{folder}: unsupported images entry {entry}")
    found = False
    for doc in documents:
        for container in containers(doc):
            if image_name(container["image"]) == entry["name"]:
                found = True
                name = entry.get("newName", entry["name"])
                if "digest" in entry:
                    container["image"] = f"{name}@{entry['digest']}"
                elif "newTag" in entry:
                    container["image"] = f"{name}:{entry['newTag']}"
                else:
                    container["image"] = name + container["image"][len(entry["name"]) :]
    if not found:
        raise KustomizeError(f"{folder}: images entry {entry['name']!r} matches no container")


def set_replicas(folder: Path, entry: dict[str, Any], documents: list[dict[str, Any]]) -> None:
    targets = [doc for doc in documents if doc["kind"] in ("Deployment", "StatefulSet") and doc["metadata"]["name"] == entry["name"]]
    if not targets:
        raise KustomizeError(f"{folder}: replicas entry {entry['name']!r} matches no Deployment or StatefulSet")
    for doc in targets:
        doc["spec"]["replicas"] = entry["count"]


def add_labels(folder: Path, entry: dict[str, Any], documents: list[dict[str, Any]]) -> None:
    if entry.get("includeSelectors") or not set(entry) <= {"pairs", "includeSelectors", "includeTemplates"}:
        raise KustomizeError(f"{folder}: only labels with includeSelectors: false are supported: {entry}")
    for doc in documents:
        doc["metadata"].setdefault("labels", {}).update(entry["pairs"])
        if entry.get("includeTemplates") and pod_spec(doc) is not None:
            template = doc["spec"]["jobTemplate"]["spec"]["template"] if doc["kind"] == "CronJob" else doc["spec"]["template"]
            template.setdefault("metadata", {}).setdefault("labels", {}).update(entry["pairs"])
