"""Domain behaviour. No Qt here: functions take a Session, never commit, return plain values."""
