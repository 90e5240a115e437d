package spotifytest

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
)

// An HTTP/2 connection of a TLS server reaches net/http's server through
// an h2conn: the TLS connection, which net/http reads as HTTP/2 without
// TLS, with a filter on the frames that pass. net/http's server can reset
// a stream (a handler that panics with http.ErrAbortHandler sends
// RST_STREAM INTERNAL_ERROR) but never refuses one on demand, and it does
// not tell a handler its stream. The filter reads only frame headers (RFC
// 9113 §4.1), on net/http's own reads and writes (no goroutine, no copy
// through a pipe), and does two things:
//
//   - it appends to the header block of each request a field with the
//     stream's id (streamHeader), in a CONTINUATION frame of its own, as a
//     literal that does not touch the HPACK tables (RFC 7541 §6.2.2), so
//     no HPACK decoding is needed;
//   - it turns the RST_STREAM that net/http writes for a stream a fault
//     marked as refused into RST_STREAM REFUSED_STREAM.
//
// It can also drop the whole connection, with a TCP reset.

// streamHeader is the request field that carries the stream id; the
// server deletes it before the request is routed.
const streamHeader = "x-spotifytest-stream"

// HTTP/2 frame types, flags and error codes the filter uses (RFC 9113).
const (
	frameHeaderLen    = 9
	frameHeaders      = 0x1
	frameRSTStream    = 0x3
	frameContinuation = 0x9
	flagEndHeaders    = 0x4
	codeRefusedStream = 0x7
	clientPreface     = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
)

// h2conn is one HTTP/2 connection, as net/http's server sees it. It
// embeds the TLS connection as a net.Conn only: a connection with a
// ConnectionState method is served as HTTPS, and net/http would not look
// for HTTP/2's preface on it.
type h2conn struct {
	net.Conn
	tc *tls.Conn

	// The read side, used by net/http's frame reader only.
	br      *bufio.Reader
	started bool   // the client's preface was read
	out     []byte // filtered bytes not yet returned by Read
	buf     []byte // out's storage
	last    uint32 // the highest stream a request opened
	block   uint32 // the stream whose request header block is still open

	// The write side, used by net/http's frame writer only.
	pend []byte // the start of a frame not yet complete

	mu     sync.Mutex // guards refuse
	refuse map[uint32]bool
}

func newH2Conn(tc *tls.Conn) *h2conn {
	return &h2conn{Conn: tc, tc: tc, br: bufio.NewReaderSize(tc, 32<<10), refuse: map[uint32]bool{}}
}

// Read returns the client's bytes, each request's header block tagged
// with its stream id.
func (c *h2conn) Read(p []byte) (int, error) {
	for len(c.out) == 0 {
		if err := c.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, c.out)
	c.out = c.out[n:]
	return n, nil
}

// fill reads the client's preface or its next frame into out.
func (c *h2conn) fill() error {
	if !c.started {
		c.buf = append(c.buf[:0], make([]byte, len(clientPreface))...)
		if _, err := io.ReadFull(c.br, c.buf); err != nil {
			return err
		}
		c.started, c.out = true, c.buf
		return nil
	}
	c.buf = append(c.buf[:0], make([]byte, frameHeaderLen)...)
	if _, err := io.ReadFull(c.br, c.buf); err != nil {
		return err
	}
	hdr := c.buf
	n := int(hdr[0])<<16 | int(hdr[1])<<8 | int(hdr[2])
	c.buf = append(c.buf, make([]byte, n)...)
	hdr = c.buf[:frameHeaderLen]
	if _, err := io.ReadFull(c.br, c.buf[frameHeaderLen:]); err != nil {
		return err
	}
	id := binary.BigEndian.Uint32(hdr[5:9]) & 0x7fffffff
	tag := false
	switch hdr[3] {
	case frameHeaders:
		if id > c.last { // a request, not trailers
			c.last, c.block = id, id
		}
		fallthrough
	case frameContinuation:
		if id == c.block && hdr[4]&flagEndHeaders != 0 {
			tag, c.block = true, 0
			hdr[4] &^= flagEndHeaders
		}
	}
	if tag {
		c.buf = appendStreamField(c.buf, id)
	}
	c.out = c.buf
	return nil
}

