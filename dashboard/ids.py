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

# pages and sign-in (analyst review)
PAGE_DASHBOARD = "page-dashboard"
PAGE_REVIEW = "page-review"
NAV_USER = "nav-user"

# review queue (read-only parts)
REVIEW_LIST = "review-list"
REVIEW_PAGE = "review-page"
REVIEW_PREV = "review-prev"
REVIEW_NEXT = "review-next"
REVIEW_PAGER = "review-pager"
REVIEW_ORPHANS = "review-orphans"
REVIEW_SELECTED = "review-selected"  # the event id being reviewed
REVIEW_PICK = "review-pick"  # pattern-matching: {"type": REVIEW_PICK, "index": event id}
REVIEW_DETAIL = "review-detail"
REVIEW_DUPES = "review-dupes"
REVIEW_HISTORY = "review-history"
REVIEW_SKIP = "review-skip"

# review edits: every id holds "review-edit" (the server-side guard keys on it)
EDIT_CSRF = "review-edit-csrf"
REVIEW_LOADED = "review-loaded"  # {"event_id", "version"} the form was loaded at
EDIT_STATUS = "review-edit-status"
EDIT_DONE = "review-edit-done"  # bumped after every successful write
EDIT_SAVE = "review-edit-save"
EDIT_CONFIRM = "review-edit-confirm"
EDIT_NOT_EVENT = "review-edit-not-event"
EDIT_UNDO = "review-edit-undo"
EDIT_NOTE = "review-note"  # not an edit output: the detail callback clears it
EDIT_MERGE = "review-edit-merge"  # pattern-matching: merge this event into {"index": E}
EDIT_SPLIT = "review-edit-split"  # pattern-matching: split article {"index": A} out
REVIEW_FIELD = "review-field"  # pattern-matching form inputs: {"type": REVIEW_FIELD, "index": slot}
