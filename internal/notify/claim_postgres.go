package notify

// duePostgres selects the messages a worker may take. Replicas claim at the
// same time on PostgreSQL: FOR UPDATE locks the rows until the lease is
// written and committed, and SKIP LOCKED lets another replica take the next
// rows instead of waiting. A row leased by a transaction that committed
// meanwhile is re-checked against the WHERE clause and skipped.
const duePostgres = `SELECT id FROM outbox
	WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
	ORDER BY next_attempt_at, id LIMIT $2
	FOR UPDATE SKIP LOCKED`
