package middleware

import (
	"io"
)

// Reading a whole response body, shared by the stages that buffer one
// (download, coalesce).

// readInitialSize is the first buffer size for a body of unknown length.
const readInitialSize = 512

// readMaxPresize bounds the buffer allocated up front from an announced
// length when there is no cap, so a false Content-Length cannot make a
// stage allocate gigabytes before reading a byte.
const readMaxPresize = 32 << 20

// readAll reads body to its end, refusing more than limit bytes (a negative
// limit: no cap) with a [BodyTooLargeError]. size is the announced
// length (negative when unknown): a known length within the cap (or under
// 32 MiB without a cap) sizes the buffer once, one byte larger so the final
// read that sees EOF needs no growth; a known length over the cap fails
// without reading. On an error it returns no bytes.
func readAll(body io.Reader, size, limit int64) ([]byte, error) {
	if limit >= 0 && size > limit {
		return nil, &BodyTooLargeError{Limit: limit}
	}
	var buf []byte
	if size >= 0 && (limit >= 0 || size < readMaxPresize) {
		buf = make([]byte, 0, size+1)
	} else {
		n := int64(readInitialSize)
		if limit >= 0 && n > limit+1 {
			n = limit + 1
		}
		buf = make([]byte, 0, n)
	}
	for {
		if len(buf) == cap(buf) {
			buf = grow(buf, limit)
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if limit >= 0 && int64(len(buf)) > limit {
			return nil, &BodyTooLargeError{Limit: limit}
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// grow returns buf with room for more bytes: its capacity doubles, but never
// beyond limit plus one byte (enough to tell that the body is too large).
func grow(buf []byte, limit int64) []byte {
	newCap := int64(2*cap(buf)) + readInitialSize
	if limit >= 0 && newCap > limit+1 {
		newCap = limit + 1
	}
	grown := make([]byte, len(buf), newCap)
	copy(grown, buf)
	return grown
}
