"""Records over the network: ``parolesim serve`` (the records server) and the client that
workstations use with ``--server URL`` / ``PAROLESIM_SERVER``."""
