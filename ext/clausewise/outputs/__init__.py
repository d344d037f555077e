"""What clausewise makes of a result for people: dashboard numbers and charts,
exports (CSV, XLSX, calendars) and the comparison of two findings reports."""
