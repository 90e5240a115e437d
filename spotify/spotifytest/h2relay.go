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

// An HTTP/2 connection of a TLS server runs through a relay between the
// client's TLS connection and net/http's server, which reads the relay's
// end of an in-memory pipe as HTTP/2 without TLS. net/http's server can
// reset a stream (a handler that panics with http.ErrAbortHandler sends
// RST_STREAM INTERNAL_ERROR) but never refuses one on demand, and it does
// not tell a handler its stream. The relay reads only frame headers
// (RFC 9113 §4.1) and does two things:
//
//   - it appends to the header block of each request a field with the
//     stream's id (streamHeader), in a CONTINUATION frame of its own, as a
//     literal that does not touch the HPACK tables (RFC 7541 §6.2.2), so
//     no HPACK decoding is needed;
//   - it turns the RST_STREAM that net/http sends for a stream a fault
//     marked as refused into RST_STREAM REFUSED_STREAM.
//
// It can also drop the whole connection, with a TCP reset.

// streamHeader is the request field that carries the stream id; the
// server deletes it before the request is routed.
const streamHeader = "x-spotifytest-stream"

// HTTP/2 frame types, flags and error codes the relay uses (RFC 9113).
const (
	frameHeaderLen    = 9
	frameHeaders      = 0x1
	frameRSTStream    = 0x3
	frameContinuation = 0x9
	flagEndHeaders    = 0x4
	codeRefusedStream = 0x7
	clientPreface     = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
)

// h2relay is one HTTP/2 connection's relay.
type h2relay struct {
	client *tls.Conn
	srv    net.Conn   // the relay's end of the pipe
	end    *relayEnd  // net/http's end
	mu     sync.Mutex // guards refuse
	refuse map[uint32]bool
	close  sync.Once
}

// relayEnd is net/http's end of a relay's pipe; it reports the client's
// address.
type relayEnd struct {
	net.Conn
	relay *h2relay
}

// RemoteAddr returns the client's address.
func (e *relayEnd) RemoteAddr() net.Addr { return e.relay.client.RemoteAddr() }

// LocalAddr returns the server's address.
func (e *relayEnd) LocalAddr() net.Addr { return e.relay.client.LocalAddr() }

func newH2Relay(tc *tls.Conn) *h2relay {
	a, b := net.Pipe()
	r := &h2relay{client: tc, srv: a, refuse: map[uint32]bool{}}
	r.end = &relayEnd{Conn: b, relay: r}
	return r
}

func (r *h2relay) serverEnd() net.Conn { return r.end }

// run relays both ways until one side ends, then closes both.
func (r *h2relay) run() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _ = r.toServer(); r.closeAll() }()
	go func() { defer wg.Done(); _ = r.toClient(); r.closeAll() }()
	wg.Wait()
}

// closeAll closes the client's connection and the pipe.
func (r *h2relay) closeAll() {
	r.close.Do(func() {
		_ = r.client.Close()
		_ = r.srv.Close()
		_ = r.end.Close()
	})
}

// reset drops the connection with a TCP reset, as a crashed server or a
// load balancer does: every stream on it fails.
func (r *h2relay) reset() {
	if tc, ok := r.client.NetConn().(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
		_ = tc.Close()
	}
	r.closeAll()
}

// refuseStream marks stream id: net/http's reset of it goes out as
// REFUSED_STREAM.
func (r *h2relay) refuseStream(id uint32) {
	r.mu.Lock()
	r.refuse[id] = true
	r.mu.Unlock()
}

// toServer copies the client's frames to net/http, tagging each request's
// header block with its stream id.
func (r *h2relay) toServer() error {
	br := bufio.NewReaderSize(r.client, 32<<10)
	bw := bufio.NewWriterSize(r.srv, 32<<10)
	pre := make([]byte, len(clientPreface))
	if _, err := io.ReadFull(br, pre); err != nil {
		return err
	}
	if _, err := bw.Write(pre); err != nil {
		return err
	}
	var (
		last  uint32 // the highest stream a request opened
		block uint32 // the stream whose request header block is still open
		buf   []byte
	)
	for {
		hdr, payload, err := readFrame(br, buf)
		if err != nil {
			return err
		}
		buf = payload[:0]
		id := binary.BigEndian.Uint32(hdr[5:9]) & 0x7fffffff
		tag := false
		switch hdr[3] {
		case frameHeaders:
			if id > last { // a request, not trailers
				last = id
				block = id
			}
			fallthrough
		case frameContinuation:
			if id == block && hdr[4]&flagEndHeaders != 0 {
				tag, block = true, 0
				hdr[4] &^= flagEndHeaders
			}
		}
		if _, err := bw.Write(hdr[:]); err != nil {
			return err
		}
		if _, err := bw.Write(payload); err != nil {
			return err
		}
		if tag {
			if err := writeStreamField(bw, id); err != nil {
				return err
			}
		}
		if br.Buffered() == 0 {
			if err := bw.Flush(); err != nil {
				return err
			}
		}
	}
}

