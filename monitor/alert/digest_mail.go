package alert

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"time"

	"github.com/assay-platform/assay"
)

// SendDigestMail sends one reminder digest (multipart/alternative: plain
// text and HTML) through the SMTP server of the organisation's first
// enabled e-mail alert channel, like SendAccountMail.
func (n *Notifier) SendDigestMail(ctx context.Context, orgID int64, m assay.DigestMail) error {
	return n.sendPersonal(ctx, orgID, m.To, func(settings map[string]string) ([]byte, error) {
		return n.composeAlternative(settings, m)
	})
}

// composeAlternative is an RFC 5322 multipart/alternative message.
func (n *Notifier) composeAlternative(settings map[string]string, m assay.DigestMail) ([]byte, error) {
	from, err := mail.ParseAddress(settings["from"])
	if err != nil {
		return nil, permanentError{fmt.Errorf("from address: %w", err)}
	}
	to, err := mail.ParseAddress(settings["to"])
	if err != nil {
		return nil, permanentError{fmt.Errorf("recipient %q: %w", settings["to"], err)}
	}
	var id [12]byte
	_, _ = rand.Read(id[:])
	domain := "assay.local"
	if i := strings.LastIndexByte(from.Address, '@'); i >= 0 {
		domain = from.Address[i+1:]
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, part := range []struct{ typ, text string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {part.typ + `; charset="utf-8"`}, "Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(part.text, "\r\n", "\n"), "\n", "\r\n"))); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, oneLine(v)) }
	header("From", from.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("utf-8", oneLine(m.Subject)))
	header("Date", n.now().Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(id[:])+"@"+domain+">")
	keys := make([]string, 0, len(m.Headers))
	for k := range m.Headers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		header(textproto.CanonicalMIMEHeaderKey(k), m.Headers[k])
	}
	header("Auto-Submitted", "auto-generated")
	header("MIME-Version", "1.0")
	header("Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
	b.WriteString("\r\n")
	b.Write(body.Bytes())
	return b.Bytes(), nil
}

// Link is path as an absolute address under BaseURL (the path itself
// when no base URL is set).
func (n *Notifier) Link(path string) string { return n.link(path) }
