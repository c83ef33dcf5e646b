"""The generation engine: (schema, rules, seed, chunk) -> pyarrow.Table, with no service code.

``plan_run`` checks a request and plans it; ``RunPlan.generate_chunk`` makes one chunk, alone.
"""

from dwsim_generator.engine.errors import GenerationError
from dwsim_generator.engine.plan import DEFAULT_CHUNK_ROWS, RunPlan, plan_run, resolve_rows

__all__ = ["DEFAULT_CHUNK_ROWS", "GenerationError", "RunPlan", "plan_run", "resolve_rows"]
