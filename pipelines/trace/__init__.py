"""`betamonitor trace`: one published figure back to the raw cells that made it, and proof.

For a published row (mart + grain keys) and column, the trace
1. reads the publication (catalog -> version -> data.csv and metadata.json)      `publication.py`;
2. takes the figure's population from the dbt model `intermediate.int_figure_members` (the cells the
   mart counts, for the figure's year and its baseline year, per delivery) and keeps, per year, the
   delivery the version recorded as winning, so older versions trace too; every input it needs is
   checked against the raw directory (sha256)                                   `members.py`;
3. re-reads each of those cells from the raw file itself with the pipeline's reader
   (line, column header, raw text, how it was read)                             `raw.py`;
4. recomputes the figure from the re-read cells with the published rules (masking, rounding,
   disclosure control) and compares it with the published value: a mismatch is an error
                                                                                `recompute.py`;
5. renders the result as text, JSON or files for an auditor                      `render.py`.
`figure.py` runs the steps. Supported marts: sector_growth, institution_growth, program_growth,
gender_shares, regional_growth (each cell with how its province was found). A suppressed figure (`c`)
is proved against the disclosure rule without showing its value.
"""

from pipelines.trace.figure import trace_figure
from pipelines.trace.model import TRACEABLE, Trace, TraceError
from pipelines.trace.publication import model_chain, parse_where
from pipelines.trace.render import render_text, write_outputs

__all__ = ["TRACEABLE", "Trace", "TraceError", "model_chain", "parse_where", "render_text", "trace_figure",
           "write_outputs"]
