"""dw-sim data loader: creates tables and runs COPY / COPY INTO against the warehouses"""
