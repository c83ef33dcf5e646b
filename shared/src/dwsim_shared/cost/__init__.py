"""The cost model: what a run will take, predicted from its schema and rows."""
