"""The AsyncAPI document: generated from the catalogue, committed, valid, and true to real events."""

from __future__ import annotations

import copy
import difflib
import json
import os
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT7

from zorgtoezicht import klok
from zorgtoezicht.events.asyncapi import (
    build_asyncapi,
    channel_id,
    dead_letter_channel_id,
    main,
    message_id,
    producing_service,
    render,
)
from zorgtoezicht.events.envelope import CONTENT_TYPE, EventData, EventFactory, Topic, catalogue, dead_letter_topic
from zorgtoezicht.testing import node_tools

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "asyncapi.json"
REGENERATE = "uv run python -m zorgtoezicht.events.asyncapi docs/asyncapi.json"
DOCUMENT_URI = "urn:zorgtoezicht:asyncapi"
OIN = "00000001234567890000"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build_asyncapi()


@pytest.fixture(scope="module")
def registry(document: dict[str, Any]) -> Registry:
    return Registry().with_resource(DOCUMENT_URI, DRAFT7.create_resource(document))


def validator(registry: Registry, pointer: str) -> Draft7Validator:
    """A validator for the schema at ``pointer`` in the document (AsyncAPI schemas are draft-07 based)."""
    return Draft7Validator({"$ref": f"{DOCUMENT_URI}#{pointer}"}, registry=registry, format_checker=FormatChecker())


def errors(registry: Registry, pointer: str, instance: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator(registry, pointer).iter_errors(instance)]


# -- (a) the committed document is the generated one -------------------------------------------


def test_committed_document_is_up_to_date() -> None:
    expected = render()
    if not COMMITTED.exists():
        pytest.fail(f"{COMMITTED.relative_to(ROOT)} is missing: run `{REGENERATE}`")
    actual = COMMITTED.read_text(encoding="utf-8")
    if actual != expected:
        diff = list(difflib.unified_diff(actual.splitlines(), expected.splitlines(), "committed", "generated", lineterm=""))
        shown = "\n".join(diff[:80]) + ("\n…" if len(diff) > 80 else "")
        pytest.fail(f"docs/asyncapi.json differs from the event catalogue: run `{REGENERATE}`\n{shown}")


def test_main_writes_the_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "asyncapi.json"
    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render()
    assert main([]) == 0
    assert capsys.readouterr().out == render()


def test_output_is_deterministic() -> None:
    # Two builds in one process share its string hash seed, so they cannot differ by set order: build in
    # processes with different seeds and compare those with this one's.
    def rendered(seed: str) -> str:
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        return subprocess.run(
            [sys.executable, "-m", "zorgtoezicht.events.asyncapi"],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
            encoding="utf-8",
        ).stdout

    assert rendered("1") == rendered("2") == render()


# -- (b) every contract has its message, channel and send operation ----------------------------


def test_document_header(document: dict[str, Any]) -> None:
    assert document["asyncapi"] == "3.0.0"
    assert document["info"]["title"] == "Zorgtoezicht events"
    assert document["info"]["version"] == "1.0.0"
    assert "dataref" in document["info"]["description"]
    assert document["defaultContentType"] == CONTENT_TYPE
    assert {server["protocol"] for server in document["servers"].values()} == {"kafka"}


def test_every_topic_and_dead_letter_topic_has_a_channel(document: dict[str, Any]) -> None:
    channels = document["channels"]
    for topic in Topic:
        assert channels[channel_id(topic)]["address"] == topic.value
        dlq = channels[dead_letter_channel_id(topic)]
        assert dlq["address"] == dead_letter_topic(topic.value)
        [reference] = dlq["messages"].values()
        dead_letter = resolve(document, reference["$ref"])
        headers = dead_letter["headers"]["properties"]
        for header in ("dlq-error", "dlq-consumer", "dlq-source-topic", "dlq-source-partition", "dlq-source-offset", "dlq-failed-at"):
            assert header in headers and header in dead_letter["headers"]["required"]
    assert len(channels) == 2 * len(Topic)


