"""Domain vocabulary shared by the services and the event contracts: identifiers and enumerations."""
