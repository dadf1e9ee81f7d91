from grafanalib.core import BarChart, Stat

from dashcompiler.api import AthenaFormat, AthenaQuery, Dashboard, Panel, Row

DASHBOARD = Dashboard(
    uid="cc-history",
    title="History",
    folder="cc-history",
    rows=(
        Row(
            "",
            (
                Panel(
                    "handled",
                    Stat(title="Handled", format="none", decimals=0, reduceCalc="lastNotNull"),
                    (AthenaQuery("handled.sql", result_reuse_minutes=15),),
                ),
                Panel(
                    "by_hour",
                    BarChart(title="By hour"),
                    (AthenaQuery("handled.sql", format=AthenaFormat.TIME_SERIES, table="contact_records"),),
                    width=18,
                    decimals=0,
                ),
            ),
        ),
        Row(
            "Details",
            (
                Panel("abandoned", Stat(title="Abandoned", format="none", decimals=0), (AthenaQuery("handled.sql"),)),
                Panel("transferred", Stat(title="Transferred", format="none", decimals=0), (AthenaQuery("handled.sql"),)),
            ),
            collapsed=True,
        ),
        Row("Footer", (Panel("footer", Stat(title="Footer", format="none", decimals=0), (AthenaQuery("handled.sql"),)),)),
    ),
)