@pytest.mark.parametrize("event_type", list(catalogue()))
def test_every_catalogue_type_is_a_message_on_its_topic(document: dict[str, Any], event_type: str) -> None:
    contract = catalogue()[event_type]
    mid = message_id(contract)
    message = document["components"]["messages"][mid]
    assert message["summary"] == contract.summary
    assert message["contentType"] == CONTENT_TYPE
    assert message["payload"]["properties"]["type"]["const"] == event_type
    assert message["bindings"]["kafka"]["key"]["type"] == "string"
    assert message["headers"]["properties"]["content-type"]["const"] == CONTENT_TYPE

    channel = document["channels"][channel_id(contract.topic)]
    assert channel["address"] == contract.topic.value
    assert channel["messages"][mid] == {"$ref": f"#/components/messages/{mid}"}

    sends = [
        operation
        for operation in document["operations"].values()
        if operation["action"] == "send" and {"$ref": f"#/channels/{channel_id(contract.topic)}/messages/{mid}"} in operation["messages"]
    ]
    assert len(sends) == 1, f"{event_type}: expected one send operation, found {len(sends)}"
    assert sends[0]["channel"] == {"$ref": f"#/channels/{channel_id(contract.topic)}"}
    assert sends[0]["tags"] == [{"name": producing_service(contract)}]


def test_no_message_without_a_contract(document: dict[str, Any]) -> None:
    events = {mid for mid in document["components"]["messages"] if not mid.endswith(".dlq")}
    assert events == {message_id(contract) for contract in catalogue().values()}


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    for reference in references(document):
        resolve(document, reference)


# -- (c) real events validate against their message schemas -----------------------------------


def sample(schema: dict[str, Any], definitions: dict[str, Any], *, full: bool, where: str) -> Any:
    """Valid data for a pydantic JSON schema: only required properties, or (``full``) all of them."""
    if "$ref" in schema:
        return sample(definitions[schema["$ref"].rsplit("/", 1)[-1]], definitions, full=full, where=where)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][-1 if full else 0]
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in schema:
            options = [option for option in schema[combinator] if option.get("type") != "null"]
            return sample(options[0], definitions, full=full, where=where)
    if "examples" in schema:
        return schema["examples"][0]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        chosen = properties if full else {name: properties[name] for name in schema.get("required", [])}
        return {name: sample(sub, definitions, full=full, where=f"{where}.{name}") for name, sub in chosen.items()}
    if kind == "array":
        count = max(schema.get("minItems", 0), 2 if full else 0)
        return [sample(schema.get("items", {}), definitions, full=full, where=f"{where}[]") for _ in range(count)]
    if kind == "string":
        by_format = {
            "uuid": str(uuid.uuid4()),
            "date": "2025-03-14",
            "date-time": "2025-03-14T09:26:53.589793+00:00",
            "email": "info@example.nl",
            "uri": "https://example.nl/x",
        }
        if "format" in schema:
            return by_format[schema["format"]]
        if "pattern" in schema:
            pytest.fail(f"cannot make a sample for {where} (pattern {schema['pattern']}): give the type an example")
        return "x" * max(schema.get("minLength", 1), 1)
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", -1) + 1)
        return low + (3 if full else 0) if "maximum" not in schema else schema["maximum"]
    if kind == "boolean":
        return True
    pytest.fail(f"cannot make a sample for {where}: unsupported schema {schema}")


def real_events(contract: type[EventData]) -> list[dict[str, Any]]:
    """CloudEvents as the producer's outbox writes them, one minimal and one with every field."""
    schema = contract.model_json_schema(by_alias=True)
    definitions = schema.get("$defs", {})
    service = producing_service(contract)
    factory = EventFactory(oin=OIN, system=service, api_base_url=f"https://{service}.zorgtoezicht.example.nl/api/v1")
    events = []
    for full in (False, True):
        data = contract.model_validate(sample(schema, definitions, full=full, where=contract.__name__))
        event = factory.build(data, correlation_id=str(uuid.uuid4()) if full else None)
        events.append(json.loads(event.to_bytes()))
    return events


@pytest.mark.parametrize("event_type", list(catalogue()))
def test_real_events_validate_against_their_message(document: dict[str, Any], registry: Registry, event_type: str) -> None:
    contract = catalogue()[event_type]
    pointer = f"/components/messages/{message_id(contract)}"
    for event in real_events(contract):
        assert errors(registry, f"{pointer}/payload", event) == [], json.dumps(event, indent=2)
        assert errors(registry, f"{pointer}/headers", {"content-type": CONTENT_TYPE}) == []
        assert errors(registry, f"{pointer}/bindings/kafka/key", event["subject"]) == []


