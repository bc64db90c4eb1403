"""The AsyncAPI 3.0 document of all Zorgtoezicht events, generated from the one catalogue.

Everything comes from ``catalogue()`` and ``Topic``: a channel per topic and per dead-letter topic,
a message per contract (its payload the whole CloudEvent envelope, ``data`` the contract's JSON
schema), and a send operation per contract, named after the producing service (the contract module:
``zorgtoezicht.events.contracts.register`` → ``register``).

The committed copy lives in ``docs/asyncapi.json``; regenerate it after changing a contract::

    uv run python -m zorgtoezicht.events.asyncapi docs/asyncapi.json

Without a path the document goes to stdout.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from zorgtoezicht.events.envelope import (
    CONTENT_TYPE,
    CloudEvent,
    EventData,
    Topic,
    catalogue,
    dead_letter_topic,
)

ASYNCAPI_VERSION = "3.0.0"
DOCUMENT_VERSION = "1.0.0"
CONTRACTS_PACKAGE = "zorgtoezicht.events.contracts"
KAFKA_BINDING_VERSION = "0.5.0"
SCHEMA_REF = "#/components/schemas/{model}"
SERVER = "kafka"
GENERIC_EVENT_SCHEMA = "CloudEvent"

DESCRIPTION = """\
Domain events of Zorgtoezicht, the supervision chain of the healthcare inspectorate, published by
the services {services}.

Every event is a CloudEvents 1.0 event in the NL GOV profile, in structured JSON mode
(`content-type: application/cloudevents+json; charset=UTF-8`). Events are information-poor by
design: `data` holds ids, codes and non-personal facts only. No personal data (no BSN, names,
free text or health details) ever travels in an event. A consumer that needs more fetches the
resource that `dataref` points to from the producer's API, with its own credentials.

One topic per aggregate kind; the record key is the aggregate id (also the CloudEvent `subject`),
so the events of one aggregate stay in order. Producers publish through a transactional outbox,
so delivery is at least once: consumers deduplicate on the CloudEvent `id`. A message a consumer
cannot handle goes to the dead-letter topic `<topic>.dlq` with the reason in its headers.
Environments sharing a cluster prefix every topic name with `ZT_TOPIC_PREFIX` (e.g. `acc.`).

Generated from the event catalogue (zorgtoezicht.events.contracts): do not edit by hand."""

DEAD_LETTER_HEADERS: dict[str, dict[str, Any]] = {
    "dlq-error": {"type": "string", "maxLength": 4000, "description": "Why the message could not be handled (at most 4000 characters)."},
    "dlq-consumer": {"type": "string", "description": "The consumer (group) that gave up on the message."},
    "dlq-source-topic": {"type": "string", "description": "The topic the message was read from."},
    "dlq-source-partition": {"type": "string", "pattern": r"^[0-9]+$", "description": "Partition of the original record (decimal)."},
    "dlq-source-offset": {"type": "string", "pattern": r"^[0-9]+$", "description": "Offset of the original record (decimal)."},
    "dlq-failed-at": {"type": "string", "format": "date-time", "description": "When the message was dead-lettered (ISO 8601, UTC)."},
}


def producing_service(contract: type[EventData]) -> str:
    """The service publishing a contract: the name of its module in the contracts package."""
    package, _, service = contract.__module__.rpartition(".")
    if package != CONTRACTS_PACKAGE or not service:
        raise ValueError(
            f"event contract {contract.__qualname__} ({contract.full_type()}) is declared in {contract.__module__}; "
            f"contracts belong in {CONTRACTS_PACKAGE}.<producing service>"
        )
    return service


def message_id(contract: type[EventData]) -> str:
    """Key of a contract's message in ``components.messages`` and its channel: the full type."""
    return contract.full_type()


def channel_id(topic: Topic) -> str:
    return topic.name


def dead_letter_channel_id(topic: Topic) -> str:
    return f"{topic.name}.dlq"


