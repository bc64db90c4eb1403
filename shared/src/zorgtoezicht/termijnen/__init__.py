"""Dutch working days and statutory terms: the Algemene termijnenwet (Atw) as named, tested rules."""