@pytest.mark.parametrize("event_type", list(catalogue()))
def test_the_bulk_producers_json_is_the_envelopes_to_the_byte(event_type: str) -> None:
    # EventFactory.build_json skips the envelope model; its bytes must be those of the model's to_bytes.
    contract = catalogue()[event_type]
    schema = contract.model_json_schema(by_alias=True)
    factory = EventFactory(oin=OIN, system="register", api_base_url="https://register.zorgtoezicht.example.nl/api/v1/")
    for full in (False, True):
        data = contract.model_validate(sample(schema, schema.get("$defs", {}), full=full, where=contract.__name__))
        correlation_id, event_id = (str(uuid.uuid4()) if full else None), str(uuid.uuid4())
        with klok.gebruik(klok.VasteKlok(datetime(2026, 3, 29, 1, 30, 0, 120, tzinfo=ZoneInfo("Europe/Amsterdam")))):
            expected = factory.build(data, correlation_id=correlation_id).model_copy(update={"id": event_id}).to_bytes()
            assert factory.build_json(data, event_id=event_id, correlation_id=correlation_id) == expected


@pytest.mark.parametrize("event_type", list(catalogue()))
def test_message_schema_rejects_wrong_events(registry: Registry, event_type: str) -> None:
    contract = catalogue()[event_type]
    pointer = f"/components/messages/{message_id(contract)}/payload"
    event = real_events(contract)[0]
    other_types = [other for other in catalogue() if other != event_type] or [event_type + ".v2"]
    required_data = contract.model_json_schema(by_alias=True)["required"]
    mutations = {
        "another type": lambda e: e.update(type=other_types[0]),
        "another producer": lambda e: e.update(source=e["source"].rsplit(":", 1)[0] + ":someone-else"),
        "no dataref": lambda e: e.pop("dataref"),
        "a dataref to another resource": lambda e: e.update(dataref=e["dataref"] + "/elsewhere"),
        "a missing data field": lambda e: e["data"].pop(required_data[0]),
        "an unknown data field": lambda e: e["data"].update(bsn="999990019"),
        "a non-CloudEvents attribute name": lambda e: e.update(correlationId="x"),
    }
    for name, mutate in mutations.items():
        wrong = copy.deepcopy(event)
        mutate(wrong)
        assert errors(registry, pointer, wrong), f"{event_type}: an event with {name} passed the schema"


@pytest.mark.parametrize("topic", list(Topic))
def test_dead_letters_validate(document: dict[str, Any], registry: Registry, topic: Topic) -> None:
    [reference] = document["channels"][dead_letter_channel_id(topic)]["messages"].values()
    pointer = reference["$ref"].removeprefix("#")
    headers = {
        "content-type": CONTENT_TYPE,
        "dlq-error": "ValidationError: 1 validation error",
        "dlq-consumer": "toezicht.meldingen",
        "dlq-source-topic": topic.value,
        "dlq-source-partition": "2",
        "dlq-source-offset": "1234",
        "dlq-failed-at": "2025-03-14T09:26:53.589793+00:00",
    }
    assert errors(registry, f"{pointer}/headers", headers) == []
    assert errors(registry, f"{pointer}/headers", {k: v for k, v in headers.items() if k != "dlq-error"})
    for contract in (c for c in catalogue().values() if c.topic == topic):
        for event in real_events(contract):
            assert errors(registry, f"{pointer}/payload", event) == []


# -- (d) the official AsyncAPI parser accepts the document -------------------------------------


def test_official_asyncapi_parser_accepts_the_document(tmp_path: Path) -> None:
    """Exit code and output both checked (node_tools.asyncapi_validate): a crashed CLI fails, never passes."""
    cli = node_tools.node_tool("asyncapi")
    spec = tmp_path / "asyncapi.json"
    spec.write_text(render(), encoding="utf-8")
    valid, report = node_tools.asyncapi_validate(cli, spec, tmp_path)
    assert valid, report


def test_official_asyncapi_parser_rejects_a_broken_document(tmp_path: Path) -> None:
    """Guard against a validation that passes everything: a document without info and channels is refused."""
    cli = node_tools.node_tool("asyncapi")
    spec = tmp_path / "broken.json"
    spec.write_text(json.dumps({"asyncapi": "3.0.0", "operations": {"x": {"action": "send"}}}), encoding="utf-8")
    valid, report = node_tools.asyncapi_validate(cli, spec, tmp_path)
    assert not valid, report


# -- helpers ------------------------------------------------------------------------------------


def references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in references(value)]
    return []


def resolve(document: dict[str, Any], reference: str) -> Any:
    assert reference.startswith("#/"), f"only local references expected, got {reference}"
    node: Any = document
    for part in reference[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, f"unresolved reference {reference}"
        node = node[part]
    return node
