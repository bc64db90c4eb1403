"""CloudEvents 1.0 (NL GOV profile) and the one catalogue of event contracts."""

from zorgtoezicht.events.envelope import CloudEvent, EventData, Topic, catalogue, contract_for

__all__ = ["CloudEvent", "EventData", "Topic", "catalogue", "contract_for"]
