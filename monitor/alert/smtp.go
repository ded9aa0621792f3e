package alert

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"
)

// sendEmail delivers m over SMTP to every recipient of the channel.
func (n *Notifier) sendEmail(ctx context.Context, settings, secrets map[string]string, m Message) (int, error) {
	msg, err := n.mailBytes(settings, m)
	if err != nil {
		return 0, err
	}
	return n.retry(ctx, func() error { return n.smtpOnce(ctx, settings, secrets, msg) })
}

// mailBytes is the RFC 5322 message: plain UTF-8 text, quoted-printable.
func (n *Notifier) mailBytes(settings map[string]string, m Message) ([]byte, error) {
	return n.composeMail(settings, m.Subject(), m.Text(), m.Delivery)
}

// composeMail is an RFC 5322 message from the channel's sender to its
// recipients (settings "from" and "to").
func (n *Notifier) composeMail(settings map[string]string, subject, text, delivery string) ([]byte, error) {
	from, err := mail.ParseAddress(settings["from"])
	if err != nil {
		return nil, permanentError{fmt.Errorf("from address: %w", err)}
	}
	var to []string
	for _, a := range recipients(settings["to"]) {
		addr, err := mail.ParseAddress(a)
		if err != nil {
			return nil, permanentError{fmt.Errorf("recipient %q: %w", a, err)}
		}
		to = append(to, addr.String())
	}
	var id [12]byte
	_, _ = rand.Read(id[:])
	domain := "assay.local"
	if i := strings.LastIndexByte(from.Address, '@'); i >= 0 {
		domain = from.Address[i+1:]
	}
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, oneLine(v)) }
	header("From", from.String())
	header("To", strings.Join(to, ", "))
	header("Subject", mime.QEncoding.Encode("utf-8", oneLine(subject)))
	header("Date", n.now().Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(id[:])+"@"+domain+">")
	if delivery != "" {
		header("X-Assay-Delivery", delivery)
	}
	header("MIME-Version", "1.0")
	header("Content-Type", `text/plain; charset="utf-8"`)
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(text, "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("\r", " ", "\n", " ").Replace(s)), " ")
}

// smtpOnce makes one SMTP conversation. STARTTLS is used whenever the
// server offers it (and demanded with tls=required); PLAIN authentication
// is refused by net/smtp unless the connection is TLS or to localhost.
func (n *Notifier) smtpOnce(ctx context.Context, settings, secrets map[string]string, msg []byte) error {
	host, mode := settings["host"], settings["tls"]
	port := settings["port"]
	if port == "" {
		port = "587"
		if mode == "implicit" {
			port = "465"
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	tlsConf := n.tlsConfig(host)
	d := net.Dialer{Deadline: deadline}
	var conn net.Conn
	var err error
	if mode == "implicit" {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: tlsConf}).DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	} else {
		conn, err = d.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	}
	if err != nil {
		return fmt.Errorf("connect to SMTP server: %w", err)
	}
	_ = conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return smtpErr("greeting", err)
	}
	defer c.Close()
	if err := c.Hello(n.helo()); err != nil {
		return smtpErr("EHLO", err)
	}
	if mode != "implicit" && mode != "none" {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsConf); err != nil {
				return smtpErr("STARTTLS", err)
			}
		} else if mode == "required" {
			return permanentError{errors.New("the SMTP server does not offer STARTTLS and the channel requires TLS")}
		}
	}
	if user := settings["username"]; user != "" {
		if err := c.Auth(smtp.PlainAuth("", user, secrets["password"], host)); err != nil {
			return smtpErr("AUTH", err)
		}
	}
	from, _ := mail.ParseAddress(settings["from"])
	if err := c.Mail(from.Address); err != nil {
		return smtpErr("MAIL FROM", err)
	}
	for _, a := range recipients(settings["to"]) {
		addr, err := mail.ParseAddress(a)
		if err != nil {
			return permanentError{fmt.Errorf("recipient %q: %w", a, err)}
		}
		if err := c.Rcpt(addr.Address); err != nil {
			return smtpErr("RCPT TO "+addr.Address, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return smtpErr("DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return smtpErr("DATA", err)
	}
	if err := w.Close(); err != nil {
		return smtpErr("end of DATA", err)
	}
	return c.Quit()
}

// smtpErr wraps an SMTP failure; a 5xx answer (or a refused
// authentication) is permanent, everything else may be retried.
func smtpErr(step string, err error) error {
	err = fmt.Errorf("SMTP %s: %w", step, err)
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		return permanentError{err}
	}
	if strings.Contains(err.Error(), "unencrypted connection") {
		return permanentError{err}
	}
	return err
}

func (n *Notifier) tlsConfig(host string) *tls.Config {
	c := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if n.TLS != nil {
		c = n.TLS.Clone()
		if c.ServerName == "" {
			c.ServerName = host
		}
	}
	return c
}

func (n *Notifier) helo() string {
	if n.Hostname != "" {
		return n.Hostname
	}
	return "localhost"
}
