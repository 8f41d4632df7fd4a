"""The sample data shipped in ``raw/``: DUO deliveries, programme files and reference files.

The files imitate DUO open-data deliveries as the raw-data contract describes them (two HO
layouts, the wide ``;`` layouts of mbo, havo/vwo and vmbo, overlapping releases that restate
earlier years, masked small counts, merged institutions, HO codes missing from the CROHO
classification) and are calibrated so that the real pipeline reproduces the figures of the
Programmaplan 2008 (``shared/reference/seed_figures.csv``).  The end-to-end test
``tests/e2e/test_sample_data.py`` is the verifier: it runs the real job on ``raw/`` and checks
every figure, and it checks that this package writes ``raw/`` byte for byte.

Modules: ``calibration`` (target figures, how counts are fitted to them), ``deliveries`` (DUO
releases: vintages, restated years), ``writers`` (CSV layouts and encodings), ``institutions`` /
``names`` / ``schools`` (who exists), ``programs`` / ``registry`` (who takes part), one module
per dataset (``ho``, ``mbo``, ``vmbo``, ``vo``), ``reference`` (the reference files) and
``__main__`` (writes everything).

Adding a dataset: a module with its vintages (``deliveries.Vintage``), its target series in
``calibration`` and a truth builder fitted to them (``calibration.calibrate``), and a ``write``
for ``deliveries.write_deliveries``; its institutions go into ``registry``, the call into
``__main__.generate``.

Deterministic: one seeded random stream per purpose, no clock, no network, stdlib only.
"""
