"""Nothing lost, nothing doubled: outbox → relay → bus → consumer with inbox and dead letters."""
