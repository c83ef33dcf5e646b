"""dw-sim API gateway: the public HTTP API and web UI"""
