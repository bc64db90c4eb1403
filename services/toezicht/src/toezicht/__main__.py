from zorgtoezicht.runner import service_main

service_main("toezicht")
