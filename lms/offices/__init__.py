"""The KPU office tree (KPU RI → provinces → regencies and cities) and roles."""