// toClient copies net/http's frames to the client, turning the resets of
// refused streams into REFUSED_STREAM.
func (r *h2relay) toClient() error {
	br := bufio.NewReaderSize(r.srv, 32<<10)
	bw := bufio.NewWriterSize(r.client, 32<<10)
	var buf []byte
	for {
		hdr, payload, err := readFrame(br, buf)
		if err != nil {
			return err
		}
		buf = payload[:0]
		if hdr[3] == frameRSTStream && len(payload) == 4 {
			id := binary.BigEndian.Uint32(hdr[5:9]) & 0x7fffffff
			r.mu.Lock()
			if r.refuse[id] {
				delete(r.refuse, id)
				binary.BigEndian.PutUint32(payload, codeRefusedStream)
			}
			r.mu.Unlock()
		}
		if _, err := bw.Write(hdr[:]); err != nil {
			return err
		}
		if _, err := bw.Write(payload); err != nil {
			return err
		}
		if br.Buffered() == 0 {
			if err := bw.Flush(); err != nil {
				return err
			}
		}
	}
}

// readFrame reads one frame: its header and its payload, in buf when it
// is large enough.
func readFrame(br *bufio.Reader, buf []byte) ([frameHeaderLen]byte, []byte, error) {
	var hdr [frameHeaderLen]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return hdr, nil, err
	}
	n := int(hdr[0])<<16 | int(hdr[1])<<8 | int(hdr[2])
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	_, err := io.ReadFull(br, buf)
	return hdr, buf, err
}

// writeStreamField writes a CONTINUATION frame that ends the header block
// of stream id with "x-spotifytest-stream: <id>", as a literal field
// without indexing and with a new name, neither string Huffman-coded
// (RFC 7541 §6.2.2, §5.2): both are under 127 bytes, so each length fits
// the 7-bit prefix.
func writeStreamField(w io.Writer, id uint32) error {
	value := strconv.FormatUint(uint64(id), 10)
	field := make([]byte, 0, 3+len(streamHeader)+len(value))
	field = append(field, 0x00, byte(len(streamHeader)))
	field = append(field, streamHeader...)
	field = append(field, byte(len(value)))
	field = append(field, value...)
	var hdr [frameHeaderLen]byte
	hdr[0], hdr[1], hdr[2] = 0, 0, byte(len(field))
	hdr[3] = frameContinuation
	hdr[4] = flagEndHeaders
	binary.BigEndian.PutUint32(hdr[5:9], id)
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(field)
	return err
}

// relayKey is the context key of a connection's relay.
type relayKey struct{}

// connContext is the server's ConnContext: it puts the relay of an HTTP/2
// connection in the context of its requests.
func connContext(ctx context.Context, c net.Conn) context.Context {
	if e, ok := c.(*relayEnd); ok {
		return context.WithValue(ctx, relayKey{}, e.relay)
	}
	return ctx
}

// h2stream is the HTTP/2 stream of a request that came through a relay,
// or the zero value (HTTP/1.1).
type h2stream struct {
	relay *h2relay
	id    uint32
}

// streamOf takes the stream id the relay added to r's header (and removes
// it) and returns r's stream.
func streamOf(r *http.Request) h2stream {
	v := r.Header.Get(streamHeader)
	if v == "" {
		return h2stream{}
	}
	r.Header.Del(streamHeader)
	relay, _ := r.Context().Value(relayKey{}).(*h2relay)
	n, err := strconv.ParseUint(v, 10, 31)
	if relay == nil || err != nil {
		return h2stream{}
	}
	return h2stream{relay: relay, id: uint32(n)}
}
