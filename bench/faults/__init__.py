"""The fault soak's parts (`bench/soak.py`): crashes, threads, HTTP clients, tenancy
probes and hostile input, with one checker of a data dir's invariants (`invariants.py`)."""
