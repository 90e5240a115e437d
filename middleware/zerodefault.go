package middleware

import "time"

// zeroDefault applies the options' rule for a count or a duration: 0 means
// def, a negative value means none (0, which the stages read as "no
// retries" or "no cap").
func zeroDefault[T int | time.Duration](v, def T) T {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0
	}
	return v
}
