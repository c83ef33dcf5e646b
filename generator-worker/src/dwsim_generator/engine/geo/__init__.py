"""Geographic data for geo columns: real places (``dataset.py``) and the per-row draws."""