def _title(contract: type[EventData]) -> str:
    words = " ".join(contract.event_type.split(".")[1:]).replace("-", " ")
    return words[:1].upper() + words[1:]


def _escape(text: str) -> str:
    """Escape for an ECMA-262 pattern (``re.escape`` also escapes ``-``, invalid in unicode-mode JS)."""
    return re.sub(r"([\\.^$*+?()\[\]{}|])", r"\\\1", text)


def _resource_pattern(resource_path: str) -> str:
    literal, _, rest = resource_path.partition("{id}")
    return "/" + _escape(literal) + "[^/?#]+" + _escape(rest) + "$"


def _source_pattern(generic: str, service: str) -> str:
    """The envelope's source pattern with the system part narrowed to the producing service."""
    system = "[a-z0-9-]+$"
    if not generic.endswith(system):
        raise ValueError(f"unexpected CloudEvent source pattern {generic!r}: update asyncapi._source_pattern")
    return generic.removesuffix(system) + _escape(service) + "$"


def _envelope_fields() -> dict[str, Any]:
    return CloudEvent.model_json_schema()["properties"]


def _data_schemas(contracts: list[type[EventData]]) -> tuple[dict[type[EventData], dict[str, Any]], dict[str, Any]]:
    """The ``data`` schema ($ref) of each contract, and every schema they need, by name."""
    if not contracts:
        return {}, {}
    refs, definitions = models_json_schema([(contract, "validation") for contract in contracts], by_alias=True, ref_template=SCHEMA_REF)
    by_contract = {contract: refs[(contract, "validation")] for contract in contracts}
    return by_contract, dict(sorted(definitions.get("$defs", {}).items()))


def _subject_schema(contract: type[EventData]) -> dict[str, Any]:
    """The record key / subject: a string, with the format of the subject field where it has one."""
    field_schema = contract.model_json_schema(by_alias=True)["properties"].get(_alias(contract, contract.subject_field), {})
    schema: dict[str, Any] = {"type": "string"}
    for keyword in ("format", "pattern"):
        if keyword in field_schema:
            schema[keyword] = field_schema[keyword]
    return schema


def _alias(contract: type[EventData], field: str) -> str:
    info = contract.model_fields[field]
    return info.serialization_alias or info.alias or field


def envelope_schema(contract: type[EventData], data_schema: dict[str, Any]) -> dict[str, Any]:
    """JSON schema of a complete CloudEvent carrying ``contract`` as its data, as producers send it."""
    fields = _envelope_fields()
    service = producing_service(contract)
    subject_alias = _alias(contract, contract.subject_field)
    return {
        "type": "object",
        "title": contract.__name__,
        "description": f"{contract.summary} A CloudEvents 1.0 event (NL GOV profile), structured JSON mode.".strip(),
        "required": ["specversion", "id", "source", "type", "time", "subject", "datacontenttype", "dataref", "data"],
        "properties": {
            "specversion": {"type": "string", "const": "1.0", "description": "CloudEvents version."},
            "id": {
                "type": "string",
                "format": "uuid",
                "description": "Unique id of the event; redeliveries keep it, so consumers deduplicate on it.",
            },
            "source": {
                "type": "string",
                "pattern": _source_pattern(fields["source"]["pattern"], service),
                "description": f"The producing system: urn:nld:oin:<OIN of the inspectorate>:systeem:{service}.",
            },
            "type": {"type": "string", "const": contract.full_type(), "description": "The event type."},
            "time": {"type": "string", "format": "date-time", "description": "When it happened (UTC, RFC 3339)."},
            "subject": {
                **_subject_schema(contract),
                "description": f"The aggregate id: equal to data.{subject_alias} and to the Kafka record key.",
            },
            "datacontenttype": {"type": "string", "const": "application/json", "description": "Media type of data."},
            "dataref": {
                "type": "string",
                "format": "uri",
                "pattern": _resource_pattern(contract.resource_path),
                "description": (
                    f"URL of the resource in the {service} API (<api base>/{contract.resource_path}): consumers "
                    "fetch the details there with their own credentials."
                ),
            },
            "correlationid": {
                "type": "string",
                "description": "Extension: the id of the request that caused this event (X-Correlation-ID).",
            },
            "data": data_schema,
        },
        "propertyNames": {
            "pattern": "^[a-z0-9]+$",
            "description": "CloudEvents attribute names: lower-case letters and digits (extensions allowed).",
        },
    }


