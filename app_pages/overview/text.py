"""The Overview page's fixed texts."""

INTRO = (
    "How US export controls on AI chips and China's controls on rare earths became bargaining chips "
    "for each other, 2018 on. Every number below links to where it was read."
)
LATEST = (
    "The newest sourced figure of each kind, with its source; figures marked unverified never stand here. "
    "Fixed reference figures: the sidebar filters do not change them."
)
DEADLINES = (
    "Suspensions and truces end on set dates. A date that has passed with no recorded outcome is shown as "
    "exactly that: the data do not say whether it was extended, lapsed or replaced."
)
