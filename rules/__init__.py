"""Rule packs shipped with cleaner (data files; this file only makes them importable)."""
