package notify_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// smtpServer is a real SMTP server (emersion/go-smtp) on a loopback port,
// recording what it receives.
type smtpServer struct {
	host string
	port int

	mu   sync.Mutex
	msgs []receivedMail
	auth []string // "user:password" of each successful AUTH
}

type receivedMail struct {
	from string
	to   []string
	tls  bool
	data []byte
}

func (s *smtpServer) received() []receivedMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedMail(nil), s.msgs...)
}

type smtpSession struct {
	srv  *smtpServer
	conn *smtp.Conn
	from string
	to   []string
}

func (s *smtpSession) Reset()        { s.from, s.to = "", nil }
func (s *smtpSession) Logout() error { return nil }
func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.srv.mu.Lock()
	s.srv.msgs = append(s.srv.msgs, receivedMail{from: s.from, to: s.to, tls: isTLS, data: b})
	s.srv.mu.Unlock()
	return nil
}
func (s *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "warroom" || pass != "s3cret" {
			return errors.New("bad credentials")
		}
		s.srv.mu.Lock()
		s.srv.auth = append(s.srv.auth, user+":"+pass)
		s.srv.mu.Unlock()
		return nil
	}), nil
}

// startSMTP serves SMTP over TCP on 127.0.0.1; with cfg, it offers STARTTLS.
func startSMTP(t testing.TB, cfg *tls.Config) *smtpServer {
	t.Helper()
	srv := &smtpServer{}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &smtpSession{srv: srv, conn: c}, nil
	}))
	s.Domain = "mail.acme.test"
	s.TLSConfig = cfg
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { _ = s.Close() })
	host, port, _ := net.SplitHostPort(l.Addr().String())
	srv.host = host
	srv.port, _ = strconv.Atoi(port)
	return srv
}

// selfSigned returns a server certificate for 127.0.0.1 and a pool that
// trusts it.
func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "mail.acme.test"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// parsedMail is a received message with its headers and body decoded.
type parsedMail struct {
	header mail.Header
	body   string
}

func (p parsedMail) get(name string) string {
	v, err := new(mime.WordDecoder).DecodeHeader(p.header.Get(name))
	if err != nil {
		return p.header.Get(name)
	}
	return v
}

func parseMail(t testing.TB, raw []byte) parsedMail {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("received mail does not parse: %v\n%s", err, raw)
	}
	var r io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(r)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return parsedMail{header: m.Header, body: strings.ReplaceAll(string(b), "\r\n", "\n")}
}

var ackLinkRE = regexp.MustCompile(`https://warroom\.test/ack/(wrack_[A-Za-z0-9_-]+)`)

// ackToken finds the acknowledgement token in a message body.
func ackToken(t testing.TB, body string) string {
	t.Helper()
	m := ackLinkRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no acknowledgement link in:\n%s", body)
	}
	return m[1]
}
