"""The contracts every service imports: models, enums, job states, task names and payloads.

One definition of each: a service never redeclares a model it sends or receives.
"""