// appendStreamField appends a CONTINUATION frame that ends the header
// block of stream id with "x-spotifytest-stream: <id>", as a literal field
// without indexing and with a new name, neither string Huffman-coded
// (RFC 7541 §6.2.2, §5.2): both are under 127 bytes, so each length fits
// the 7-bit prefix.
func appendStreamField(b []byte, id uint32) []byte {
	value := strconv.FormatUint(uint64(id), 10)
	size := 3 + len(streamHeader) + len(value)
	b = append(b, byte(size>>16), byte(size>>8), byte(size), frameContinuation, flagEndHeaders)
	b = binary.BigEndian.AppendUint32(b, id)
	b = append(b, 0x00, byte(len(streamHeader)))
	b = append(b, streamHeader...)
	b = append(b, byte(len(value)))
	return append(b, value...)
}

// Write sends net/http's frames to the client, the resets of refused
// streams turned into REFUSED_STREAM. It sends whole frames: the start of
// one waits for the rest, which net/http writes at once.
func (c *h2conn) Write(p []byte) (int, error) {
	c.pend = append(c.pend, p...)
	i := 0
	for len(c.pend)-i >= frameHeaderLen {
		f := c.pend[i:]
		n := int(f[0])<<16 | int(f[1])<<8 | int(f[2])
		if len(f) < frameHeaderLen+n {
			break
		}
		if f[3] == frameRSTStream && n == 4 && c.refused(binary.BigEndian.Uint32(f[5:9])&0x7fffffff) {
			binary.BigEndian.PutUint32(f[frameHeaderLen:], codeRefusedStream)
		}
		i += frameHeaderLen + n
	}
	if i > 0 {
		if _, err := c.Conn.Write(c.pend[:i]); err != nil {
			return 0, err
		}
		c.pend = append(c.pend[:0], c.pend[i:]...)
	}
	return len(p), nil
}

// refuseStream marks stream id: net/http's reset of it goes out as
// REFUSED_STREAM.
func (c *h2conn) refuseStream(id uint32) {
	c.mu.Lock()
	c.refuse[id] = true
	c.mu.Unlock()
}

// refused reports (once) whether stream id was marked refused.
func (c *h2conn) refused(id uint32) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.refuse[id] {
		return false
	}
	delete(c.refuse, id)
	return true
}

// reset drops the connection with a TCP reset, as a crashed server or a
// load balancer does: every stream on it fails.
func (c *h2conn) reset() {
	raw := c.tc.NetConn()
	if tc, ok := raw.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = raw.Close()
}

// connKey is the context key of an HTTP/2 connection.
type connKey struct{}

// connContext is the server's ConnContext: it puts an HTTP/2 connection
// in the context of its requests.
func connContext(ctx context.Context, c net.Conn) context.Context {
	if h, ok := c.(*h2conn); ok {
		return context.WithValue(ctx, connKey{}, h)
	}
	return ctx
}

// h2stream is the HTTP/2 stream of a request, or the zero value
// (HTTP/1.1).
type h2stream struct {
	conn *h2conn
	id   uint32
}

// streamOf takes the stream id the filter added to r's header (and
// removes it) and returns r's stream.
func streamOf(r *http.Request) h2stream {
	v := r.Header.Get(streamHeader)
	if v == "" {
		return h2stream{}
	}
	r.Header.Del(streamHeader)
	conn, _ := r.Context().Value(connKey{}).(*h2conn)
	n, err := strconv.ParseUint(v, 10, 31)
	if conn == nil || err != nil {
		return h2stream{}
	}
	return h2stream{conn: conn, id: uint32(n)}
}
