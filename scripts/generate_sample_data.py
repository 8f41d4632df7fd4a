#!/usr/bin/env python3
"""Generate the sample raw data shipped in ``raw/`` (``make sample-data``).

The code is the package ``scripts/sample_data/``; this file keeps the command the Makefile and
the end-to-end test run.  Usage:  python scripts/generate_sample_data.py [--raw-dir DIR] [--seed N]
"""
from sample_data.__main__ import main

if __name__ == "__main__":
    main()
