package middleware

// Stage names of the default chain, outermost first. They are stable: custom
// middleware is placed relative to them.
const (
	StageTracing   = "tracing"
	StageCache     = "cache"
	StageCoalesce  = "coalesce"
	StageRetry     = "retry"
	StageBulkhead  = "bulkhead"
	StageRateLimit = "ratelimit"
	StageBreaker   = "breaker"
	StageTimeout   = "timeout"
	StageAttempt   = "attempt"
	StageDownload  = "download"
	StageAuth      = "auth"
)
