"""``dwsim demo``: the product end to end, over the gateway's public HTTP API only."""
