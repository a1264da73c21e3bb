"""Every component id of the app, in one place (tests use them too)."""

URL = "url"
DATA_DIR = "data-dir"  # not a component: documented for completeness

# filters (shared by all views)
DATE_RANGE = "f-dates"
EVENT_TYPES = "f-types"
ACTORS = "f-actors"
ADMIN1 = "f-admin1"
MIN_PRECISION = "f-precision"
SOURCES = "f-sources"
AGGREGATES = "f-aggregates"
RESET = "f-reset"
RAW_VIEW = "f-raw"  # show the raw extraction, not the reviewed events

# view choices
TABS = "tabs"
FREQ = "v-freq"
TEMPO_METRIC = "v-tempo-metric"
TEMPO_LAYOUT = "v-tempo-layout"
TEMPO_GROUP = "v-tempo-group"
CAS_MODE = "v-cas-mode"
PROV_METRIC = "v-prov-metric"

# KPIs and freshness
KPI_ROW = "kpis"
FRESHNESS = "freshness"
DATA_NOTE = "data-note"

# figures
TEMPO_GRAPH = "g-tempo"
CAS_GRAPH = "g-casualties"
HEATMAP_GRAPH = "g-heatmap"
MAP_GRAPH = "g-map"
MAP_ATTRIBUTION = "map-attribution"
# per-figure list: the group (actor, side) each trace draws, by curveNumber
TEMPO_CURVES = "g-tempo-curves"
CAS_CURVES = "g-casualties-curves"

# drill-down
SELECTION = "drill-selection"
DRILL_PAGE = "drill-page"
DRILL_PREV = "drill-prev"
DRILL_NEXT = "drill-next"
DRILL_TITLE = "drill-title"
DRILL_TABLE = "drill-table"
DRILL_PAGER = "drill-pager"
DRILL_CLEAR = "drill-clear"

# exports
EXPORT_CSV = "x-csv"
EXPORT_PARQUET = "x-parquet"
EXPORT_ACLED = "x-acled"
DOWNLOAD = "x-download"
