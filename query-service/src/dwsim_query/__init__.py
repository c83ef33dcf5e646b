"""dw-sim query service: runs SQL against an experiment warehouse"""
