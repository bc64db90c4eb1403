from zorgtoezicht.migrations import run_env

from meldpunt.app import service

run_env(service.metadata, service.name, service.settings_class)