def generic_envelope_schema() -> dict[str, Any]:
    """Any event of the catalogue (used where the exact type is not known, e.g. in a dead-letter topic)."""
    fields = _envelope_fields()
    return {
        "type": "object",
        "title": "CloudEvent",
        "description": "A CloudEvents 1.0 event (NL GOV profile) in structured JSON mode, of any type.",
        "required": ["specversion", "id", "source", "type", "time", "data"],
        "properties": {
            "specversion": {"type": "string", "const": "1.0"},
            "id": {"type": "string", "format": "uuid"},
            "source": {"type": "string", "pattern": fields["source"]["pattern"]},
            "type": {"type": "string", "pattern": fields["type"]["pattern"]},
            "time": {"type": "string", "format": "date-time"},
            "subject": {"type": "string"},
            "datacontenttype": {"type": "string", "const": "application/json"},
            "dataref": {"type": "string", "format": "uri"},
            "correlationid": {"type": "string"},
            "data": {"type": "object"},
        },
    }


def _content_type_header() -> dict[str, Any]:
    return {"type": "string", "const": CONTENT_TYPE, "description": "Structured-mode CloudEvent."}


def message(contract: type[EventData], data_schema: dict[str, Any]) -> dict[str, Any]:
    service = producing_service(contract)
    subject_alias = _alias(contract, contract.subject_field)
    return {
        "name": contract.__name__,
        "title": _title(contract),
        "summary": contract.summary,
        "description": (
            f"CloudEvent `{contract.full_type()}` on topic `{contract.topic.value}`, published by {service}. "
            f"Record key and `subject`: `data.{subject_alias}`. Details: GET `dataref` "
            f"(`{contract.resource_path}` in the {service} API)."
        ),
        "contentType": CONTENT_TYPE,
        "headers": {
            "type": "object",
            "required": ["content-type"],
            "properties": {"content-type": _content_type_header()},
        },
        "correlationId": {
            "description": "The request that caused this event.",
            "location": "$message.payload#/correlationid",
        },
        "tags": [{"name": service}],
        "bindings": {
            "kafka": {
                "key": {**_subject_schema(contract), "description": f"The aggregate id (data.{subject_alias})."},
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
        "payload": envelope_schema(contract, data_schema),
    }


def dead_letter_message(topic: Topic, contracts: list[type[EventData]]) -> dict[str, Any]:
    if contracts:
        original: dict[str, Any] = {"oneOf": [{"$ref": f"#/components/messages/{message_id(contract)}/payload"} for contract in contracts]}
    else:
        original = {"$ref": SCHEMA_REF.format(model=GENERIC_EVENT_SCHEMA)}
    return {
        "name": f"DeadLetter{topic.name[:1].upper()}{topic.name[1:]}",
        "title": f"Dead letter of {topic.value}",
        "summary": f"A message of {topic.value} that a consumer could not handle.",
        "description": (
            "The original record, unchanged: same key, value and headers, plus the dlq-* headers saying who "
            "gave up on it and why. Normally one of the topic's events; a record that could not even be "
            "parsed is parked as it was (see dlq-error)."
        ),
        "contentType": CONTENT_TYPE,
        "headers": {
            "type": "object",
            "required": list(DEAD_LETTER_HEADERS),
            "properties": {
                "content-type": {**_content_type_header(), "description": "Kept from the original record."},
                **DEAD_LETTER_HEADERS,
            },
        },
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": "The key of the original record (the aggregate id)."},
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
        "payload": original,
    }


def build_asyncapi() -> dict[str, Any]:
    """The AsyncAPI 3.0.0 document of every event in the catalogue."""
    contracts = list(catalogue().values())
    for contract in contracts:
        producing_service(contract)  # fail early on a contract outside the contracts package
    data_refs, schemas = _data_schemas(contracts)
    by_topic = {topic: [contract for contract in contracts if contract.topic == topic] for topic in Topic}

    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for topic in Topic:
        topic_contracts = by_topic[topic]
        producers = sorted({producing_service(contract) for contract in topic_contracts})
        cid, dlq_id = channel_id(topic), dead_letter_channel_id(topic)
        channels[cid] = {
            "address": topic.value,
            "title": topic.name.capitalize(),
            "description": (
                f"Events about {topic.name}, one stream per aggregate kind; the record key is the aggregate id, "
                f"so events of one aggregate are ordered. Produced by: {', '.join(producers) or 'nobody yet'}."
            ),
            "servers": [{"$ref": f"#/servers/{SERVER}"}],
            "messages": {message_id(contract): {"$ref": f"#/components/messages/{message_id(contract)}"} for contract in topic_contracts},
        }
        channels[dlq_id] = {
            "address": dead_letter_topic(topic.value),
            "title": f"{topic.name.capitalize()} dead letters",
            "description": (
                f"Dead-letter topic of {topic.value}: messages a consumer could not parse, did not know, or kept "
                "failing on after its retries; each consumer records them in its dead_letter table too."
            ),
            "servers": [{"$ref": f"#/servers/{SERVER}"}],
            "messages": {
                "deadLetter": {"$ref": f"#/components/messages/{dead_letter_topic(topic.value)}"},
            },
        }
        for contract in topic_contracts:
            service = producing_service(contract)
            mid = message_id(contract)
            messages[mid] = message(contract, data_refs[contract])
            operations[f"{service}.send.{contract.event_type}"] = {
                "action": "send",
                "channel": {"$ref": f"#/channels/{cid}"},
                "title": f"{service} publishes {_title(contract).lower()}",
                "summary": contract.summary,
                "description": (
                    f"Published by the {service} service through its transactional outbox "
                    "(at least once; deduplicate on the CloudEvent id)."
                ),
                "tags": [{"name": service}],
                "messages": [{"$ref": f"#/channels/{cid}/messages/{mid}"}],
            }
        messages[dead_letter_topic(topic.value)] = dead_letter_message(topic, topic_contracts)
        operations[f"{dlq_id}.receive"] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{dlq_id}"},
            "title": f"Inspect dead letters of {topic.value}",
            "summary": "Operators read the dead-letter topic to investigate and replay failed messages.",
            "messages": [{"$ref": f"#/channels/{dlq_id}/messages/deadLetter"}],
        }

    schemas[GENERIC_EVENT_SCHEMA] = generic_envelope_schema()
    services = sorted({producing_service(contract) for contract in contracts})
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "Zorgtoezicht events",
            "version": DOCUMENT_VERSION,
            "description": DESCRIPTION.format(services=", ".join(services)),
            "tags": [{"name": service, "description": f"Events published by {service}."} for service in services],
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            SERVER: {
                "host": "kafka:9092",
                "protocol": "kafka",
                "title": "Kafka",
                "description": "The Kafka cluster; a placeholder host: each environment sets KAFKA_BOOTSTRAP_SERVERS.",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "messages": messages,
        },
    }


def render(document: dict[str, Any] | None = None) -> str:
    """The document as committed: JSON, indent 2, trailing newline."""
    return json.dumps(build_asyncapi() if document is None else document, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0] in {"-h", "--help"}):
        print("usage: python -m zorgtoezicht.events.asyncapi [path]  (stdout without a path)", file=sys.stderr)
        return 2
    text = render()
    if args:
        path = Path(args[0])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
