from register.app import service
from zorgtoezicht.migrations import run_env

run_env(service.metadata, service.name, service.settings_class)
