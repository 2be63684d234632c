"""Running sittings: scheduling, booking, keycodes, the live board, pauses, extra time, voids."""
