"""One file per schema revision, applied in order by create_schema."""
