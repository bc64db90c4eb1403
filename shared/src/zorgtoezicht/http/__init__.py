"""HTTP interfaces that follow the NL API Design Rules (Logius ADR)."""
