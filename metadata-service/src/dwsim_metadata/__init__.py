"""dw-sim metadata service: experiments, jobs and generation runs"""
