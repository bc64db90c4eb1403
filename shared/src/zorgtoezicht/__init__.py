"""Zorgtoezicht platform library: what every service shares so that each service stays small.

- ``db``: async SQLAlchemy engine/session, naming convention, the transaction boundary
- ``events``: CloudEvents 1.0 (NL GOV profile) envelope and the one catalogue of event contracts
- ``messaging``: transactional outbox + relay, inbox + consumer runner, Kafka and in-process buses
- ``http``: the NL API Design Rules (problem+json, API-Version, camelCase, security headers), JWT auth
- ``service``: the shape of a service (settings, app, handlers) and the process commands
"""
