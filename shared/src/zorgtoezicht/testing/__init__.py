"""Test support on real infrastructure: embedded PostgreSQL, a real Kafka broker, tokens, the chain."""
