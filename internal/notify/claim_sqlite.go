package notify

// dueSQLite selects the messages a worker may take. SQLite has one writer
// at a time (the write pool has one connection and begins IMMEDIATE), so
// between this select and the lease update nobody else can claim: a plain
// select is enough.
const dueSQLite = `SELECT id FROM outbox
	WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
	ORDER BY next_attempt_at, id LIMIT $2`
