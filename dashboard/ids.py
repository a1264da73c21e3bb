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
PAGE_REVIEW = "page-queue"
NAV_USER = "nav-user"

# review queue (read-only parts: no id holds "review" or "edit", so a check that finds
# the edit callbacks by those words finds only them)
REVIEW_LIST = "queue-list"
REVIEW_PAGE = "queue-page"
REVIEW_PREV = "queue-prev"
REVIEW_NEXT = "queue-next"
REVIEW_PAGER = "queue-pager"
REVIEW_ORPHANS = "queue-orphans"
REVIEW_SELECTED = "queue-selected"  # the event id being reviewed
REVIEW_PICK = "queue-pick"  # pattern-matching: {"type": REVIEW_PICK, "index": event id}
REVIEW_RECENT = "queue-recent"  # pattern-matching: an event of the recent changes
REVIEW_DETAIL = "queue-detail"
REVIEW_DUPES = "queue-dupes"
REVIEW_HISTORY = "queue-history"
REVIEW_SKIP = "queue-skip"

# review edits: every id holds "review-edit" (the server-side guard keys on it)
EDIT_CSRF = "review-edit-csrf"
REVIEW_LOADED = "queue-loaded"  # {"event_id", "version"} the form was loaded at
EDIT_STATUS = "review-edit-status"
EDIT_DONE = "review-edit-done"  # bumped after every successful write
EDIT_SAVE = "review-edit-save"
EDIT_CONFIRM = "review-edit-confirm"
EDIT_NOT_EVENT = "review-edit-not-event"
EDIT_UNDO = "review-edit-undo"
EDIT_NOTE = "queue-note"  # not an edit output: the detail callback clears it
EDIT_MERGE = "review-edit-merge"  # pattern-matching: merge this event into {"index": E}
EDIT_SPLIT = "review-edit-split"  # pattern-matching: split article {"index": A} out
REVIEW_FIELD = "queue-field"  # pattern-matching form inputs: {"type": REVIEW_FIELD, "index": slot}
