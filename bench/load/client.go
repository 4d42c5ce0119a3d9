package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strconv"
	"strings"
)

// conn is a lean HTTP/1.1 keep-alive client for one connection: it writes
// a pre-built request and reads the response, like wrk does, so that the
// load generator spends little of the machine's CPU next to the server.
type conn struct {
	c   net.Conn
	r   *bufio.Reader
	tp  *textproto.Reader
	req []byte
}

// dial connects to addr and prepares a POST of body with token.
func dial(addr, path, token, body string) (*conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n", path, addr)
	fmt.Fprintf(&b, "Authorization: Bearer %s\r\nContent-Length: %d\r\n\r\n%s", token, len(body), body)
	r := bufio.NewReaderSize(c, 64<<10)
	return &conn{c: c, r: r, tp: textproto.NewReader(r), req: []byte(b.String())}, nil
}

// do sends the request and reads the whole response. ok is false for a
// status other than 200 or a body holding "errors".
func (c *conn) do(body *bytes.Buffer) (ok bool, err error) {
	if _, err := c.c.Write(c.req); err != nil {
		return false, err
	}
	status, err := c.tp.ReadLine()
	if err != nil {
		return false, err
	}
	hdr, err := c.tp.ReadMIMEHeader()
	if err != nil {
		return false, err
	}
	n, err := strconv.Atoi(hdr.Get("Content-Length"))
	if err != nil {
		return false, fmt.Errorf("response without Content-Length: %s", status)
	}
	body.Reset()
	if _, err := io.CopyN(body, c.r, int64(n)); err != nil {
		return false, err
	}
	return strings.HasPrefix(status, "HTTP/1.1 200") && !bytes.Contains(body.Bytes(), []byte(`"errors"`)), nil
}

func (c *conn) close() { _ = c.c.Close() }
