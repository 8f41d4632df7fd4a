"""Write the whole sample into a raw directory (default: the repository's ``raw/``).

Usage:  python scripts/generate_sample_data.py [--raw-dir DIR] [--seed N]

The audit workbooks (``scripts/generate_audit_workbooks.py``) are written afterwards: they judge
the institutions of the programme files written here.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from . import ho, mbo, reference
from .institutions import HO_INSTITUTIONS
from .programs import write_programs
from .registry import build_registry
from .vmbo import generate_vmbo_examenkandidaten
from .vo import generate_vo_profielkeuze

DEFAULT_SEED = 20080317
REPO_ROOT = Path(__file__).resolve().parents[2]


def generate(raw_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write every file of the sample; returns the paths written.

    The order matters only where streams are shared: the registry (codes, schools,
    participation) is built once and feeds the vo, vmbo and programme files.
    """
    written = []
    ho_rows = ho.build_ho_rows(seed)
    for dataset in ho.DATASETS:
        written += ho.generate_ho_dataset(raw_dir, dataset, ho_rows, seed)
    written.append(reference.write_croho_classification(raw_dir))

    registry = build_registry(seed)
    mbo_rows = mbo.build_mbo_rows(seed, registry.mbo)
    for dataset in mbo.DATASETS:
        written += mbo.generate_mbo_dataset(raw_dir, dataset, mbo_rows, seed)
    written += generate_vo_profielkeuze(raw_dir, registry, seed)
    written += generate_vmbo_examenkandidaten(raw_dir, registry.vmbo, seed)
    written += write_programs(raw_dir, registry.participation)
    written.append(reference.write_institutions(raw_dir, [*HO_INSTITUTIONS, *registry.institutions()]))
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate the sample raw data shipped in raw/.")
    parser.add_argument("--raw-dir", type=Path, default=REPO_ROOT / "raw")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for path in generate(args.raw_dir, args.seed):
        print(path.relative_to(args.raw_dir))


if __name__ == "__main__":
    main()
